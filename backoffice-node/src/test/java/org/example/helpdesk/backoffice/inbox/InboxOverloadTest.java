package org.example.helpdesk.backoffice.inbox;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.example.helpdesk.amqp.CommandMessage;
import org.example.helpdesk.backoffice.BackofficeTestNode;
import org.example.helpdesk.protocol.Description;
import org.example.helpdesk.protocol.PrepareTicket;
import org.example.helpdesk.protocol.TicketType;
import org.example.helpdesk.testsupport.TestBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Slow is not poison. A burst many times what the node drains at once, against a first wait so
 * short (20 ms, 150 times less than the default) that nearly every command outlasts it while the
 * burst is worked off: the tickets are slow, not broken, and every command must be applied, none
 * dead-lettered. (With a fixed timeout, as the inbox had, dozens of them were.)
 */
class InboxOverloadTest {

  private static final int BURST = 2_000;

  @RegisterExtension
  static final BackofficeTestNode node =
      new BackofficeTestNode(
          ConfigFactory.parseString(
              """
              helpdesk.inbox.ask-timeout = 20ms
              helpdesk.inbox.retry-min-backoff = 10ms
              helpdesk.inbox.retry-max-backoff = 50ms
              """));

  @Test
  void aBurstFarBeyondWhatTheNodeDrainsAtOnceLeavesNoDeadLetter() {
    List<UUID> ids = new ArrayList<>();
    TestBroker.withChannel(
        channel -> {
          BackofficeTestNode.declareInbox(channel);
          channel.confirmSelect();
          for (int i = 0; i < BURST; i++) {
            UUID id = UUID.randomUUID();
            ids.add(id);
            var m =
                CommandMessage.toBackoffice(
                    new PrepareTicket(id, TicketType.CUSTOMER_ISSUE, new Description("burst " + i)),
                    id + ":1",
                    id.toString(),
                    Instant.now());
            channel.basicPublish(m.exchange(), m.routingKey(), true, m.properties(), m.body());
          }
          channel.waitForConfirmsOrDie(30_000);
        });
    long start = System.nanoTime();

    await()
        .atMost(Duration.ofSeconds(180))
        .pollInterval(Duration.ofMillis(250))
        .until(
            () ->
                node.sql.count(
                        "SELECT count(*) FROM tickets WHERE ticket_id = ANY (?)",
                        (Object) ids.toArray(new UUID[0]))
                    == BURST);
    long millis = (System.nanoTime() - start) / 1_000_000;
    System.out.println(
        "[inbox] a burst of " + BURST + " commands drained in " + millis + " ms, 20 ms first wait");

    assertEquals(List.of(), node.deadLetters(), "no valid command became a dead letter");
    assertEquals(0, node.sql.count("SELECT count(*) FROM dead_letters"));
  }
}
