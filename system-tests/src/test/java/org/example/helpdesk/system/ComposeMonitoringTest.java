package org.example.helpdesk.system;

import static org.example.helpdesk.system.DockerComposeTest.map;
import static org.example.helpdesk.system.DockerComposeTest.matches;
import static org.example.helpdesk.system.DockerComposeTest.services;
import static org.example.helpdesk.system.NodeVariables.read;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.example.helpdesk.backoffice.auth.Employees;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The compose stack's load balancer, Prometheus (scrapes and alert rules) and Grafana (data source
 * and dashboard), checked against the compose file and the nodes: every node behind its service's
 * address and scraped, and every metric the rules and the dashboard use one a node exports.
 */
class ComposeMonitoringTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void theLoadBalancerSendsEachServicesPortToAllItsNodes() throws IOException {
    String nginx = read("deploy/compose/nginx.conf");
    assertEquals(
        List.of("customer-node-1:8081", "customer-node-2:8081"),
        matches("(?m)^\\s*server (customer-node-[0-9]:[0-9]+)", nginx));
    assertEquals(
        List.of("backoffice-node-1:8082", "backoffice-node-2:8082", "backoffice-node-3:8082"),
        matches("(?m)^\\s*server (backoffice-node-[0-9]:[0-9]+)", nginx));
    assertEquals(List.of("8081", "8082", "8090"), matches("(?m)^\\s*listen ([0-9]+);", nginx));
    Map<String, Object> lb = map(services(), "load-balancer");
    assertEquals(List.of("8081:8081", "8082:8082"), lb.get("ports"));
    assertTrue(
        ((List<?>) lb.get("volumes"))
            .contains("./deploy/compose/nginx.conf:/etc/nginx/nginx.conf:ro"));
    for (String node : DockerComposeTest.NODES) {
      assertEquals(
          "service_healthy",
          map(map(lb, "depends_on"), node).get("condition"),
          "waits for " + node);
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void prometheusScrapesEveryNodeAndSignsInToTheBackoffice() throws IOException {
    Map<String, Object> prometheus =
        new Yaml().load(read("deploy/compose/prometheus/prometheus.yml"));
    Set<String> targets = new TreeSet<>();
    for (Object job : (List<?>) prometheus.get("scrape_configs")) {
      Map<String, Object> scrape = (Map<String, Object>) job;
      String name = String.valueOf(scrape.get("job_name"));
      for (Object group : (List<?>) scrape.get("static_configs")) {
        for (Object target : (List<?>) ((Map<String, Object>) group).get("targets")) {
          targets.add(target.toString());
          if (name.equals("backoffice-service")) {
            Map<String, Object> auth = (Map<String, Object>) scrape.get("basic_auth");
            // the scraper is an employee of the mounted file, with that password
            Employees employees =
                Employees.parse(
                    "",
                    NodeVariables.ROOT.resolve("deploy/compose/employees").toString(),
                    Clock.systemUTC());
            assertTrue(
                employees
                    .verifyAsync(auth.get("username").toString(), auth.get("password").toString())
                    .toCompletableFuture()
                    .join()
                    .isPresent(),
                "Prometheus signs in to the backoffice's /metrics");
          }
        }
      }
      if (!name.equals("prometheus")) {
        assertEquals("/metrics", scrape.get("metrics_path"));
      }
    }
    Set<String> expected = new TreeSet<>(Set.of("localhost:9090"));
    for (String node : DockerComposeTest.NODES) {
      expected.add(node + (node.startsWith("customer") ? ":8081" : ":8082"));
    }
    assertEquals(expected, targets);
    assertEquals(List.of("/etc/prometheus/alerts.yml"), prometheus.get("rule_files"));
    assertTrue(
        ((List<?>) map(services(), "prometheus").get("volumes"))
            .contains("./deploy/compose/prometheus:/etc/prometheus:ro"));
  }

  @Test
  @SuppressWarnings("unchecked")
  void theAlertsCoverBacklogDeadLettersLagAndNodesAndUseMetricsTheNodesExport() throws IOException {
    Map<String, Object> rules = new Yaml().load(read("deploy/compose/prometheus/alerts.yml"));
    Set<String> alerts = new TreeSet<>();
    List<String> expressions = new ArrayList<>();
    for (Object group : (List<?>) rules.get("groups")) {
      for (Object rule : (List<?>) ((Map<String, Object>) group).get("rules")) {
        Map<String, Object> r = (Map<String, Object>) rule;
        alerts.add(r.get("alert").toString());
        expressions.add(r.get("expr").toString());
        assertTrue(r.containsKey("for") && r.containsKey("annotations"), r.toString());
      }
    }
    assertEquals(
        Set.of("NodeDown", "OutboxBacklogGrowing", "DeadLettersPresent", "ProjectionLagHigh"),
        alerts);
    assertExported(expressions);
  }

  @Test
  void grafanaIsProvisionedWithTheDashboard() throws IOException {
    Map<String, Object> grafana = map(services(), "grafana");
    assertTrue(
        ((List<?>) grafana.get("volumes"))
            .containsAll(
                List.of(
                    "./deploy/compose/grafana/provisioning:/etc/grafana/provisioning:ro",
                    "./deploy/compose/grafana/dashboards:/var/lib/grafana/dashboards:ro")));
    String datasource = read("deploy/compose/grafana/provisioning/datasources/prometheus.yml");
    assertTrue(datasource.contains("url: http://prometheus:9090"), datasource);
    assertTrue(
        read("deploy/compose/grafana/provisioning/dashboards/helpdesk.yml")
            .contains("path: /var/lib/grafana/dashboards"));

    JsonNode dashboard = JSON.readTree(read("deploy/compose/grafana/dashboards/helpdesk.json"));
    List<String> titles = new ArrayList<>();
    List<String> expressions = new ArrayList<>();
    for (JsonNode panel : dashboard.path("panels")) {
      titles.add(panel.path("title").asText());
      for (JsonNode target : panel.path("targets")) {
        expressions.add(target.path("expr").asText());
      }
    }
    String all = String.join("\n", titles).toLowerCase(java.util.Locale.ROOT);
    for (String topic :
        List.of(
            "published /s",
            "end-to-end lag",
            "outbox backlog",
            "inbox /s",
            "dead letters",
            "jvm heap",
            "gc")) {
      assertTrue(all.contains(topic), "a panel on " + topic + ": " + titles);
    }
    assertExported(expressions);
  }

  /** Every helpdesk_* metric these expressions use is one the nodes register. */
  private static void assertExported(List<String> expressions) throws IOException {
    Set<String> registered = registeredNames();
    for (String expr : expressions) {
      for (String metric : matches("(helpdesk_[a-z_]+)", expr)) {
        // (a counter's samples end in _total, a histogram's in _bucket, _sum and _count)
        String base = metric.replaceFirst("_(total|bucket|sum|count)$", "");
        assertTrue(
            registered.contains(base)
                || registered.stream().anyMatch(r -> r.endsWith("_") && base.startsWith(r)),
            metric + " (in " + expr + ") is exported by no node; they export " + registered);
      }
    }
  }

  /** The metric names written in the nodes' sources ("helpdesk_..." literals). */
  private static Set<String> registeredNames() throws IOException {
    Set<String> names = new HashSet<>();
    for (String module :
        List.of("platform-persistence", "platform-node", "customer-node", "backoffice-node")) {
      try (Stream<Path> files = Files.walk(NodeVariables.ROOT.resolve(module + "/src/main/java"))) {
        for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
          names.addAll(matches("\"(helpdesk_[a-z_]+)\"", Files.readString(file)));
        }
      }
    }
    return names;
  }
}
