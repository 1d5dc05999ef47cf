package org.example.helpdesk.backoffice.inbox;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.example.helpdesk.backoffice.BackofficeTestNode;
import org.example.helpdesk.protocol.CancelTicket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * What the inbox logs about a message names the message and its ticket (MDC), whichever thread logs
 * it.
 */
class InboxLogContextTest {

  private static BackofficeTestNode node;
  private static final ListAppender<ILoggingEvent> lines = new ListAppender<>();
  private static final Logger logger = (Logger) LoggerFactory.getLogger(CommandConsumer.class);

  @BeforeAll
  static void start() {
    lines.start();
    logger.addAppender(lines);
    node = new BackofficeTestNode();
  }

  @AfterAll
  static void stop() {
    logger.detachAppender(lines);
    node.close();
  }

  @Test
  void theDeadLetteringOfACommandIsLoggedWithItsTicketIdAndMessageId() {
    UUID ticket = UUID.randomUUID();
    String messageId = ticket + ":2";
    // a cancel of a ticket that does not exist: rejected, kept as a dead letter, logged
    BackofficeTestNode.publish(new CancelTicket(ticket), messageId);

    ILoggingEvent line =
        await()
            .atMost(Duration.ofSeconds(20))
            .until(() -> find("Dead-lettering message " + messageId), Optional::isPresent)
            .orElseThrow();
    assertEquals(
        ticket.toString(),
        line.getMDCPropertyMap().get("ticketId"),
        line.getMDCPropertyMap().toString());
    assertEquals(messageId, line.getMDCPropertyMap().get("messageId"));
  }

  private static Optional<ILoggingEvent> find(String start) {
    synchronized (lines) {
      return lines.list.stream().filter(e -> e.getFormattedMessage().startsWith(start)).findFirst();
    }
  }
}
