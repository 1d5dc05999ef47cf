package org.example.helpdesk.platform.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * How a node finds the other nodes of its service: the static {@code SEED_NODES}, or Pekko Cluster
 * Bootstrap ({@code CLUSTER_DISCOVERY}) asking a discovery method for the nodes' management
 * endpoints. "config" lists them in {@code CLUSTER_DISCOVERY_ENDPOINTS} (compose, tests);
 * "kubernetes-api" asks Kubernetes for the pods labelled {@code app=<service-name>}.
 */
public final class ClusterDiscovery {

  public static final List<String> METHODS = List.of("none", "config", "kubernetes-api");

  private static final Pattern VERSION = Pattern.compile("[0-9]+(\\.[0-9]+)*([-+][0-9A-Za-z.-]+)?");

  private ClusterDiscovery() {}

  /** Whether the node forms or joins its cluster through Cluster Bootstrap. */
  public static boolean bootstraps(Config config) {
    return config.hasPath("helpdesk.cluster.discovery") && !method(config).equals("none");
  }

  static String method(Config config) {
    return config.getString("helpdesk.cluster.discovery").trim();
  }

  /** The rules between the cluster settings (each value itself is checked by ConfigValidator). */
  static List<String> problems(Config config) {
    if (!config.hasPath("helpdesk.cluster.discovery")) {
      return List.of();
    }
    String method = method(config);
    List<String> problems = new ArrayList<>();
    if (config.hasPath("pekko.cluster.app-version")) {
      String version = config.getString("pekko.cluster.app-version");
      if (!VERSION.matcher(version).matches()) {
        problems.add(
            "APP_VERSION='"
                + version
                + "' (pekko.cluster.app-version): not a version such as 1.4.2 or 1.4.2-RC1");
      }
    }
    if (!METHODS.contains(method)) {
      problems.add(
          "CLUSTER_DISCOVERY='" + method + "' (helpdesk.cluster.discovery): not one of " + METHODS);
    } else if (!method.equals("none")
        && !config.getString("helpdesk.cluster.seed-nodes").isBlank()) {
      problems.add(
          "SEED_NODES and CLUSTER_DISCOVERY="
              + method
              + " both say how to find the other nodes: give one of them");
    } else if (method.equals("config") && endpoints(config).isEmpty()) {
      problems.add(
          "CLUSTER_DISCOVERY_ENDPOINTS (helpdesk.cluster.discovery-endpoints): empty, while"
              + " CLUSTER_DISCOVERY=config needs every node's management endpoint (host:port,...)");
    }
    return problems;
  }

  /** The Pekko settings that follow from the node's discovery settings. */
  static Config derived(Config config) {
    if (!bootstraps(config)) {
      return ConfigFactory.empty();
    }
    String method = method(config);
    Config derived =
        ConfigFactory.empty()
            .withValue("pekko.discovery.method", ConfigValueFactory.fromAnyRef(method))
            .withValue(
                "pekko.management.cluster.bootstrap.contact-point-discovery.discovery-method",
                ConfigValueFactory.fromAnyRef(method));
    if (method.equals("config")) {
      List<Map<String, Object>> endpoints =
          endpoints(config).stream()
              .map(
                  pair -> {
                    int colon = pair.lastIndexOf(':');
                    return Map.<String, Object>of(
                        "host",
                        pair.substring(0, colon),
                        "port",
                        Integer.parseInt(pair.substring(colon + 1)));
                  })
              .toList();
      // (a quoted key: the service name has a dash, which a path would read as is anyway)
      derived =
          derived.withValue(
              "pekko.discovery.config.services.\""
                  + config.getString("helpdesk.service-name")
                  + "\".endpoints",
              ConfigValueFactory.fromIterable(endpoints));
    }
    return derived;
  }

  private static List<String> endpoints(Config config) {
    return Arrays.stream(config.getString("helpdesk.cluster.discovery-endpoints").split(","))
        .map(String::trim)
        .filter(s -> !s.isEmpty())
        .toList();
  }
}
