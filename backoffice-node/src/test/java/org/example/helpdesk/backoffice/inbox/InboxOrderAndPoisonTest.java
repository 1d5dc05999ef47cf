package org.example.helpdesk.backoffice.inbox;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.AMQP;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.example.helpdesk.backoffice.BackofficeTestNode;
import org.example.helpdesk.protocol.CancelTicket;
import org.example.helpdesk.protocol.Description;
import org.example.helpdesk.protocol.PrepareTicket;
import org.example.helpdesk.protocol.TicketType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The inbox against what used to stall it or break its order: a broken command with later commands
 * of its ticket behind it, replays racing each other and a late failure, a ticket that never
 * answers, and a customer's commands aimed at an employee's ticket.
 */
class InboxOrderAndPoisonTest {

  /** 3 tries, as INBOX_ATTEMPTS=3 would: the ticket that never answers is given up on sooner. */
  @RegisterExtension
  static final BackofficeTestNode node =
      new BackofficeTestNode(
          com.typesafe.config.ConfigFactory.parseString("helpdesk.inbox.attempts = 3"));

  @Test
  void aTicketsLaterCommandsWaitBehindItsBrokenOneAndFollowItInOrderWhenItIsFixed() {
    UUID t = UUID.randomUUID();
    UUID before = UUID.randomUUID();
    UUID after = UUID.randomUUID();
    BackofficeTestNode.publish(
        new PrepareTicket(before, TicketType.CUSTOMER_ISSUE, new Description("before")),
        before + ":1");
    // the prepare of t is broken (a description over the limit); its cancel comes behind it
    publishJson(
        "ticket.prepareTicket",
        t + ":1",
        "{\"ticketId\":\""
            + t
            + "\",\"ticketType\":\"customer-issue\",\"description\":\""
            + "x".repeat(10_001)
            + "\"}");
    BackofficeTestNode.publish(new CancelTicket(t), t + ":2");
    BackofficeTestNode.publish(
        new PrepareTicket(after, TicketType.CUSTOMER_ISSUE, new Description("after")),
        after + ":1");

    node.awaitStatus(before, "awaiting");
    node.awaitStatus(after, "awaiting");
    await().atMost(Duration.ofSeconds(20)).until(() -> node.deadLetter(t + ":2").isPresent());
    JsonNode head = node.deadLetter(t + ":1").orElseThrow();
    JsonNode parked = node.deadLetter(t + ":2").orElseThrow();
    assertEquals("failed", head.path("status").asText());
    assertTrue(
        head.path("error").asText().contains("description must be at most 10000 characters"),
        head.toString());
    assertEquals(t.toString(), head.path("ticketId").asText());
    assertEquals("parked", parked.path("status").asText());
    assertEquals(t + ":1", parked.path("waitsFor").asText());
    assertEquals(List.of(), node.events(t), "nothing of t applied past its broken command");

    var fixed =
        node.http.post(
            "/dead-letters/" + head.path("id").asLong() + "/replay",
            "application/json",
            ("{\"ticketId\":\""
                    + t
                    + "\",\"ticketType\":\"customer-issue\",\"description\":\"fixed by an operator\"}")
                .getBytes(UTF_8));

    assertEquals(200, fixed.status(), fixed.toString());
    assertEquals(1, fixed.json().path("releasedParked").asInt());
    assertEquals(
        List.of("TicketWasPrepared", "TicketWasCancelled"),
        node.events(t),
        "applied in the order they arrived");
    node.awaitStatus(t, "cancelled");
    assertEquals("fixed by an operator", node.ticketRow(t).get("description"));
    assertFalse(node.deadLetter(t + ":1").isPresent());
    assertFalse(node.deadLetter(t + ":2").isPresent());
  }

