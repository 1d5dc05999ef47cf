package org.example.helpdesk.customer.outbox;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.example.helpdesk.customer.CustomerTestNode;
import org.example.helpdesk.customer.issue.IssueEntity;
import org.example.helpdesk.testsupport.HttpTestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The customer node's admin API of the outbox relay, from loopback (the node has no sign-in: other
 * addresses get a 403, see CustomerOpenApiTest), against the real PostgreSQL and RabbitMQ.
 */
class OutboxRelayAdminTest {

  @RegisterExtension static final CustomerTestNode node = new CustomerTestNode();

  @Test
  void fromLoopbackTheListShowsEveryRelayInstanceAndPauseHoldsEntriesBackUntilResumed()
      throws Exception {
    report("before");
    await().atMost(Duration.ofSeconds(20)).until(() -> node.issuesWithPendingEntries() == 0);
    JsonNode relay =
        await().atMost(Duration.ofSeconds(20)).until(OutboxRelayAdminTest::relay, r -> lag(r) == 0);
    Set<String> keys = new TreeSet<>();
    for (JsonNode instance : relay.path("instances")) {
      keys.add(instance.path("key").asText());
      assertEquals(OutboxRelay.NAME, instance.path("name").asText());
      assertEquals("running", instance.path("state").asText(), instance::toString);
      assertEquals(0.0, instance.path("lagSeconds").asDouble(), instance::toString);
    }
    assertEquals(new TreeSet<>(IssueEntity.tags()), keys);
    assertTrue(
        relay.path("instances").findValues("offset").stream()
            .anyMatch(o -> o.asText().matches("\\d+:\\d+")),
        relay::toString);

    HttpTestClient.Response paused =
        node.admin.post("/admin/projections/" + OutboxRelay.NAME + "/pause", null, new byte[0]);
    assertEquals(200, paused.status(), paused::toString);
    paused
        .json()
        .path("instances")
        .forEach(i -> assertEquals("paused", i.path("state").asText(), i::toString));

    report("while paused");
    await().atMost(Duration.ofSeconds(10)).until(() -> lag(relay()) >= 1);
    Thread.sleep(1_500);
    assertEquals(1, node.issuesWithPendingEntries(), "the entry waits in the outbox");
    relay()
        .path("instances")
        .forEach(i -> assertEquals("paused", i.path("state").asText(), i::toString));

    HttpTestClient.Response resumed =
        node.admin.post("/admin/projections/" + OutboxRelay.NAME + "/resume", null, new byte[0]);
    assertEquals(200, resumed.status(), resumed::toString);
    await().atMost(Duration.ofSeconds(20)).until(() -> node.issuesWithPendingEntries() == 0);
    await().atMost(Duration.ofSeconds(20)).until(() -> lag(relay()) == 0);
    relay()
        .path("instances")
        .forEach(i -> assertEquals("running", i.path("state").asText(), i::toString));
  }

  @Test
  void anUnknownProjectionIsA404AndTheRelayHasNoRebuild() {
    HttpTestClient.Response unknown =
        node.admin.post("/admin/projections/tickets/pause", null, new byte[0]);
    assertEquals(404, unknown.status(), unknown::toString);
    assertTrue(unknown.json().path("error").asText().contains(OutboxRelay.NAME), unknown::toString);
    assertEquals(
        404,
        node.admin
            .post("/admin/projections/" + OutboxRelay.NAME + "/rebuild", null, new byte[0])
            .status());
  }

  private static JsonNode relay() {
    HttpTestClient.Response list = node.admin.get("/admin/projections");
    assertEquals(200, list.status(), list::toString);
    assertEquals(1, list.json().path("projections").size(), list::toString);
    return list.json().path("projections").get(0);
  }

  private static long lag(JsonNode projection) {
    long lag = 0;
    for (JsonNode i : projection.path("instances")) {
      lag += i.path("lagEvents").asLong();
    }
    return lag;
  }

  private static void report(String content) {
    HttpTestClient.Response created =
        node.http.postJson(
            "/issues",
            "{\"issueId\":\""
                + UUID.randomUUID()
                + "\",\"email\":\"jane@example.com\",\"content\":\""
                + content
                + "\"}");
    assertEquals(201, created.status(), created::toString);
  }
}
