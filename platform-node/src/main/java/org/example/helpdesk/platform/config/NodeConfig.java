package org.example.helpdesk.platform.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.util.Arrays;
import java.util.List;
import org.example.helpdesk.platform.support.Secrets;
import org.example.helpdesk.platform.support.StartupFailure;

/**
 * Loads a node's configuration: its own resource (e.g. {@code backoffice.conf}, with environment
 * overrides), under explicit overrides (tests, the all-in-one launcher), plus the settings HOCON
 * cannot derive by itself. Each service names its resource after itself, not application.conf, so
 * that nodes of both services can share one class path.
 */
public final class NodeConfig {

  private NodeConfig() {}

  /**
   * @param resource the service's configuration resource, without extension
   * @param overrides win over the resource and the environment
   */
  public static Config load(String resource, Config overrides) {
    Config unresolved = unresolved(resource, overrides);
    return derive(ConfigFactory.load(unresolved), unresolved);
  }

  /**
   * As {@link #load}, for a node about to start: every setting is checked first ({@link
   * ConfigValidator}), and the node's passwords are registered with {@link Secrets} before any of
   * them could be printed.
   *
   * @throws StartupFailure naming every invalid setting
   */
  public static Config loadChecked(String resource, Config overrides) {
    Config unresolved = unresolved(resource, overrides);
    Config first;
    try {
      first = ConfigFactory.load(unresolved);
    } catch (ConfigException e) {
      throw new StartupFailure(
          "invalid settings (nothing was started): " + Secrets.redact(e.getMessage()),
          StartupFailure.INVALID_SETTINGS,
          e);
    }
    Secrets.registerNodeSecrets(first);
    ConfigValidator.check(first);
    return derive(first, unresolved);
  }

  private static Config unresolved(String resource, Config overrides) {
    return overrides
        .withFallback(ConfigFactory.parseResourcesAnySyntax("application"))
        .withFallback(ConfigFactory.parseResourcesAnySyntax(resource));
  }

  private static Config derive(Config first, Config unresolved) {
    String systemName = first.getString("helpdesk.service-name");
    String jdbcUrl =
        jdbcUrlInSchema(
            first.getString("helpdesk.database.url"), first.getString("helpdesk.database.schema"));
    // with Cluster Bootstrap there are no seed nodes: the bootstrap finds and joins the others
    List<String> seeds =
        ClusterDiscovery.bootstraps(first)
            ? List.of()
            : seedNodes(
                systemName,
                first.getString("helpdesk.cluster.seed-nodes"),
                first.getString("helpdesk.cluster.host"),
                first.getInt("helpdesk.cluster.port"));
    Config derived =
        ConfigFactory.empty()
            .withValue("pekko.cluster.seed-nodes", ConfigValueFactory.fromIterable(seeds))
            .withValue(
                "pekko-persistence-jdbc.shared-databases.slick.db.url",
                ConfigValueFactory.fromAnyRef(jdbcUrl))
            .withValue(
                "pekko.loglevel",
                ConfigValueFactory.fromAnyRef(pekkoLogLevel(first.getString("pekko.loglevel"))));
    return ConfigFactory.load(
        derived.withFallback(ClusterDiscovery.derived(first)).withFallback(unresolved));
  }

  /** {@code host:port,host:port} into the node's {@code pekko://} seed addresses. */
  static List<String> seedNodes(
      String systemName, String seedNodes, String selfHost, int selfPort) {
    if (seedNodes == null || seedNodes.isBlank()) {
      // port 0 (chosen by the OS, as in tests): no address to name yet; the node joins itself
      return selfPort == 0 ? List.of() : List.of(address(systemName, selfHost, selfPort));
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

  /**
   * {@code LOG_LEVEL} names Logback's levels (also the root level in logback.xml); Pekko calls WARN
   * WARNING and has no TRACE.
   */
  static String pekkoLogLevel(String level) {
    return switch (level.trim().toUpperCase(java.util.Locale.ROOT)) {
      case "WARN" -> "WARNING";
      case "TRACE", "ALL" -> "DEBUG";
      default -> level.trim();
    };
  }

  /** The JDBC URL whose connections default to the node's schema. */
  public static String jdbcUrlInSchema(String url, String schema) {
    if (url.contains("currentSchema=")) {
      return url;
    }
    return url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
  }
}