  @Test
  void aDeadLetterReplayedByManyOperatorsAtOnceIsAppliedOnce() {
    UUID t = UUID.randomUUID();
    publishJson(
        "ticket.prepareTicket",
        t + ":1",
        "{\"ticketId\":\"" + t + "\",\"ticketType\":\" \",\"description\":\"d\"}");
    await().atMost(Duration.ofSeconds(20)).until(() -> node.deadLetter(t + ":1").isPresent());
    long id = node.deadLetter(t + ":1").orElseThrow().path("id").asLong();
    byte[] corrected =
        ("{\"ticketId\":\"" + t + "\",\"ticketType\":\"customer-issue\",\"description\":\"d\"}")
            .getBytes(UTF_8);

    HttpClient http = HttpClient.newHttpClient();
    List<CompletableFuture<HttpResponse<String>>> replays = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      replays.add(
          http.sendAsync(
              HttpRequest.newBuilder(
                      URI.create(
                          "http://127.0.0.1:"
                              + node.node.node().httpAddress().getPort()
                              + "/dead-letters/"
                              + id
                              + "/replay"))
                  .header("Content-Type", "application/json")
                  .header(
                      "Authorization",
                      org.example.helpdesk.testsupport.HttpTestClient.basic(
                          org.example.helpdesk.testsupport.TestEmployees.OPERATOR,
                          org.example.helpdesk.testsupport.TestEmployees.OPERATOR_PASSWORD))
                  .POST(HttpRequest.BodyPublishers.ofByteArray(corrected))
                  .build(),
              HttpResponse.BodyHandlers.ofString()));
    }
    List<Integer> statuses = replays.stream().map(f -> f.join().statusCode()).sorted().toList();

