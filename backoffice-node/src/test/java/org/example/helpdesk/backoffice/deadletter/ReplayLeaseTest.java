package org.example.helpdesk.backoffice.deadletter;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.AMQP;
import com.typesafe.config.ConfigFactory;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.example.helpdesk.backoffice.BackofficeTestNode;
import org.example.helpdesk.protocol.CancelTicket;
import org.example.helpdesk.protocol.Description;
import org.example.helpdesk.protocol.PrepareTicket;
import org.example.helpdesk.protocol.TicketType;
import org.example.helpdesk.testsupport.HttpTestClient;
import org.example.helpdesk.testsupport.TcpProxy;
import org.example.helpdesk.testsupport.TestPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * No dead letter sticks in "replaying": a claim is a lease. The database is cut (a TCP proxy in
 * front of it, this node's only) between a claim and its resolution; once it is back and the lease
 * has run out, replay and delete work again and the ticket's later commands are not parked for
 * good.
 */
class ReplayLeaseTest {

  private static final URI DB = URI.create(TestPostgres.jdbcUrl().substring("jdbc:".length()));
  private static final TcpProxy database = new TcpProxy(DB.getHost(), DB.getPort());

  @RegisterExtension
  static final BackofficeTestNode node =
      new BackofficeTestNode(
          ConfigFactory.parseMap(
              Map.of(
                  "helpdesk.database.url",
                  TestPostgres.jdbcUrl()
                      .replaceFirst("//[^/]+/", "//127.0.0.1:" + database.port() + "/"),
                  "helpdesk.database.connection-timeout",
                  "2s",
                  "helpdesk.inbox.replay-lease",
                  "8s",
                  "helpdesk.inbox.replay-lease-check",
                  "1s")));

  @Test
  void aClaimCutOffFromItsResolutionRunsOutAndTheDeadLetterCanBeReplayedAgain() throws Exception {
    UUID t = UUID.randomUUID();
    brokenPrepare(t, t + ":1");
    BackofficeTestNode.publish(new CancelTicket(t), t + ":2");
    await().atMost(Duration.ofSeconds(20)).until(() -> node.deadLetter(t + ":2").isPresent());
    long head = node.deadLetter(t + ":1").orElseThrow().path("id").asLong();
    DeadLetterClaims store = node.node.deadLetters().store().claims();

    // a replay takes it ... and the database goes away before the replay is resolved
    assertInstanceOf(
        DeadLetterClaims.Claim.Taken.class, store.claim(head).toCompletableFuture().get());
    database.cut();
    assertThrows(
        Exception.class, () -> store.failedAgain(head, "lost").toCompletableFuture().get());
    database.restore();

    // while the lease runs it is taken: replay 409, delete 404 (once the pool has connections
    // again)
    var busy =
        await()
            .atMost(Duration.ofSeconds(5))
            .pollInterval(Duration.ofMillis(100))
            .until(() -> replay(head, null), r -> r.status() != 503);
    assertEquals(409, busy.status(), busy::toString);
    assertTrue(busy.json().path("error").asText().contains("is being replayed"), busy::toString);
    assertEquals(404, node.http.delete("/dead-letters/" + head).status());

    // once it ran out: failed again, and the replay (with a corrected body) applies it and the
    // command parked behind it
    HttpTestClient.Response fixed =
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () ->
                    replay(
                        head,
                        "{\"ticketId\":\""
                            + t
                            + "\",\"ticketType\":\"customer-issue\",\"description\":\"fixed\"}"),
                r -> r.status() != 409 && r.status() != 503);
    assertEquals(200, fixed.status(), fixed::toString);
    assertEquals(1, fixed.json().path("releasedParked").asInt(), fixed::toString);
    assertEquals(List.of("TicketWasPrepared", "TicketWasCancelled"), node.events(t));
  }

  @Test
  void aReleaseCutOffHalfwayIsTakenUpAgainAndLaterCommandsAreNotParkedForGood() throws Exception {
    UUID u = UUID.randomUUID();
    brokenPrepare(u, u + ":1");
    BackofficeTestNode.publish(
        new PrepareTicket(u, TicketType.CUSTOMER_ISSUE, new Description("second try")), u + ":2");
    await().atMost(Duration.ofSeconds(20)).until(() -> node.deadLetter(u + ":2").isPresent());
    long head = node.deadLetter(u + ":1").orElseThrow().path("id").asLong();
    long parked = node.deadLetter(u + ":2").orElseThrow().path("id").asLong();

    // the head was deleted and the release of what waits behind it took the parked prepare (as
    // DeadLetterClaims.delete and nextParked leave them, in one step so that nothing releases it
    // in between) ... and the database goes away before it is applied (the node might as well die)
    node.sql.execute(
        "UPDATE dead_letters SET status = CASE WHEN id = "
            + head
            + " THEN 'deleted' ELSE 'replaying' END, lease_until = CASE WHEN id = "
            + head
            + " THEN NULL ELSE now() + interval '3 seconds' END WHERE id IN ("
            + head
            + ", "
            + parked
            + ")");
    assertEquals("replaying", node.deadLetter(u + ":2").orElseThrow().path("status").asText());
    database.cut();
    Thread.sleep(500); // (the taken command's lease runs meanwhile)
    database.restore();

    // the keeper returns it to parked when its lease has run out and releases it
    node.awaitStatus(u, "awaiting");
    assertEquals("second try", node.ticketRow(u).get("description"));
    await().atMost(Duration.ofSeconds(20)).until(() -> node.deadLetter(u + ":2").isEmpty());

    // a later command of the ticket is applied, not parked behind anything
    BackofficeTestNode.publish(new CancelTicket(u), u + ":3");
    node.awaitStatus(u, "cancelled");
    assertFalse(node.deadLetter(u + ":3").isPresent());
    assertEquals(List.of("TicketWasPrepared", "TicketWasCancelled"), node.events(u));
  }

  @Test
  void aCorrectedBodyMustNameTheDeadLettersOwnTicket() {
    UUID t = UUID.randomUUID();
    UUID other = UUID.randomUUID();
    brokenPrepare(t, t + ":1");
    await().atMost(Duration.ofSeconds(20)).until(() -> node.deadLetter(t + ":1").isPresent());
    long head = node.deadLetter(t + ":1").orElseThrow().path("id").asLong();

    var wrong =
        replay(
            head,
            "{\"ticketId\":\""
                + other
                + "\",\"ticketType\":\"customer-issue\",\"description\":\"elsewhere\"}");
    assertEquals(400, wrong.status(), wrong::toString);
    assertTrue(wrong.json().path("error").asText().contains(t.toString()), wrong::toString);
    assertEquals(List.of(), node.events(other), "nothing applied to the other ticket");
    JsonNode still = node.deadLetter(t + ":1").orElseThrow();
    assertEquals("failed", still.path("status").asText());
  }

  private static HttpTestClient.Response replay(long id, String body) {
    return node.http.post(
        "/dead-letters/" + id + "/replay",
        body == null ? null : "application/json",
        body == null ? new byte[0] : body.getBytes(UTF_8));
  }

  private static void brokenPrepare(UUID ticket, String messageId) {
    // (a description over the limit: rejected, kept as the ticket's head)
    BackofficeTestNode.publishRaw(
        new AMQP.BasicProperties.Builder()
            .type("ticket.prepareTicket")
            .messageId(messageId)
            .contentType("application/json")
            .deliveryMode(2)
            .build(),
        ("{\"ticketId\":\""
                + ticket
                + "\",\"ticketType\":\"customer-issue\",\"description\":\""
                + "x".repeat(10_001)
                + "\"}")
            .getBytes(UTF_8));
  }
}
