package org.example.helpdesk.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigResolveOptions;
import com.typesafe.config.ConfigResolver;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.example.helpdesk.platform.config.NodeConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.yaml.snakeyaml.Yaml;

/**
 * docker-compose.yml cannot run here (no Docker engine), so this checks what can be checked: it
 * parses, its shape is the one documented, and the environment it gives each node means, to the
 * node's own configuration, what it is meant to mean.
 */
class DockerComposeTest {

  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  @Test
  void theFileParsesAndHasTheDocumentedServices() throws IOException {
    Map<String, Object> services = services();
    assertEquals(
        Set.of(
            "postgres",
            "rabbitmq",
            "jaeger",
            "customer-node-1",
            "customer-node-2",
            "backoffice-node-1",
            "backoffice-node-2"),
        services.keySet());
    assertTrue(
        String.valueOf(map(services, "rabbitmq").get("image")).contains("management"),
        "RabbitMQ with its management UI");
    assertTrue(map(services, "postgres").containsKey("healthcheck"));
    assertTrue(map(services, "rabbitmq").containsKey("healthcheck"));
    assertTrue(
        String.valueOf(
                map(map(services, "rabbitmq"), "environment")
                    .get("RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS"))
            .contains("max_message_size 16777216"),
        "the broker refuses messages over 16 MiB at publish");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "customer-node-1, customer-node, customer-service, 8081, 2551",
    "customer-node-2, customer-node, customer-service, 8081, 2551",
    "backoffice-node-1, backoffice-node, backoffice-service, 8082, 2552",
    "backoffice-node-2, backoffice-node, backoffice-service, 8082, 2552",
  })
  void everyNodeIsBuiltFromTheRepoAndWiredByTheSameVariablesTheNodesRead(
      String service, String module, String system, int httpPort, int clusterPort)
      throws IOException {
    Map<String, Object> node = map(services(), service);

    assertEquals(module, map(map(node, "build"), "args").get("NODE"));
    assertEquals(".", map(node, "build").get("context"));
    assertEquals(
        List.of("CMD", "curl", "-fsS", "http://localhost:" + httpPort + "/health"),
        map(node, "healthcheck").get("test"));
    Map<String, Object> dependsOn = map(node, "depends_on");
    assertEquals("service_healthy", map(dependsOn, "postgres").get("condition"));
    assertEquals("service_healthy", map(dependsOn, "rabbitmq").get("condition"));

    Map<String, String> env =
        map(node, "environment").entrySet().stream()
            .collect(Collectors.toMap(Map.Entry::getKey, e -> String.valueOf(e.getValue())));
    // (the OTEL_* variables are read by the OpenTelemetry SDK itself, see Tracing)
    assertTrue(
        variablesTheNodesRead()
            .containsAll(env.keySet().stream().filter(k -> !k.startsWith("OTEL_")).toList()),
        () -> "unknown variables in " + env.keySet());
    assertTrue(
        env.keySet()
            .containsAll(
                Set.of(
                    "DATABASE_URL",
                    "DATABASE_USER",
                    "DATABASE_PASSWORD",
                    "AMQP_URI",
                    "HTTP_PORT",
                    "CLUSTER_HOST",
                    "CLUSTER_PORT",
                    "SEED_NODES")));

    // what the node makes of that environment
    Config config =
        NodeConfig.load(
            module.replace("-node", ""), asEnvironment(module.replace("-node", ""), env));
    assertEquals(
        "jdbc:postgresql://postgres:5432/helpdesk", config.getString("helpdesk.database.url"));
    assertEquals(
        "jdbc:postgresql://postgres:5432/helpdesk?currentSchema=" + module.replace("-node", ""),
        config.getString("pekko-persistence-jdbc.shared-databases.slick.db.url"));
    assertEquals("amqp://guest:guest@rabbitmq:5672/%2f", config.getString("helpdesk.amqp.uri"));
    assertEquals(httpPort, config.getInt("helpdesk.http.port"));
    assertEquals(service, config.getString("pekko.remote.artery.canonical.hostname"));
    assertEquals(clusterPort, config.getInt("pekko.remote.artery.canonical.port"));
    String kind = module.replace("-node", "");
    assertEquals(
        List.of(
            "pekko://" + system + "@" + kind + "-node-1:" + clusterPort,
            "pekko://" + system + "@" + kind + "-node-2:" + clusterPort),
        config.getStringList("pekko.cluster.seed-nodes"));
    assertTrue(
        ((List<?>) node.get("ports"))
            .contains((service.endsWith("1") ? httpPort : httpPort + 2) + ":" + httpPort));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "customer-node-1, customer-service",
    "customer-node-2, customer-service",
    "backoffice-node-1, backoffice-service",
    "backoffice-node-2, backoffice-service",
  })
  void everyNodeSendsItsSpansToJaeger(String service, String serviceName) throws IOException {
    Map<String, Object> services = services();
    Map<String, Object> jaeger = map(services, "jaeger");
    assertTrue(String.valueOf(jaeger.get("image")).startsWith("jaegertracing/all-in-one"));
    assertTrue(
        ((List<?>) jaeger.get("ports"))
            .containsAll(List.of("16686:16686", "4317:4317", "4318:4318")),
        "UI and OTLP ports");

    Map<String, Object> node = map(services, service);
    Map<String, Object> env = map(node, "environment");
    assertEquals(
        "${OTEL_TRACES_EXPORTER:-otlp}",
        env.get("OTEL_TRACES_EXPORTER"),
        "on by default, OTEL_TRACES_EXPORTER=none turns it off");
    assertEquals("http://jaeger:4318", env.get("OTEL_EXPORTER_OTLP_ENDPOINT"));
    assertEquals(
        "http/protobuf",
        env.get("OTEL_EXPORTER_OTLP_PROTOCOL"),
        "the JDK's HTTP client sends OTLP; no gRPC sender");
    assertEquals(serviceName, env.get("OTEL_SERVICE_NAME"));
    assertTrue(map(node, "depends_on").containsKey("jaeger"));
  }

  @Test
  void theDockerfileBuildsTheJarTheReadmeRuns() throws IOException {
    String dockerfile = Files.readString(ROOT.resolve("Dockerfile"));
    assertTrue(dockerfile.contains("FROM maven:"), "built with Maven");
    assertTrue(dockerfile.contains("-pl ${NODE} -am package"));
    assertTrue(dockerfile.contains("${NODE}/target/${NODE}.jar"));
    for (String module :
        List.of(
            "embedded-infra",
            "test-support",
            "protocol",
            "platform",
            "backoffice-node",
            "customer-node",
            "launcher",
            "system-tests")) {
      assertTrue(
          dockerfile.contains("COPY " + module + "/pom.xml"),
          "the dependency layer knows module " + module);
    }
  }

  /**
   * The node's configuration as the environment would resolve it, without this JVM's own
   * environment.
   */
  private static Config asEnvironment(String resource, Map<String, String> env) {
    ConfigResolver environment =
        new ConfigResolver() {
          @Override
          public ConfigValue lookup(String path) {
            return env.containsKey(path)
                ? ConfigValueFactory.fromAnyRef(env.get(path), "compose environment")
                : null;
          }

          @Override
          public ConfigResolver withFallback(ConfigResolver fallback) {
            return this;
          }
        };
    return ConfigFactory.parseResourcesAnySyntax(resource)
        .withOnlyPath("helpdesk")
        .resolve(ConfigResolveOptions.noSystem().appendResolver(environment));
  }

  /** Every ${?VAR} of the nodes' configuration files. */
  private static Set<String> variablesTheNodesRead() throws IOException {
    Pattern variable = Pattern.compile("\\$\\{\\?([A-Z_]+)}");
    StringBuilder all = new StringBuilder();
    for (String file :
        List.of(
            "platform/src/main/resources/helpdesk-node.conf",
            "customer-node/src/main/resources/customer.conf",
            "backoffice-node/src/main/resources/backoffice.conf")) {
      all.append(Files.readString(ROOT.resolve(file)));
    }
    Matcher m = variable.matcher(all);
    Set<String> names = new java.util.HashSet<>();
    while (m.find()) {
      names.add(m.group(1));
    }
    return names;
  }

  private static Map<String, Object> services() throws IOException {
    Map<String, Object> compose =
        new Yaml().load(Files.readString(ROOT.resolve("docker-compose.yml")));
    return map(compose, "services");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Map<String, Object> parent, String key) {
    Object value = parent.get(key);
    assertTrue(value instanceof Map, () -> key + " should be a mapping, is " + value);
    return (Map<String, Object>) value;
  }
}
