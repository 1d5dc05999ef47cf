package org.example.helpdesk.customer.events;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.AMQP;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.example.helpdesk.customer.CustomerTestNode;
import org.example.helpdesk.protocol.DistributedEvent;
import org.example.helpdesk.protocol.DistributedEvents;
import org.example.helpdesk.protocol.SupportReply;
import org.example.helpdesk.protocol.TicketWasAnswered;
import org.example.helpdesk.protocol.TicketWasAssigned;
import org.example.helpdesk.protocol.TicketWasCancelled;
import org.example.helpdesk.protocol.TicketWasPrepared;
import org.example.helpdesk.testsupport.HttpTestClient;
import org.example.helpdesk.testsupport.TestBroker;
import org.example.helpdesk.testsupport.TestPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Customer Service's inbox of ticket events, against a real broker and database: events move an
 * issue's progress, a redelivery changes nothing twice, each issue's events keep their order, what
 * cannot be recorded becomes a dead letter while the queue flows on, and an operator lists, replays
 * and deletes dead letters behind the admin token.
 */
class TicketEventInboxTest {

  private static final Duration WITHIN = Duration.ofSeconds(30);
  private static final Instant T0 = Instant.parse("2026-12-07T09:00:00Z");
  private static final int MAX_MESSAGE_BYTES = 16 * 1024;

  @RegisterExtension
  static final CustomerTestNode node =
      new CustomerTestNode(
          TestPostgres.newSchemaName("customer"),
          ConfigFactory.parseString("helpdesk.events.max-message-bytes = " + MAX_MESSAGE_BYTES));

  @Test
  void eventsMoveAnIssuesProgressVisibleOnTheIssue() {
    UUID issue = report(UUID.randomUUID());
    assertEquals("reported", progress(issue));

    publish(new TicketWasPrepared(issue, 1, T0));
    await().atMost(WITHIN).until(() -> progress(issue).equals("received"));
    publish(new TicketWasAssigned(issue, 2, T0.plusSeconds(1)));
    await().atMost(WITHIN).until(() -> progress(issue).equals("assigned"));
    publish(new TicketWasCancelled(issue, 4, T0.plusSeconds(3)));
    await().atMost(WITHIN).until(() -> progress(issue).equals("closed-by-support"));
    JsonNode shown = node.http.get("/issues/" + issue).json();
    assertEquals("closed", shown.path("status").asText(), shown.toString());
  }

  @Test
  void theSameEventRedeliveredChangesNothingTwice() {
    UUID issue = report(UUID.randomUUID());
    publish(new TicketWasPrepared(issue, 1, T0));
    publish(new TicketWasAssigned(issue, 2, T0));
    // the same events again (a re-publish after a lost confirm, a redelivery)
    publish(new TicketWasAssigned(issue, 2, T0));
    publish(new TicketWasPrepared(issue, 1, T0));
    publish(new TicketWasAnswered(issue, 3, T0, new SupportReply("Try it now.")));
    publish(new TicketWasAnswered(issue, 3, T0, new SupportReply("Try it now.")));
    await().atMost(WITHIN).until(() -> TestBroker.messageCount(QUEUE) == 0 && revision(issue) >= 4);
    // (a marker after them: once it is in, everything before it was handled)
    publish(new TicketWasCancelled(issue, 5, T0));
    await().atMost(WITHIN).until(() -> progress(issue).equals("closed-by-support"));
    // reported, then one write per step heard for the first time: prepared, assigned, answered,
    // cancelled
    assertEquals(5, revision(issue));
    assertEquals(0, deadLettersOf(issue).size());
  }

  @Test
  void theEventsOfManyIssuesKeepTheirOrderPerIssue() {
    List<UUID> issues = new ArrayList<>();
    for (int i = 0; i < 24; i++) {
      issues.add(report(UUID.randomUUID()));
    }
    // interleaved: every issue's first step, then every second, then every third. An answer that
    // overtook its issue's assignment would make the assignment old news, never recorded.
    TestBroker.withChannel(
        channel -> {
          TicketEventConsumer.declare(channel);
          channel.confirmSelect();
          for (int sequence = 1; sequence <= 3; sequence++) {
            for (UUID issue : issues) {
              DistributedEvent event =
                  switch (sequence) {
                    case 1 -> new TicketWasPrepared(issue, 1, T0);
                    case 2 -> new TicketWasAssigned(issue, 2, T0);
                    default -> new TicketWasAnswered(issue, 3, T0, new SupportReply("Done."));
                  };
              channel.basicPublish(
                  DistributedEvents.EVENTS_EXCHANGE,
                  DistributedEvents.nameOf(event),
                  true,
                  properties(event),
                  DistributedEvents.toJson(event));
            }
          }
          channel.waitForConfirmsOrDie(10_000);
        });
    for (UUID issue : issues) {
      await().atMost(WITHIN).until(() -> revision(issue) == 4);
      assertEquals("assigned", progress(issue), issue.toString());
    }
  }

