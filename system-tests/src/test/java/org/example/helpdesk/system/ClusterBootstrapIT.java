package org.example.helpdesk.system;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import org.example.helpdesk.testsupport.FreePorts;
import org.example.helpdesk.testsupport.NodeProcess;
import org.example.helpdesk.testsupport.TestBroker;
import org.example.helpdesk.testsupport.TestEmployees;
import org.example.helpdesk.testsupport.TestPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Three backoffice nodes, started at the same moment as processes with no {@code SEED_NODES}, form
 * one cluster through Pekko Cluster Bootstrap with config discovery (as in docker-compose.yml), and
 * a node that is replaced (a rolling update's step) joins the cluster that is there instead of
 * forming a second one. Pekko Management's {@code /ready} answers what the node's own readiness
 * answers.
 */
class ClusterBootstrapIT {

  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final String schema = TestPostgres.newSchemaName("backoffice");
  private final String run = UUID.randomUUID().toString().substring(0, 8);
  private final List<NodeProcess> nodes = new ArrayList<>();
  private final List<Integer> managementPorts = new ArrayList<>();
  private final List<Map<String, String>> environments = new ArrayList<>();

  @AfterEach
  void stopNodes() {
    nodes.forEach(NodeProcess::close);
    TestPostgres.dropSchema(schema);
  }

  @Test
  void threeNodesFormOneClusterWithoutSeedNodesAndAReplacedOneJoinsIt() throws Exception {
    TestBroker.deleteQueuesAndExchanges(List.of("backoffice_service"), List.of());
    for (int i = 0; i < 3; i++) {
      managementPorts.add(FreePorts.next());
    }
    String endpoints =
        managementPorts.stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(","));
    for (int i = 0; i < 3; i++) {
      environments.add(environment(i, endpoints));
    }
    // all at once: the race in which a naive "first one forms it" would make several clusters
    for (int i = 0; i < 3; i++) {
      nodes.add(node(i, 1));
    }
    nodes.forEach(NodeProcess::start);
    nodes.forEach(n -> n.awaitHealthy(Duration.ofSeconds(120)));

    Set<String> members = awaitOneClusterOf(3, List.of(0, 1, 2));
    for (int i = 0; i < 3; i++) {
      int port = managementPorts.get(i);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> status(port, "/ready") == 200 && status(port, "/alive") == 200);
      assertEquals(200, nodes.get(i).status("/health/ready"));
    }

    // replace the oldest node, as a rolling update does: it must join the two that are left
    nodes.get(0).stop();
    awaitOneClusterOf(2, List.of(1, 2));
    NodeProcess replacement = node(0, 2).start();
    nodes.set(0, replacement);
    replacement.awaitHealthy(Duration.ofSeconds(120));
    Set<String> after = awaitOneClusterOf(3, List.of(0, 1, 2));
    assertEquals(3, after.size());
    assertFalse(members.equals(after), "the replacement is a new incarnation: " + after);
  }

  /** Waits until these nodes all see the same members, this many, all Up; returns them. */
  private Set<String> awaitOneClusterOf(int size, List<Integer> which) {
    List<Set<String>> seen = new ArrayList<>();
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () -> {
              seen.clear();
              for (int i : which) {
                seen.add(upMembers(managementPorts.get(i)));
              }
              return seen.stream().distinct().count() == 1 && seen.get(0).size() == size;
            });
    return seen.get(0);
  }

  /** The Up members (address and uid) a node's Pekko Management lists. */
  private static Set<String> upMembers(int managementPort) throws Exception {
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + managementPort + "/cluster/members"))
                .timeout(Duration.ofSeconds(3))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    Set<String> up = new TreeSet<>();
    if (response.statusCode() != 200) {
      return up;
    }
    JsonNode body = JSON.readTree(response.body());
    if (body.path("unreachable").size() > 0) {
      return Set.of(); // not settled yet
    }
    for (JsonNode member : body.path("members")) {
      if (member.path("status").asText().equals("Up")) {
        up.add(member.path("node").asText() + "#" + member.path("nodeUid").asText());
      }
    }
    return up;
  }

  private static int status(int port, String path) {
    try {
      return HTTP.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                  .timeout(Duration.ofSeconds(5))
                  .build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (Exception e) {
      return -1;
    }
  }

  private Map<String, String> environment(int i, String endpoints) {
    Map<String, String> env = new HashMap<>();
    env.put("DATABASE_URL", TestPostgres.jdbcUrl());
    env.put("DATABASE_USER", TestPostgres.user());
    env.put("DATABASE_PASSWORD", TestPostgres.password());
    env.put("DATABASE_SCHEMA", schema);
    env.put("AMQP_URI", TestBroker.amqpUri());
    env.put("HTTP_HOST", "127.0.0.1");
    env.put("HTTP_PORT", String.valueOf(FreePorts.next()));
    env.put("CLUSTER_HOST", "127.0.0.1");
    env.put("CLUSTER_PORT", String.valueOf(FreePorts.next()));
    env.put("CLUSTER_DISCOVERY", "config");
    env.put("CLUSTER_DISCOVERY_ENDPOINTS", endpoints);
    env.put("CLUSTER_REQUIRED_CONTACT_POINTS", "3");
    env.put("MANAGEMENT_PORT", String.valueOf(managementPorts.get(i)));
    env.put("EMPLOYEES", TestEmployees.ENTRIES);
    env.put("SESSION_SECRET", "bootstrap-test-session-secret-of-32-bytes");
    return env;
  }

  private NodeProcess node(int i, int incarnation) {
    Map<String, String> env = environments.get(i);
    String name = "bootstrap-" + (i + 1) + "." + incarnation + "-" + run;
    return new NodeProcess(
        name,
        ROOT,
        "backoffice-node",
        Integer.parseInt(env.get("HTTP_PORT")),
        List.of("-Xmx256m", "-XX:+UseSerialGC"),
        env,
        ROOT.resolve("system-tests/target/bootstrap-logs/" + name + ".log"));
  }
}
