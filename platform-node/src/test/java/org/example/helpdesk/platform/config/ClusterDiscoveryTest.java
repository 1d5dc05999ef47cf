package org.example.helpdesk.platform.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** SEED_NODES or Cluster Bootstrap: the settings' rules, and what the node makes of them. */
class ClusterDiscoveryTest {

  private static final String SERVICE = "discovery-test";

  private static Map<String, Object> base() {
    Map<String, Object> base = new HashMap<>();
    base.put("helpdesk.service-name", SERVICE);
    base.put("helpdesk.defaults.http-port", 8081);
    base.put("helpdesk.defaults.cluster-port", 2551);
    base.put("helpdesk.defaults.database-schema", "customer");
    return base;
  }

  private static List<String> problems(Map<String, String> values) {
    return ConfigValidator.problems(
        ConfigFactory.load(
            ConfigFactory.parseMap(values)
                .withFallback(ConfigFactory.parseMap(base()))
                .withFallback(ConfigFactory.parseResourcesAnySyntax("helpdesk-node"))));
  }

  private static Config load(Map<String, String> values) {
    return NodeConfig.load(
        "helpdesk-node",
        ConfigFactory.parseMap(values).withFallback(ConfigFactory.parseMap(base())));
  }

  @Test
  void withoutDiscoveryTheSeedNodesAreTheWayAndNoManagementStarts() {
    Config config = load(Map.of("helpdesk.cluster.seed-nodes", "10.0.0.1:2551,10.0.0.2:2551"));
    assertFalse(ClusterDiscovery.bootstraps(config));
    assertEquals(
        List.of("pekko://" + SERVICE + "@10.0.0.1:2551", "pekko://" + SERVICE + "@10.0.0.2:2551"),
        config.getStringList("pekko.cluster.seed-nodes"));
  }

  @Test
  void configDiscoveryListsEveryManagementEndpointAndLeavesNoSeedNodes() {
    Config config =
        load(
            Map.of(
                "helpdesk.cluster.discovery", "config",
                "helpdesk.cluster.discovery-endpoints", " node-1:7626, node-2:7626 ,node-3:7000",
                "helpdesk.cluster.required-contact-points", "3"));
    assertTrue(ClusterDiscovery.bootstraps(config));
    assertEquals(List.of(), config.getStringList("pekko.cluster.seed-nodes"));
    assertEquals("config", config.getString("pekko.discovery.method"));
    String bootstrap = "pekko.management.cluster.bootstrap.contact-point-discovery.";
    assertEquals("config", config.getString(bootstrap + "discovery-method"));
    assertEquals(SERVICE, config.getString(bootstrap + "service-name"));
    assertEquals(3, config.getInt(bootstrap + "required-contact-point-nr"));
    List<? extends Config> endpoints =
        config.getConfigList("pekko.discovery.config.services." + SERVICE + ".endpoints");
    assertEquals(
        List.of("node-1:7626", "node-2:7626", "node-3:7000"),
        endpoints.stream().map(e -> e.getString("host") + ":" + e.getInt("port")).toList());
    assertEquals(7626, config.getInt("pekko.management.http.port"));
  }

  @Test
  void kubernetesDiscoveryAsksForThePodsOfTheService() {
    Config config = load(Map.of("helpdesk.cluster.discovery", "kubernetes-api"));
    assertTrue(ClusterDiscovery.bootstraps(config));
    assertEquals("kubernetes-api", config.getString("pekko.discovery.method"));
    assertEquals("app=%s", config.getString("pekko.discovery.kubernetes-api.pod-label-selector"));
    assertEquals(List.of(), config.getStringList("pekko.cluster.seed-nodes"));
  }

  @Test
  void theRulesBetweenTheSettings() {
    assertEquals(List.of(), problems(Map.of("helpdesk.cluster.discovery", "kubernetes-api")));
    assertOne(
        problems(Map.of("helpdesk.cluster.discovery", "dns")),
        "CLUSTER_DISCOVERY='dns'",
        "not one of [none, config, kubernetes-api]");
    assertOne(
        problems(
            Map.of(
                "helpdesk.cluster.discovery", "kubernetes-api",
                "helpdesk.cluster.seed-nodes", "10.0.0.1:2551")),
        "SEED_NODES and CLUSTER_DISCOVERY=kubernetes-api",
        "give one of them");
    assertOne(
        problems(Map.of("helpdesk.cluster.discovery", "config")),
        "CLUSTER_DISCOVERY_ENDPOINTS",
        "needs every node's management endpoint");
    assertOne(
        problems(
            Map.of(
                "helpdesk.cluster.discovery", "config",
                "helpdesk.cluster.discovery-endpoints", "node-1")),
        "CLUSTER_DISCOVERY_ENDPOINTS='node-1'",
        "not host:port");
    assertOne(
        problems(Map.of("helpdesk.cluster.required-contact-points", "0")),
        "CLUSTER_REQUIRED_CONTACT_POINTS",
        "at least 1");
    assertOne(problems(Map.of("helpdesk.cluster.management-port", "x")), "MANAGEMENT_PORT", "port");
    assertEquals(List.of(), problems(Map.of("pekko.cluster.app-version", "1.4.2-RC1")));
    assertOne(
        problems(Map.of("pekko.cluster.app-version", "latest")),
        "APP_VERSION='latest'",
        "not a version");
  }

  private static void assertOne(List<String> problems, String starts, String contains) {
    assertEquals(1, problems.size(), problems.toString());
    assertTrue(problems.get(0).startsWith(starts), problems.get(0));
    assertTrue(problems.get(0).contains(contains), problems.get(0));
  }
}
