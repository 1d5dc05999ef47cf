package org.example.helpdesk.backoffice.inbox;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.AMQP;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.example.helpdesk.backoffice.BackofficeTestNode;
import org.example.helpdesk.protocol.CancelTicket;
import org.example.helpdesk.protocol.Description;
import org.example.helpdesk.protocol.PrepareTicket;
import org.example.helpdesk.protocol.TicketType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The command consumer against the real broker and database, through a running node. */
class InboxTest {

  @RegisterExtension static final BackofficeTestNode node = new BackofficeTestNode();

  @BeforeEach
  void noDeadLettersLeft() {
    node.sql.execute("DELETE FROM dead_letters");
  }

  @Test
  void prepareThenCancelEndsWithACancelledTicket() {
    UUID id = UUID.randomUUID();
    BackofficeTestNode.publish(
        new PrepareTicket(id, TicketType.CUSTOMER_ISSUE, new Description("Really important bug!")),
        id + ":1");
    BackofficeTestNode.publish(new CancelTicket(id), id + ":2");

    awaitStatus(id, "cancelled");
    Map<String, Object> row = ticketRow(id);
    assertEquals("customer-issue", row.get("ticket_type"));
    assertEquals("Really important bug!", row.get("description"));
    assertEquals(2L, events(id));
  }

  @Test
  void theSameMessageDeliveredTwiceRecordsOneEvent() {
    UUID id = UUID.randomUUID();
    PrepareTicket prepare =
        new PrepareTicket(id, TicketType.CUSTOMER_ISSUE, new Description("twice"));
    BackofficeTestNode.publish(prepare, id + ":1");
    BackofficeTestNode.publish(prepare, id + ":1");
    BackofficeTestNode.publish(new CancelTicket(id), id + ":2");
    BackofficeTestNode.publish(new CancelTicket(id), id + ":2");

    awaitStatus(id, "cancelled");
    awaitQueueDrained();
    assertEquals(2L, events(id), "one TicketWasPrepared and one TicketWasCancelled");
    assertEquals(0L, node.sql.count("SELECT count(*) FROM dead_letters"));
  }

  @Test
  void poisonMessagesAreDeadLetteredAndTheNextGoodMessageIsStillProcessed() {
    BackofficeTestNode.publishRaw(
        new AMQP.BasicProperties.Builder()
            .type("ticket.prepareTicket")
            .messageId("garbage-1")
            .build(),
        new byte[] {(byte) 0xff, 0x00, (byte) 0xfe, 0x13});
    BackofficeTestNode.publishRaw(
        "ticket.explode", "unknown-type-1", "{\"ticketId\":\"" + UUID.randomUUID() + "\"}");
    BackofficeTestNode.publishRaw(null, "no-type-1", "{}");
    BackofficeTestNode.publishRaw(
        new AMQP.BasicProperties.Builder().type("ticket.cancel").build(),
        ("{\"ticketId\":\"" + UUID.randomUUID() + "\"}").getBytes(UTF_8));
    BackofficeTestNode.publishRaw(
        "ticket.prepareTicket",
        "wrong-shape-1",
        "{\"ticketId\":\"" + UUID.randomUUID() + "\",\"ticketType\":5}");
    UUID good = UUID.randomUUID();
    BackofficeTestNode.publish(
        new PrepareTicket(good, TicketType.CUSTOMER_ISSUE, new Description("after the poison")),
        good + ":1");

    awaitStatus(good, "awaiting");
    await().atMost(Duration.ofSeconds(20)).until(() -> deadLetters().size() == 5);
    Map<String, String> errors = new java.util.HashMap<>();
    deadLetters()
        .forEach(
            d ->
                errors.put(
                    d.path("type").asText(null) + "/" + d.path("messageId").asText(),
                    d.path("error").asText()));
    assertTrue(
        errors.get("ticket.prepareTicket/garbage-1").contains("malformed JSON"), errors.toString());
    assertTrue(
        errors
            .get("ticket.explode/unknown-type-1")
            .contains("unknown command type 'ticket.explode'"),
        errors.toString());
    assertTrue(errors.get("null/no-type-1").contains("unknown command type"), errors.toString());
    assertTrue(
        errors.entrySet().stream()
            .anyMatch(
                e ->
                    e.getKey().startsWith("ticket.cancel/sha256:")
                        && e.getValue().contains("no message-id")),
        errors.toString());
    assertTrue(
        errors.get("ticket.prepareTicket/wrong-shape-1").contains("ticketType"), errors.toString());
    JsonNode garbage =
        deadLetters().stream()
            .filter(d -> d.path("messageId").asText().equals("garbage-1"))
            .findFirst()
            .orElseThrow();
    assertEquals(
        "/wD+Ew==",
        garbage.path("bodyBase64").asText(),
        "a body that is not text is kept byte for byte");
    assertEquals(1, garbage.path("attempts").asInt());
    awaitQueueDrained();
  }

