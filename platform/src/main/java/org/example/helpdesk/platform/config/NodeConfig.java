package org.example.helpdesk.platform.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.util.Arrays;
import java.util.List;

/**
 * Loads a node's configuration: its application.conf (with environment overrides), under explicit
 * overrides (tests, the all-in-one launcher), plus the settings HOCON cannot derive by itself.
 */
public final class NodeConfig {

  private NodeConfig() {}

  public static Config load() {
    return load(ConfigFactory.empty());
  }

  /** @param overrides win over application.conf and the environment */
  public static Config load(Config overrides) {
    Config unresolved = overrides.withFallback(ConfigFactory.parseResourcesAnySyntax("application"));
    Config first = ConfigFactory.load(unresolved);
    String systemName = first.getString("helpdesk.service-name");
    String jdbcUrl =
        jdbcUrlInSchema(
            first.getString("helpdesk.database.url"), first.getString("helpdesk.database.schema"));
    List<String> seeds =
        seedNodes(
            systemName,
            first.getString("helpdesk.cluster.seed-nodes"),
            first.getString("helpdesk.cluster.host"),
            first.getInt("helpdesk.cluster.port"));
    Config derived =
        ConfigFactory.empty()
            .withValue("pekko.cluster.seed-nodes", ConfigValueFactory.fromIterable(seeds))
            .withValue(
                "pekko-persistence-jdbc.shared-databases.slick.db.url",
                ConfigValueFactory.fromAnyRef(jdbcUrl));
    return ConfigFactory.load(derived.withFallback(unresolved));
  }

  /** {@code host:port,host:port} into the node's {@code pekko://} seed addresses. */
  static List<String> seedNodes(String systemName, String seedNodes, String selfHost, int selfPort) {
    if (seedNodes == null || seedNodes.isBlank()) {
      return List.of(address(systemName, selfHost, selfPort));
    }
    return Arrays.stream(seedNodes.split(","))
        .map(String::trim)
        .filter(s -> !s.isEmpty())
        .map(
            pair -> {
              int colon = pair.lastIndexOf(':');
              if (colon <= 0 || colon == pair.length() - 1) {
                throw new IllegalArgumentException(
                    "SEED_NODES entry '" + pair + "' is not host:port");
              }
              String port = pair.substring(colon + 1);
              try {
                return address(systemName, pair.substring(0, colon), Integer.parseInt(port));
              } catch (NumberFormatException e) {
                throw new IllegalArgumentException(
                    "SEED_NODES entry '" + pair + "' has an invalid port", e);
              }
            })
        .toList();
  }

  private static String address(String systemName, String host, int port) {
    return "pekko://" + systemName + "@" + host + ":" + port;
  }

  /** The JDBC URL whose connections default to the node's schema. */
  public static String jdbcUrlInSchema(String url, String schema) {
    if (url.contains("currentSchema=")) {
      return url;
    }
    return url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
  }
}
