package org.example.helpdesk.backoffice.events;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.example.helpdesk.backoffice.BackofficeTestNode;
import org.example.helpdesk.protocol.DistributedEvents;
import org.example.helpdesk.testsupport.TestBroker;
import org.example.helpdesk.testsupport.TestPostgres;
import org.junit.jupiter.api.Test;

/**
 * The switch of the return flow ({@code helpdesk.ticket-events.enabled}, TICKET_EVENTS_ENABLED):
 * off, the relay publishes nothing; on again, it publishes what the journal gained meanwhile.
 */
class TicketEventsSwitchTest {

  private static final String QUEUE = DistributedEvents.CUSTOMER_QUEUE;

  @Test
  void offPublishesNothingAndOnAgainPublishesWhatTheJournalGainedMeanwhile() {
    TestBroker.deleteQueuesAndExchanges(List.of(QUEUE), List.of(DistributedEvents.EVENTS_EXCHANGE));
    // the customer's queue, as its node declares it: a published event would wait here
    TestBroker.withChannel(CustomerEvents::declare);
    String schema = TestPostgres.newSchemaName("backoffice");

    BackofficeTestNode off =
        new BackofficeTestNode(
            ConfigFactory.parseMap(Map.of("helpdesk.ticket-events.enabled", false)), schema);
    UUID id;
    try {
      // in the read model: the projection read the event from the journal the relay reads too
      id = off.customerTicket("reported while the relay is off");
      await()
          .during(Duration.ofSeconds(2))
          .atMost(Duration.ofSeconds(5))
          .until(() -> TestBroker.messageCount(QUEUE) == 0);
      assertEquals(
          0,
          off.sql.count(
              "SELECT count(*) FROM pekko_projection_offset_store WHERE projection_name = ?",
              TicketEventRelay.NAME),
          "the relay never ran");
    } finally {
      off.node.node().stop().toCompletableFuture().join();
    }

    try (BackofficeTestNode on = new BackofficeTestNode(ConfigFactory.empty(), schema)) {
      await().atMost(Duration.ofSeconds(30)).until(() -> TestBroker.messageCount(QUEUE) >= 1);
      List<String> published = new ArrayList<>();
      TestBroker.takeAll(QUEUE, m -> published.add(m.getProps().getMessageId()));
      assertEquals(List.of(id + ":1"), published, "the ticket's preparation, once");
    }
  }
}