  @Test
  void aCommandTheTicketRejectsIsDeadLetteredAndLaterCommandsOfItsTicketWaitBehindIt() {
    UUID id = UUID.randomUUID();
    BackofficeTestNode.publish(new CancelTicket(id), id + ":2");
    await().atMost(Duration.ofSeconds(20)).until(() -> deadLetters().size() == 1);
    JsonNode letter = deadLetters().get(0);
    assertTrue(
        letter.path("error").asText().contains("ticket " + id + " does not exist"),
        letter.toString());
    assertEquals("test-correlation", letter.path("headers").path("correlationId").asText());
    assertEquals("failed", letter.path("status").asText());
    long letterId = letter.path("id").asLong();

    // replayed: it fails again, stays, and counts the attempt
    var early = node.http.post("/dead-letters/" + letterId + "/replay", null, new byte[0]);
    assertEquals(409, early.status(), early.toString());
    assertTrue(early.json().path("error").asText().contains("does not exist"));
    assertEquals(2, deadLetters().get(0).path("attempts").asInt());

    // a later command of the same ticket is not applied past it: parked behind it
    BackofficeTestNode.publish(
        new PrepareTicket(id, TicketType.CUSTOMER_ISSUE, new Description("late")), id + ":1");
    await().atMost(Duration.ofSeconds(20)).until(() -> deadLetters().size() == 2);
    JsonNode parked =
        deadLetters().stream()
            .filter(d -> d.path("messageId").asText().equals(id + ":1"))
            .findFirst()
            .orElseThrow();
    assertEquals("parked", parked.path("status").asText());
    assertEquals(id + ":2", parked.path("waitsFor").asText());
    assertEquals(404, node.http.get("/tickets/" + id).status());
    var outOfOrder =
        node.http.post(
            "/dead-letters/" + parked.path("id").asLong() + "/replay", null, new byte[0]);
    assertEquals(409, outOfOrder.status(), "a parked command waits for its head");

    // deleting the head releases what waits behind it
    assertEquals(204, node.http.delete("/dead-letters/" + letterId).status());
    awaitStatus(id, "awaiting");
    assertEquals(0, deadLetters().size());
    assertEquals(
        404, node.http.post("/dead-letters/" + letterId + "/replay", null, new byte[0]).status());
  }

  @Test
  void aDeadLetterCanBeDeleted() {
    BackofficeTestNode.publishRaw("ticket.cancel", "to-delete", "not json");
    await().atMost(Duration.ofSeconds(20)).until(() -> deadLetters().size() == 1);
    long id = deadLetters().get(0).path("id").asLong();

    assertEquals(200, node.http.get("/dead-letters/" + id).status());
    assertEquals(204, node.http.delete("/dead-letters/" + id).status());
    assertEquals(404, node.http.delete("/dead-letters/" + id).status());
    assertEquals(404, node.http.get("/dead-letters/" + id).status());
  }

  @Test
  void commandsOfManyTicketsInterleavedEndInTheRightState() {
    List<UUID> ids = IntStream.range(0, 60).mapToObj(i -> UUID.randomUUID()).toList();
    for (UUID id : ids) {
      BackofficeTestNode.publish(
          new PrepareTicket(id, TicketType.CUSTOMER_ISSUE, new Description("bulk " + id)),
          id + ":1");
    }
    for (int i = 0; i < ids.size(); i += 2) {
      BackofficeTestNode.publish(new CancelTicket(ids.get(i)), ids.get(i) + ":2");
    }

    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                node.sql.count(
                            "SELECT count(*) FROM tickets WHERE ticket_id = ANY (?)",
                            (Object) ids.toArray(new UUID[0]))
                        == ids.size()
                    && node.sql.count(
                            "SELECT count(*) FROM tickets WHERE status = 'cancelled' AND ticket_id = ANY (?)",
                            (Object) ids.toArray(new UUID[0]))
                        == ids.size() / 2);
    for (int i = 0; i < ids.size(); i++) {
      assertEquals(i % 2 == 0 ? "cancelled" : "awaiting", ticketRow(ids.get(i)).get("status"));
    }
    assertEquals(0, deadLetters().size());
  }

  private static List<JsonNode> deadLetters() {
    var response = node.http.get("/dead-letters");
    assertEquals(200, response.status(), response.toString());
    return java.util.stream.StreamSupport.stream(response.json().spliterator(), false).toList();
  }

  private static long events(UUID id) {
    return node.sql.count(
        "SELECT count(*) FROM event_journal WHERE persistence_id = ?", "Ticket|" + id);
  }

  private static Map<String, Object> ticketRow(UUID id) {
    var rows = node.sql.rows("SELECT * FROM tickets WHERE ticket_id = ?", id);
    return rows.isEmpty() ? Map.of() : rows.get(0);
  }

  private static void awaitStatus(UUID id, String status) {
    await().atMost(Duration.ofSeconds(20)).until(() -> status.equals(ticketRow(id).get("status")));
  }

  private static void awaitQueueDrained() {
    await().atMost(Duration.ofSeconds(20)).until(() -> BackofficeTestNode.messagesWaiting() == 0);
  }
}
