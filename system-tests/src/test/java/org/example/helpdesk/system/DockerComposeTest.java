package org.example.helpdesk.system;

import static org.example.helpdesk.system.NodeVariables.read;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.example.helpdesk.backoffice.auth.Employee;
import org.example.helpdesk.backoffice.auth.Employees;
import org.example.helpdesk.platform.config.NodeConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.yaml.snakeyaml.Yaml;

/**
 * docker-compose.yml cannot run here (no container engine), so this checks what can be checked: it
 * parses, has the documented shape, pins what it pulls, bounds what it runs, and the environment it
 * gives each node means, to the node's own configuration, what it is meant to mean. Its load
 * balancer, Prometheus and Grafana files: {@link ComposeMonitoringTest}.
 */
class DockerComposeTest {

  static final Set<String> NODES =
      Set.of(
          "customer-node-1",
          "customer-node-2",
          "backoffice-node-1",
          "backoffice-node-2",
          "backoffice-node-3");

  /** The demo operator's password, printed in docs/operations.md: local use only. */
  static final String DEMO_PASSWORD = "demo-operator-local-only";

  @Test
  void theFileParsesAndHasTheDocumentedServices() throws IOException {
    Set<String> expected =
        new java.util.HashSet<>(
            Set.of(
                "postgres",
                "rabbitmq",
                "jaeger",
                "mailpit",
                "load-balancer",
                "prometheus",
                "grafana"));
    expected.addAll(NODES);
    assertEquals(expected, services().keySet());
    assertTrue(
        String.valueOf(
                map(map(services(), "rabbitmq"), "environment")
                    .get("RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS"))
            .contains("max_message_size 16777216"),
        "the broker refuses messages over 16 MiB at publish");
  }

  @Test
  void everyPulledImageIsPinnedToAVersionAndEveryContainerIsBounded() throws IOException {
    Pattern pinned = Pattern.compile("[a-z0-9./-]+:v?[0-9]+\\.[0-9]+(\\.[0-9]+)?[a-z0-9._-]*");
    for (Map.Entry<String, Object> e : services().entrySet()) {
      Map<String, Object> service = asMap(e.getValue(), e.getKey());
      String image = String.valueOf(service.get("image"));
      if (!service.containsKey("build")) {
        assertTrue(pinned.matcher(image).matches(), e.getKey() + " pulls " + image);
      }
      Map<String, Object> limits = map(map(map(service, "deploy"), "resources"), "limits");
      assertNotNull(limits.get("memory"), e.getKey() + " has no memory limit");
      assertNotNull(limits.get("cpus"), e.getKey() + " has no CPU limit");
      assertTrue(service.containsKey("healthcheck") || e.getKey().equals("jaeger"), e.getKey());
    }
    for (String from : matches("(?m)^FROM (\\S+)", read("Dockerfile"))) {
      assertTrue(pinned.matcher(from).matches(), "the Dockerfile builds FROM " + from);
    }
  }