  @Test
  void whatCannotBeRecordedBecomesADeadLetterAndTheQueueFlowsOn() {
    UUID unknownIssue = UUID.randomUUID();
    UUID known = report(UUID.randomUUID());
    TicketWasAssigned forNobody = new TicketWasAssigned(unknownIssue, 2, T0);
    publish(forNobody);
    String malformedId = UUID.randomUUID() + ":1";
    publishRaw(
        DistributedEvents.TICKET_WAS_ASSIGNED, malformedId, "{\"ticketId\":".getBytes(UTF_8));
    String unknownTypeId = UUID.randomUUID() + ":7";
    publishRaw(
        "ticket.ticketWasReopened",
        unknownTypeId,
        ("{\"ticketId\":\"" + UUID.randomUUID() + "\",\"sequence\":7}").getBytes(UTF_8));
    String oversizeId = UUID.randomUUID() + ":1";
    publishRaw(
        DistributedEvents.TICKET_WAS_PREPARED,
        oversizeId,
        ("{\"pad\":\"" + "x".repeat(MAX_MESSAGE_BYTES) + "\"}").getBytes(UTF_8));
    // and the queue flows on: a valid event behind them is recorded
    publish(new TicketWasPrepared(known, 1, T0));
    await().atMost(WITHIN).until(() -> progress(known).equals("received"));

    await().atMost(WITHIN).until(() -> listed(messageIdOf(forNobody)) != null);
    JsonNode nobody = listed(messageIdOf(forNobody));
    assertEquals(unknownIssue.toString(), nobody.path("issueId").asText());
    assertEquals(DistributedEvents.TICKET_WAS_ASSIGNED, nobody.path("type").asText());
    assertTrue(nobody.path("reason").asText().contains("does not exist"), nobody.toString());

    await().atMost(WITHIN).until(() -> listed(malformedId) != null);
    assertTrue(listed(malformedId).path("reason").asText().length() > 0);
    await().atMost(WITHIN).until(() -> listed(unknownTypeId) != null);
    assertTrue(
        listed(unknownTypeId).path("reason").asText().contains("ticket.ticketWasReopened"),
        listed(unknownTypeId).toString());
    await().atMost(WITHIN).until(() -> listed(oversizeId) != null);
    JsonNode oversize = listed(oversizeId);
    assertTrue(oversize.path("reason").asText().contains("larger"), oversize.toString());
    assertTrue(oversize.path("bodySize").asInt() > MAX_MESSAGE_BYTES, oversize.toString());

    // the body is kept byte for byte, with the message's properties
    JsonNode shown = node.admin.get("/admin/dead-letters/" + listed(malformedId).path("id")).json();
    assertEquals("{\"ticketId\":", shown.path("body").asText());
    assertEquals(
        "{\"ticketId\":",
        new String(Base64.getDecoder().decode(shown.path("bodyBase64").asText()), UTF_8));
    assertEquals(malformedId, shown.path("properties").path("messageId").asText());
    assertEquals(
        "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
        shown.path("properties").path("headers").path("traceparent").asText());
    await().atMost(WITHIN).until(() -> TestBroker.messageCount(QUEUE) == 0);
    String metrics = node.http.get("/metrics").body();
    assertTrue(metrics.contains("helpdesk_ticket_events_dead_lettered_total"), metrics);
    assertTrue(metrics.contains("helpdesk_ticket_events_recorded_total"), metrics);
  }

  @Test
  void aDeadLetterReplayedOnceItsCauseIsGoneIsRecordedAndRemovedInOrder() {
    UUID issue = UUID.randomUUID();
    TicketWasAssigned assigned = new TicketWasAssigned(issue, 2, T0);
    TicketWasCancelled cancelled = new TicketWasCancelled(issue, 3, T0.plusSeconds(1));
    publish(assigned);
    publish(cancelled);
    await().atMost(WITHIN).until(() -> listed(messageIdOf(cancelled)) != null);
    long first = listed(messageIdOf(assigned)).path("id").asLong();
    long second = listed(messageIdOf(cancelled)).path("id").asLong();
    assertTrue(
        listed(messageIdOf(cancelled)).path("reason").asText().contains(messageIdOf(assigned)),
        "the later event waits behind the first: "
            + listed(messageIdOf(cancelled)).path("reason").asText());

    // still unknown: the replay fails, and says so beside the first reason
    HttpTestClient.Response refused = replay(first);
    assertEquals(409, refused.status(), refused.toString());
    JsonNode kept = listed(messageIdOf(assigned));
    assertTrue(kept.path("reason").asText().contains("does not exist"), kept.toString());
    assertEquals(1, kept.path("replayFailures").size(), kept.toString());

    report(issue);
    HttpTestClient.Response outOfOrder = replay(second);
    assertEquals(409, outOfOrder.status(), "an earlier one first: " + outOfOrder);
    HttpTestClient.Response applied = replay(first);
    assertEquals(200, applied.status(), applied.toString());
    assertEquals("assigned", applied.json().path("issue").path("progress").asText());
    assertEquals(200, replay(second).status());
    assertEquals("closed-by-support", progress(issue));
    assertEquals(0, deadLettersOf(issue).size());
    assertEquals(404, replay(second).status());

    // later events of the issue are recorded as they come again
    publish(new TicketWasAnswered(issue, 4, T0, new SupportReply("Closed, sorry.")));
    await().atMost(WITHIN).until(() -> revision(issue) == 4);
  }

