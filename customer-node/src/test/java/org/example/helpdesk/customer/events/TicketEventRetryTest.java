package org.example.helpdesk.customer.events;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.rabbitmq.client.AMQP;
import com.typesafe.config.ConfigFactory;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.example.helpdesk.customer.CustomerTestNode;
import org.example.helpdesk.protocol.DistributedEvents;
import org.example.helpdesk.protocol.TicketWasAssigned;
import org.example.helpdesk.testsupport.TestBroker;
import org.example.helpdesk.testsupport.TestPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A failure that may pass (the issue's write waits on the database, so the ask times out) is tried
 * again until it passes: the event is recorded once the database answers, never lost and never a
 * dead letter.
 */
class TicketEventRetryTest {

  @RegisterExtension
  static final CustomerTestNode node =
      new CustomerTestNode(
          TestPostgres.newSchemaName("customer"),
          ConfigFactory.parseString(
              "helpdesk.http.ask-timeout = 1s\n"
                  + "helpdesk.events { retry-min-backoff = 100ms, retry-max-backoff = 1s }"));

  @Test
  void anEventWhoseIssueDoesNotAnswerIsRecordedOnceItDoes() throws Exception {
    UUID issue = UUID.randomUUID();
    assertEquals(
        201,
        node.http
            .postJson(
                "/issues",
                "{\"issueId\":\""
                    + issue
                    + "\",\"email\":\"jane@example.com\",\"content\":\"Printer on fire\"}")
            .status());
    try (Connection locking = TestPostgres.connect()) {
      locking.setSchema(node.schema);
      locking.setAutoCommit(false);
      // the issue's row is locked: its next write waits, and the consumer's ask times out
      try (PreparedStatement s =
          locking.prepareStatement(
              "SELECT revision FROM durable_state WHERE persistence_id LIKE ? FOR UPDATE")) {
        s.setString(1, "%" + issue);
        s.executeQuery().close();
      }
      TicketWasAssigned assigned = new TicketWasAssigned(issue, 2, Instant.now());
      TestBroker.publish(
          TicketEventConsumer::declare,
          DistributedEvents.EVENTS_EXCHANGE,
          DistributedEvents.nameOf(assigned),
          new AMQP.BasicProperties.Builder()
              .type(DistributedEvents.nameOf(assigned))
              .messageId(DistributedEvents.messageIdOf(issue, 2))
              .deliveryMode(2)
              .build(),
          DistributedEvents.toJson(assigned));
      Thread.sleep(3_000); // a few tries' worth (the issue answers nobody meanwhile)
      assertEquals(0, deadLetters(), "what may pass is tried again, not kept aside");
      locking.rollback();
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> progress(issue).equals("assigned"));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> TestBroker.messageCount(DistributedEvents.CUSTOMER_QUEUE) == 0);
    assertEquals(0, deadLetters(), "a failure that passed makes no dead letter");
  }

  private static int deadLetters() {
    return node.admin.get("/admin/dead-letters").json().path("deadLetters").size();
  }

  private static String progress(UUID issue) {
    return node.http.get("/issues/" + issue).json().path("progress").asText();
  }
}
