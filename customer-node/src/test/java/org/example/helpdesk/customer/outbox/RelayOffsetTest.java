package org.example.helpdesk.customer.outbox;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.UUID;
import org.example.helpdesk.customer.CustomerTestNode;
import org.example.helpdesk.customer.issue.IssueEntity;
import org.example.helpdesk.testsupport.HttpTestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The offset lever on the customer node's outbox relay (from loopback), against the real PostgreSQL
 * and RabbitMQ: an issue's change passed over by a move to the head is never relayed (its outbox
 * entry stays pending); moved back, it is.
 */
class RelayOffsetTest {

  private static final String ADMIN = "/admin/projections/" + OutboxRelay.NAME;

  @RegisterExtension static final CustomerTestNode node = new CustomerTestNode();

  @Test
  void aChangePassedOverIsNotRelayedUntilTheOffsetIsSetBack() throws Exception {
    UUID anchor = report("anchor");
    String tag = IssueEntity.tagFor(anchor);
    await().atMost(Duration.ofSeconds(20)).until(() -> node.issuesWithPendingEntries() == 0);
    await().atMost(Duration.ofSeconds(20)).until(() -> lag(tag) == 0);

    HttpTestClient.Response running = move("{\"key\":\"" + tag + "\",\"toHead\":true}");
    assertEquals(409, running.status(), running::toString);

    assertEquals(200, node.admin.post(ADMIN + "/pause", null, new byte[0]).status());
    UUID passedOver = reportIn(tag);
    await().atMost(Duration.ofSeconds(10)).until(() -> lag(tag) == 1);
    HttpTestClient.Response head = move("{\"key\":\"" + tag + "\",\"toHead\":true}");
    assertEquals(200, head.status(), head::toString);
    String before = head.json().path("from").asText();
    assertEquals(1, head.json().path("skipped").asLong(), head::toString);
    assertEquals("the admin token", head.json().path("by").asText(), head::toString);
    assertEquals(200, node.admin.post(ADMIN + "/resume", null, new byte[0]).status());

    // a later change of the same instance is relayed: the one passed over stays pending
    reportIn(tag);
    await().atMost(Duration.ofSeconds(20)).until(() -> lag(tag) == 0);
    await().atMost(Duration.ofSeconds(20)).until(() -> node.issuesWithPendingEntries() == 1);
    // and stays so (a relay of it would take milliseconds)
    await("issue " + passedOver + " stays pending")
        .during(Duration.ofMillis(500))
        .atMost(Duration.ofSeconds(2))
        .until(() -> node.issuesWithPendingEntries() == 1);

    assertEquals(200, node.admin.post(ADMIN + "/pause", null, new byte[0]).status());
    HttpTestClient.Response back = move("{\"key\":\"" + tag + "\",\"offset\":\"" + before + "\"}");
    assertEquals(200, back.status(), back::toString);
    assertEquals(200, node.admin.post(ADMIN + "/resume", null, new byte[0]).status());
    await().atMost(Duration.ofSeconds(20)).until(() -> node.issuesWithPendingEntries() == 0);
  }

  private static HttpTestClient.Response move(String body) {
    return node.admin.postJson(ADMIN + "/offset", body);
  }

  private static long lag(String key) {
    HttpTestClient.Response list = node.admin.get("/admin/projections");
    for (JsonNode i : list.json().path("projections").get(0).path("instances")) {
      if (i.path("key").asText().equals(key)) {
        return i.path("lagEvents").asLong();
      }
    }
    throw new AssertionError("no instance " + key + " in " + list);
  }

  private static UUID reportIn(String tag) {
    while (true) {
      UUID id = UUID.randomUUID();
      if (IssueEntity.tagFor(id).equals(tag)) {
        return report(id, "in " + tag);
      }
    }
  }

  private static UUID report(String content) {
    return report(UUID.randomUUID(), content);
  }

  private static UUID report(UUID id, String content) {
    HttpTestClient.Response created =
        node.http.postJson(
            "/issues",
            "{\"issueId\":\""
                + id
                + "\",\"email\":\"jane@example.com\",\"content\":\""
                + content
                + "\"}");
    assertEquals(201, created.status(), created::toString);
    return id;
  }
}
