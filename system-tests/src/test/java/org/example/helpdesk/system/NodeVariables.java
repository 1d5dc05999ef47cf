package org.example.helpdesk.system;

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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.Yaml;

/**
 * The environment variables the nodes read, for the deployment files' tests: every {@code ${?VAR}}
 * of the nodes' configuration, every {@code ${VAR:-...}} of logback.xml, and the names
 * ConfigValidator checks.
 */
final class NodeVariables {

  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  /**
   * Read by the nodes but checked elsewhere than in ConfigValidator: the employees are parsed (and
   * refused with a message) by the backoffice as it starts; the log format by logback.
   */
  static final Set<String> CHECKED_ELSEWHERE = Set.of("EMPLOYEES", "LOG_FORMAT");

  private NodeVariables() {}

  /** Every variable a node reads ({@code OTEL_*} aside: the OpenTelemetry SDK's own). */
  static Set<String> read() throws IOException {
    Set<String> names = new HashSet<>();
    for (String file :
        List.of(
            "platform-node/src/main/resources/helpdesk-node.conf",
            "customer-node/src/main/resources/customer.conf",
            "backoffice-node/src/main/resources/backoffice.conf")) {
      names.addAll(matches(Pattern.compile("\\$\\{\\?([A-Z_]+)}"), read(file)));
    }
    names.addAll(
        matches(
            Pattern.compile("\\$\\{([A-Z_]+):-"),
            read("platform-node/src/main/resources/logback.xml")));
    return names;
  }

  /** The variables ConfigValidator (with ClusterDiscovery) names in its checks. */
  static Set<String> validated() throws IOException {
    String dir = "platform-node/src/main/java/org/example/helpdesk/platform/config/";
    return matches(
        Pattern.compile("\"([A-Z][A-Z0-9_]+)[\"=']"),
        read(dir + "ConfigValidator.java") + read(dir + "ClusterDiscovery.java"));
  }

  /** Asserts that a deployment file gives a node only variables it reads and checks. */
  static void assertKnown(String where, Set<String> given) throws IOException {
    Set<String> read = read();
    Set<String> validated = validated();
    for (String name : given) {
      if (name.startsWith("OTEL_")) {
        continue;
      }
      assertTrue(read.contains(name), where + ": " + name + " is read by no node");
      assertTrue(
          validated.contains(name) || CHECKED_ELSEWHERE.contains(name),
          where + ": " + name + " is not checked by ConfigValidator");
    }
  }

  /**
   * The node's configuration as this environment would resolve it, without this JVM's own
   * environment.
   */
  static Config asEnvironment(String resource, Map<String, String> env) {
    ConfigResolver environment =
        new ConfigResolver() {
          @Override
          public ConfigValue lookup(String path) {
            return env.containsKey(path)
                ? ConfigValueFactory.fromAnyRef(env.get(path), "deployment environment")
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

  /** Every YAML document of a file (a manifest may hold several). */
  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> yamlDocuments(String file) throws IOException {
    List<Map<String, Object>> documents = new java.util.ArrayList<>();
    for (Object document : new Yaml().loadAll(read(file))) {
      if (document != null) {
        documents.add((Map<String, Object>) document);
      }
    }
    return documents;
  }

  static String read(String file) throws IOException {
    return Files.readString(ROOT.resolve(file));
  }

  private static Set<String> matches(Pattern pattern, String text) {
    Set<String> names = new HashSet<>();
    Matcher m = pattern.matcher(text);
    while (m.find()) {
      names.add(m.group(1));
    }
    return names;
  }
}
