package org.example.helpdesk.customer.outbox;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.example.helpdesk.customer.CustomerTestNode;
import org.example.helpdesk.customer.issue.IssueEntity;
import org.example.helpdesk.testsupport.PrometheusText;
import org.example.helpdesk.testsupport.TestBroker;
import org.junit.jupiter.api.Test;

/** The outbox relay against the real PostgreSQL and RabbitMQ. */
class OutboxRelayTest {

  /** A message as the backoffice would receive it. */
  record Received(
      String type,
      String messageId,
      String correlationId,
      String contentType,
      Integer deliveryMode,
      boolean hasTimestamp,
      String body) {}

  @Test
  void entriesArePublishedInOrderPerIssueAndDroppedOnceConfirmed() {
    try (CustomerTestNode customer = new CustomerTestNode()) {
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < 30; i++) {
        ids.add(report(customer, "issue " + i));
      }
      for (int i = 0; i < ids.size(); i += 2) {
        assertEquals(
            200,
            customer.http.post("/issues/" + ids.get(i) + "/close", null, new byte[0]).status());
      }

      Map<String, List<Received>> byIssue = drain(45);

      for (int i = 0; i < ids.size(); i++) {
        String id = ids.get(i);
        List<Received> messages = byIssue.get(id);
        assertNotNull(messages, "messages of " + id);
        assertEquals(i % 2 == 0 ? 2 : 1, messages.size(), "messages of " + id);
        Received prepare = messages.get(0);
        assertEquals("ticket.prepareTicket", prepare.type());
        assertEquals(id + ":1", prepare.messageId());
        assertEquals(id, prepare.correlationId());
        assertEquals("application/json", prepare.contentType());
        assertEquals(2, prepare.deliveryMode());
        assertTrue(prepare.hasTimestamp());
        assertEquals(
            "{\"ticketId\":\""
                + id
                + "\",\"ticketType\":\"customer-issue\",\"description\":\"issue "
                + i
                + "\"}",
            prepare.body());
        if (i % 2 == 0) {
          assertEquals("ticket.cancel", messages.get(1).type());
          assertEquals(id + ":2", messages.get(1).messageId());
          assertEquals("{\"ticketId\":\"" + id + "\"}", messages.get(1).body());
        }
      }
      await().atMost(Duration.ofSeconds(20)).until(() -> customer.issuesWithPendingEntries() == 0);
    }
  }

  @Test
  void whileTheBrokerIsDownEntriesStayPendingAndAreAllDeliveredWhenItIsBack() {
    try (CustomerTestNode customer = new CustomerTestNode()) {
      report(customer, "warm-up");
      drain(1);
      List<String> ids = new ArrayList<>();
      TestBroker.stop();
      try {
        for (int i = 0; i < 10; i++) {
          ids.add(report(customer, "while the broker is down " + i));
        }
        for (int i = 0; i < 5; i++) {
          assertEquals(
              200,
              customer.http.post("/issues/" + ids.get(i) + "/close", null, new byte[0]).status());
        }
        // nothing could be confirmed, so nothing may be dropped from the outbox
        await()
            .during(Duration.ofSeconds(3))
            .atMost(Duration.ofSeconds(5))
            .until(() -> customer.issuesWithPendingEntries() == 10);
      } finally {
        TestBroker.start();
      }

      Map<String, List<Received>> byIssue = drain(15);
      for (int i = 0; i < ids.size(); i++) {
        List<String> types =
            byIssue.get(ids.get(i)).stream().map(Received::type).distinct().toList();
        assertEquals(
            i < 5
                ? List.of("ticket.prepareTicket", "ticket.cancel")
                : List.of("ticket.prepareTicket"),
            types);
      }
      await().atMost(Duration.ofSeconds(30)).until(() -> customer.issuesWithPendingEntries() == 0);
    }
  }

  @Test
  void aRowThatCannotBeReadIsPassedNamedAndCountedAndTheRestOfItsTagIsPublished() {
    try (CustomerTestNode customer = new CustomerTestNode()) {
      String tag = "issue-2";
      UUID garbage = idInTag(tag);
      customer.sql.execute(
          "INSERT INTO durable_state (persistence_id, revision, state_payload, state_serial_id, state_serial_manifest,"
              + " tag, state_timestamp) VALUES ('Issue|"
              + garbage
              + "', 1, convert_to('{\"issueId\": not json', 'UTF8'),"
              + " 31, 'org.example.helpdesk.customer.issue.Issue$ReportedIssue', '"
              + tag
              + "', 0)");
      UUID after = idInTag(tag);
      var response =
          customer.http.postJson(
              "/issues",
              "{\"issueId\":\""
                  + after
                  + "\",\"email\":\"jane@example.com\",\"content\":\"after the garbage\"}");
      assertEquals(201, response.status(), response.toString());

      Map<String, List<Received>> byIssue = drain(1);

      assertEquals(after + ":1", byIssue.get(after.toString()).get(0).messageId());
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  metric(
                          customer,
                          "helpdesk_change_feed_unreadable_rows_total{table=\"durable_state\",tag=\""
                              + tag
                              + "\"}")
                      == 1.0);
      assertEquals(
          1,
          customer.sql.count(
              "SELECT count(*) FROM durable_state WHERE persistence_id = ?", "Issue|" + garbage),
          "left in place");
    }
  }

  /**
   * An issue stored while the outbox held the backoffice's commands ({@code command} entries, the
   * manifest without a version) is read as facts: its report is relayed exactly as it was, and
   * closing it now adds the close after it.
   */
  @Test
  void anIssueStoredInTheOldOutboxFormatIsRelayedAsBeforeAndCanBeClosed() {
    try (CustomerTestNode customer = new CustomerTestNode()) {
      UUID id = UUID.randomUUID();
      String oldDocument =
          "{\"issueId\":\""
              + id
              + "\",\"email\":\"jane@example.com\",\"content\":\"stored long ago\","
              + "\"status\":\"OPEN\",\"reportedAt\":\"2026-11-26T09:00:00Z\",\"closedAt\":null,"
              + "\"outbox\":[{\"number\":1,\"command\":{\"commandName\":\"ticket.prepareTicket\","
              + "\"ticketId\":\""
              + id
              + "\",\"ticketType\":\"customer-issue\",\"description\":\"stored long ago\"},"
              + "\"recordedAt\":\"2026-11-26T09:00:00Z\"}],\"lastEntryNumber\":1}";
      customer.sql.execute(
          "INSERT INTO durable_state (persistence_id, revision, state_payload, state_serial_id,"
              + " state_serial_manifest, tag, state_timestamp) VALUES ('Issue|"
              + id
              + "', 1, convert_to('"
              + oldDocument
              + "', 'UTF8'), 31, 'org.example.helpdesk.customer.issue.Issue$ReportedIssue', '"
              + IssueEntity.tagFor(id)
              + "', 0)");

      Received prepare = drain(1).get(id.toString()).get(0);
      assertEquals(
          new Received(
              "ticket.prepareTicket",
              id + ":1",
              id.toString(),
              "application/json",
              2,
              true,
              "{\"ticketId\":\""
                  + id
                  + "\",\"ticketType\":\"customer-issue\",\"description\":\"stored long ago\"}"),
          prepare);
      var issue = customer.http.get("/issues/" + id);
      assertEquals("stored long ago", issue.json().path("content").asText(), issue.toString());
      assertEquals(200, customer.http.post("/issues/" + id + "/close", null, new byte[0]).status());

      Received cancel = drain(1).get(id.toString()).get(0);
      assertEquals("ticket.cancel", cancel.type());
      assertEquals(id + ":2", cancel.messageId());
      assertEquals("{\"ticketId\":\"" + id + "\"}", cancel.body());
      await().atMost(Duration.ofSeconds(20)).until(() -> customer.issuesWithPendingEntries() == 0);
      // written again by the close: in the new shape, as the stored issue it is read as
      assertEquals(
          "org.example.helpdesk.customer.issue.StoredIssue",
          customer
              .sql
              .rows(
                  "SELECT state_serial_manifest FROM durable_state WHERE persistence_id = ?",
                  "Issue|" + id)
              .get(0)
              .get("state_serial_manifest"));
    }
  }

  static UUID idInTag(String tag) {
    UUID id;
    do {
      id = UUID.randomUUID();
    } while (!IssueEntity.tagFor(id).equals(tag));
    return id;
  }

  static double metric(CustomerTestNode customer, String series) {
    return PrometheusText.value(customer.http.get("/metrics").body(), series);
  }

  private static String report(CustomerTestNode customer, String content) {
    var response =
        customer.http.postJson(
            "/issues", "{\"email\":\"jane@example.com\",\"content\":\"" + content + "\"}");
    assertEquals(201, response.status(), response.toString());
    return response.json().path("issueId").asText();
  }

  /** Takes messages off the backoffice queue until {@code count} distinct commands arrived. */
  private static Map<String, List<Received>> drain(int count) {
    Map<String, List<Received>> byIssue = new LinkedHashMap<>();
    java.util.Set<String> distinct = new java.util.HashSet<>();
    await()
        .atMost(Duration.ofSeconds(45))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              TestBroker.takeAll(
                  CustomerTestNode.BACKOFFICE_QUEUE,
                  r -> {
                    var p = r.getProps();
                    Received m =
                        new Received(
                            p.getType(),
                            p.getMessageId(),
                            p.getCorrelationId(),
                            p.getContentType(),
                            p.getDeliveryMode(),
                            p.getTimestamp() != null,
                            new String(r.getBody(), UTF_8));
                    byIssue
                        .computeIfAbsent(m.messageId().substring(0, 36), k -> new ArrayList<>())
                        .add(m);
                    distinct.add(m.messageId());
                  });
              return distinct.size() >= count;
            });
    return byIssue;
  }
}