    assertEquals(
        1, statuses.stream().filter(s -> s == 200).count(), "one replay applies it: " + statuses);
    assertTrue(
        statuses.stream().allMatch(s -> s == 200 || s == 409 || s == 404), statuses.toString());
    assertEquals(List.of("TicketWasPrepared"), node.events(t));
  }

  @Test
  void aLateFailureOfAReplayedMessageDoesNotBringItBackAndAReusedIdKeepsBodyAndErrorTogether() {
    UUID t = UUID.randomUUID();
    publishJson("ticket.cancel", t + ":2", "{\"ticketId\":\"" + t + "\"}");
    await().atMost(Duration.ofSeconds(20)).until(() -> node.deadLetter(t + ":2").isPresent());
    long id = node.deadLetter(t + ":2").orElseThrow().path("id").asLong();
    assertEquals(204, node.http.delete("/dead-letters/" + id).status());

    // the inbox's record of an earlier failure of the same message, arriving late
    InboundMessage late =
        InboundMessage.replayed(
            t + ":2", "ticket.cancel", ("{\"ticketId\":\"" + t + "\"}").getBytes(UTF_8), "{}");
    boolean kept =
        node.node
            .deadLetters()
            .store()
            .writes()
            .record(late, t, "a late failure")
            .toCompletableFuture()
            .join();
    assertFalse(kept);
    assertFalse(node.deadLetter(t + ":2").isPresent(), "a deleted dead letter stays deleted");

    // one message id, two different broken bodies: the dead letter holds the latest body and its
    // error
    String reused = "reused-" + UUID.randomUUID();
    publishJson("ticket.cancel", reused, "not json");
    await().atMost(Duration.ofSeconds(20)).until(() -> node.deadLetter(reused).isPresent());
    publishJson("ticket.cancel", reused, "{\"ticketId\":\"not a uuid\"}");
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> node.deadLetter(reused).orElseThrow().path("attempts").asInt() == 2);
    JsonNode letter = node.deadLetter(reused).orElseThrow();
    assertEquals("{\"ticketId\":\"not a uuid\"}", letter.path("body").asText());
    assertTrue(letter.path("error").asText().contains("ticketId"), letter.path("error").asText());
    assertFalse(
        letter.path("error").asText().contains("malformed JSON"), "the error of the body it keeps");
  }

  @Test
  void aCustomersCommandsCannotTakeOverOrCancelAnEmployeesTicket() {
    var created =
        node.http.postJson(
            "/tickets", "{\"ticketType\":\"internal\",\"description\":\"set up the new printer\"}");
    assertEquals(201, created.status(), created.toString());
    UUID id = UUID.fromString(created.json().path("ticketId").asText());
    assertEquals(
        200, node.http.postJson("/tickets/" + id + "/assign", "{\"assignee\":\"alice\"}").status());

    // a customer reports an issue with that id (201 on the customer side), then closes it
    BackofficeTestNode.publish(
        new PrepareTicket(id, TicketType.CUSTOMER_ISSUE, new Description("my printer is on fire")),
        id + ":1");
    BackofficeTestNode.publish(new CancelTicket(id), id + ":2");

    await().atMost(Duration.ofSeconds(20)).until(() -> node.deadLetter(id + ":2").isPresent());
    node.awaitStatus(id, "assigned");
    assertEquals("alice", node.ticketRow(id).get("assignee"));
    assertEquals("set up the new printer", node.ticketRow(id).get("description"));
    JsonNode prepare = node.deadLetter(id + ":1").orElseThrow();
    assertTrue(
        prepare
            .path("error")
            .asText()
            .contains("exists already with a different type, description or origin"),
        prepare.toString());
    assertEquals("parked", node.deadLetter(id + ":2").orElseThrow().path("status").asText());
  }

  @Test
  void aTicketThatNeverAnswersIsDeadLetteredWhileAThousandOthersGoThrough() {
    UUID stuck = UUID.randomUUID();
    // its journal holds an event nobody can read: the entity fails every recovery
    node.sql.execute(
        "INSERT INTO event_journal (persistence_id, sequence_number, deleted, writer, write_timestamp, event_ser_id,"
            + " event_ser_manifest, event_payload) VALUES ('Ticket|"
            + stuck
            + "', 1, false, 'test', 0, 31,"
            + " 'org.example.helpdesk.backoffice.ticket.Ticket$TicketWasPrepared', convert_to('garbage', 'UTF8'))");
    BackofficeTestNode.publish(new CancelTicket(stuck), stuck + ":2");
    long start = System.nanoTime();
    List<UUID> others = new ArrayList<>();
    publishMany(others, 1_000);

    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () ->
                node.sql.count(
                        "SELECT count(*) FROM tickets WHERE ticket_id = ANY (?)",
                        (Object) others.toArray(new UUID[0]))
                    == others.size());
    long othersMillis = (System.nanoTime() - start) / 1_000_000;
    // 3 tries of 3, 6 and 12 s, each judged the ticket's own fault (others answer meanwhile)
    await().atMost(Duration.ofSeconds(60)).until(() -> node.deadLetter(stuck + ":2").isPresent());
    long stuckMillis = (System.nanoTime() - start) / 1_000_000;
    JsonNode letter = node.deadLetter(stuck + ":2").orElseThrow();
    assertTrue(
        letter.path("error").asText().contains("no answer after 3 attempts"), letter.toString());
    System.out.println(
        "[inbox] 1,000 commands of other tickets applied in "
            + othersMillis
            + " ms while one ticket did not answer; it was dead-lettered after "
            + stuckMillis
            + " ms");
    assertTrue(othersMillis < 15_000, "the others were not held up: " + othersMillis + " ms");
  }

  private static void publishMany(List<UUID> ids, int n) {
    org.example.helpdesk.testsupport.TestBroker.withChannel(
        channel -> {
          BackofficeTestNode.declareInbox(channel);
          channel.confirmSelect();
          for (int i = 0; i < n; i++) {
            UUID id = UUID.randomUUID();
            ids.add(id);
            var m =
                org.example.helpdesk.amqp.CommandMessage.toBackoffice(
                    new PrepareTicket(id, TicketType.CUSTOMER_ISSUE, new Description("other " + i)),
                    id + ":1",
                    id.toString(),
                    java.time.Instant.now());
            channel.basicPublish(m.exchange(), m.routingKey(), true, m.properties(), m.body());
          }
          channel.waitForConfirmsOrDie(30_000);
        });
  }

  private static void publishJson(String type, String messageId, String body) {
    BackofficeTestNode.publishRaw(
        new AMQP.BasicProperties.Builder()
            .type(type)
            .messageId(messageId)
            .contentType("application/json")
            .deliveryMode(2)
            .build(),
        body.getBytes(UTF_8));
  }
}