  @Test
  void theDatabaseAndTheBrokerAreNotPublishedUnlessAsked() throws IOException {
    for (String service : List.of("postgres", "rabbitmq")) {
      assertFalse(map(services(), service).containsKey("ports"), service + " is published");
    }
    Map<String, Object> expose =
        map(new Yaml().load(read("deploy/compose/expose-infra.yml")), "services");
    for (String service : List.of("postgres", "rabbitmq")) {
      for (Object port : (List<?>) map(expose, service).get("ports")) {
        assertTrue(String.valueOf(port).startsWith("127.0.0.1:"), service + " " + port);
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "customer-node-1, customer-node, customer-service, 8081, 2551",
    "customer-node-2, customer-node, customer-service, 8081, 2551",
    "backoffice-node-1, backoffice-node, backoffice-service, 8082, 2552",
    "backoffice-node-2, backoffice-node, backoffice-service, 8082, 2552",
    "backoffice-node-3, backoffice-node, backoffice-service, 8082, 2552",
  })
  void everyNodeIsBuiltFromTheRepoAndFindsItsClusterThroughBootstrap(
      String service, String module, String system, int httpPort, int clusterPort)
      throws IOException {
    Map<String, Object> node = map(services(), service);
    assertEquals(module, map(map(node, "build"), "args").get("NODE"));
    assertEquals(".", map(node, "build").get("context"));
    assertFalse(node.containsKey("ports"), "the load balancer is the way in");
    // ready (not merely up): an Up member whose database and broker answer (HealthRoutes)
    assertEquals(
        List.of("CMD", "curl", "-fsS", "http://localhost:" + httpPort + "/health/ready"),
        map(node, "healthcheck").get("test"));
    assertTrue(
        read("platform-node/src/main/java/org/example/helpdesk/platform/cluster/HealthRoutes.java")
            .contains("path(\"ready\""),
        "the node serves /health/ready");
    Map<String, Object> dependsOn = map(node, "depends_on");
    assertEquals("service_healthy", map(dependsOn, "postgres").get("condition"));
    assertEquals("service_healthy", map(dependsOn, "rabbitmq").get("condition"));

    Map<String, String> env = environment(node);
    NodeVariables.assertKnown(service, env.keySet());
    assertFalse(env.containsKey("SEED_NODES"));

    // what the node makes of that environment
    String kind = module.replace("-node", "");
    Config config = NodeConfig.load(kind, NodeVariables.asEnvironment(kind, env));
    assertEquals(
        "jdbc:postgresql://postgres:5432/helpdesk?currentSchema=" + kind,
        config.getString("pekko-persistence-jdbc.shared-databases.slick.db.url"));
    assertEquals(
        "amqp://helpdesk:local-broker-password@rabbitmq:5672/%2f",
        config.getString("helpdesk.amqp.uri"));
    assertEquals(
        interpolated(
            map(map(services(), "postgres"), "environment").get("POSTGRES_PASSWORD").toString()),
        env.get("DATABASE_PASSWORD"));
    assertEquals(httpPort, config.getInt("helpdesk.http.port"));
    assertEquals(system, config.getString("helpdesk.service-name"));
    assertEquals(service, config.getString("pekko.remote.artery.canonical.hostname"));
    assertEquals(clusterPort, config.getInt("pekko.remote.artery.canonical.port"));
    assertEquals(List.of(), config.getStringList("pekko.cluster.seed-nodes"));
    assertEquals("config", config.getString("pekko.discovery.method"));
    int management = config.getInt("pekko.management.http.port");
    List<String> peers = NODES.stream().filter(n -> n.startsWith(kind + "-")).sorted().toList();
    assertEquals(
        peers.stream().map(n -> n + ":" + management).toList(),
        config.getConfigList("pekko.discovery.config.services." + system + ".endpoints").stream()
            .map(e -> e.getString("host") + ":" + e.getInt("port"))
            .toList(),
        "every node of the service, at its management port");
    assertEquals(
        peers.size(),
        config.getInt(
            "pekko.management.cluster.bootstrap.contact-point-discovery.required-contact-point-nr"));
  }

  @Test
  void theBackofficeCanBeSignedIntoAsItStarts() throws IOException {
    for (String service : List.of("backoffice-node-1", "backoffice-node-2", "backoffice-node-3")) {
      Map<String, Object> node = map(services(), service);
      Map<String, String> env = rawEnvironment(node);
      String file = env.get("EMPLOYEES_FILE");
      assertTrue(
          ((List<?>) node.get("volumes")).contains("./deploy/compose/employees:" + file + ":ro"),
          service + " mounts the employees file at " + file);
      Matcher secret =
          Pattern.compile("\\$\\{SESSION_SECRET:-(.+)}").matcher(env.get("SESSION_SECRET"));
      assertTrue(secret.matches(), "a session key by default: " + env.get("SESSION_SECRET"));
      assertTrue(secret.group(1).length() >= 32, "the nodes refuse a key under 32 bytes");
    }
    Employees employees =
        Employees.parse(
            "",
            NodeVariables.ROOT.resolve("deploy/compose/employees").toString(),
            Clock.systemUTC());
    Employee demo =
        employees
            .verifyAsync("demo", DEMO_PASSWORD)
            .toCompletableFuture()
            .join()
            .orElseThrow(() -> new AssertionError("demo / " + DEMO_PASSWORD + " does not sign in"));
    assertEquals(Employee.Role.OPERATOR, demo.role());
    assertTrue(read("docs/operations.md").contains(DEMO_PASSWORD), "the docs print it");
    assertTrue(read("deploy/compose/employees").contains("LOCAL USE ONLY"));
  }

  @Test
  void theCustomersMailIsCaughtByMailpit() throws IOException {
    assertTrue(
        String.valueOf(map(services(), "mailpit").get("image")).startsWith("axllent/mailpit:"));
    for (String node : NODES) {
      if (node.startsWith("customer-node")) {
        Map<String, Object> env = map(map(services(), node), "environment");
        assertEquals("smtp://mailpit:1025", env.get("SMTP_URL"), node);
        assertTrue(String.valueOf(env.get("MAIL_FROM")).contains("@"), node);
      }
    }
  }

  @Test
  void everyNodeSendsItsSpansToJaeger() throws IOException {
    assertTrue(String.valueOf(map(services(), "jaeger").get("image")).startsWith("jaegertracing/"));
    for (String service : NODES) {
      Map<String, String> env = environment(map(services(), service));
      assertEquals("otlp", env.get("OTEL_TRACES_EXPORTER"), "OTEL_TRACES_EXPORTER=none: off");
      assertEquals("http://jaeger:4318", env.get("OTEL_EXPORTER_OTLP_ENDPOINT"));
      assertEquals("http/protobuf", env.get("OTEL_EXPORTER_OTLP_PROTOCOL"));
      assertEquals(
          service.startsWith("customer") ? "customer-service" : "backoffice-service",
          env.get("OTEL_SERVICE_NAME"));
    }
  }

  @Test
  void theDockerfileBuildsTheJarAndHidesNoFailure() throws IOException {
    String dockerfile = read("Dockerfile");
    assertTrue(dockerfile.contains("-pl ${NODE} -am package"));
    assertTrue(dockerfile.contains("${NODE}/target/${NODE}.jar"));
    assertFalse(dockerfile.contains("|| true"), "a failed step fails the build");
    for (String module :
        List.of(
            "embedded-infra",
            "test-support",
            "protocol",
            "amqp",
            "platform-persistence",
            "platform-node",
            "backoffice-node",
            "customer-node",
            "launcher",
            "architecture-tests",
            "system-tests",
            "benchmark")) {
      assertTrue(dockerfile.contains("COPY " + module + "/pom.xml"), module);
    }
  }

  static Map<String, Object> services() throws IOException {
    return map(new Yaml().load(read("docker-compose.yml")), "services");
  }

  /** A node's environment as compose gives it when none of its variables is set. */
  static Map<String, String> environment(Map<String, Object> node) {
    return rawEnvironment(node).entrySet().stream()
        .collect(Collectors.toMap(Map.Entry::getKey, e -> interpolated(e.getValue())));
  }

  static Map<String, String> rawEnvironment(Map<String, Object> node) {
    return map(node, "environment").entrySet().stream()
        .collect(Collectors.toMap(Map.Entry::getKey, e -> String.valueOf(e.getValue())));
  }

  /** Compose's interpolation with nothing set: ${VAR:-default} is the default, ${VAR} empty. */
  static String interpolated(String value) {
    assertFalse(value.contains("$$"), "no escaped $ expected: " + value);
    return Pattern.compile("\\$\\{[A-Z_]+(?::-([^}]*))?}")
        .matcher(value)
        .replaceAll(m -> Matcher.quoteReplacement(m.group(1) == null ? "" : m.group(1)));
  }

  static List<String> matches(String regex, String text) {
    List<String> found = new java.util.ArrayList<>();
    Matcher m = Pattern.compile(regex).matcher(text);
    while (m.find()) {
      found.add(m.group(1));
    }
    return found;
  }

  static Map<String, Object> map(Map<String, Object> parent, String key) {
    return asMap(parent.get(key), key);
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> asMap(Object value, String what) {
    assertTrue(value instanceof Map, () -> what + " should be a mapping, is " + value);
    return (Map<String, Object>) value;
  }
}