  @Test
  void theAdminRoutesTakeTheTokenAndADeadLetterCanBeDeleted() {
    String unknownType = UUID.randomUUID() + ":1";
    publishRaw("ticket.ticketWasFrozen", unknownType, "{}".getBytes(UTF_8));
    await().atMost(WITHIN).until(() -> listed(unknownType) != null);
    long id = listed(unknownType).path("id").asLong();

    assertEquals(401, node.http.get("/admin/dead-letters").status());
    assertEquals(401, node.http.get("/admin/dead-letters/" + id).status());
    assertEquals(
        401, node.http.post("/admin/dead-letters/" + id + "/replay", null, new byte[0]).status());
    assertEquals(401, node.http.delete("/admin/dead-letters/" + id).status());
    assertTrue(listed(unknownType) != null, "nothing changed without the token");

    assertEquals(204, node.admin.delete("/admin/dead-letters/" + id).status());
    assertEquals(404, node.admin.get("/admin/dead-letters/" + id).status());
    assertEquals(404, node.admin.delete("/admin/dead-letters/" + id).status());
  }

  // ---- helpers --------------------------------------------------------------------------------

  private static final String QUEUE = DistributedEvents.CUSTOMER_QUEUE;
  private static final String TRACEPARENT =
      "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

  private static UUID report(UUID issue) {
    HttpTestClient.Response response =
        node.http.postJson(
            "/issues",
            "{\"issueId\":\""
                + issue
                + "\",\"email\":\"jane@example.com\",\"content\":\"Printer on fire\"}");
    assertEquals(201, response.status(), response.toString());
    return issue;
  }

  private static String progress(UUID issue) {
    return node.http.get("/issues/" + issue).json().path("progress").asText();
  }

  /** How often the issue was written (1: reported). */
  private static long revision(UUID issue) {
    List<Map<String, Object>> rows =
        node.sql.rows(
            "SELECT revision FROM durable_state WHERE persistence_id LIKE ?", "%" + issue);
    return rows.isEmpty() ? 0 : ((Number) rows.get(0).get("revision")).longValue();
  }

  private static String messageIdOf(DistributedEvent event) {
    return DistributedEvents.messageIdOf(event.ticketId(), event.sequence());
  }

  private static AMQP.BasicProperties properties(DistributedEvent event) {
    return properties(DistributedEvents.nameOf(event), messageIdOf(event));
  }

  private static AMQP.BasicProperties properties(String type, String messageId) {
    return new AMQP.BasicProperties.Builder()
        .type(type)
        .messageId(messageId)
        .contentType("application/json")
        .deliveryMode(2)
        .headers(Map.of("traceparent", TRACEPARENT))
        .build();
  }

  private static void publish(DistributedEvent event) {
    TestBroker.publish(
        TicketEventConsumer::declare,
        DistributedEvents.EVENTS_EXCHANGE,
        DistributedEvents.nameOf(event),
        properties(event),
        DistributedEvents.toJson(event));
  }

  private static void publishRaw(String type, String messageId, byte[] body) {
    TestBroker.publish(
        TicketEventConsumer::declare,
        DistributedEvents.EVENTS_EXCHANGE,
        type,
        properties(type, messageId),
        body);
  }

  private static HttpTestClient.Response replay(long id) {
    return node.admin.post("/admin/dead-letters/" + id + "/replay", null, new byte[0]);
  }

  private static List<JsonNode> all() {
    List<JsonNode> letters = new ArrayList<>();
    node.admin.get("/admin/dead-letters").json().path("deadLetters").forEach(letters::add);
    return letters;
  }

  /** The listed dead letter of this message id, or null. */
  private static JsonNode listed(String messageId) {
    return all().stream()
        .filter(l -> l.path("messageId").asText().equals(messageId))
        .findFirst()
        .orElse(null);
  }

  private static List<JsonNode> deadLettersOf(UUID issue) {
    return all().stream().filter(l -> l.path("issueId").asText().equals(issue.toString())).toList();
  }
}
