package org.example.helpdesk.backoffice.inbox;

import java.util.Optional;
import java.util.UUID;
import org.example.helpdesk.platform.logging.LogContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the consumer's stages log, under one logger (the {@link CommandConsumer}'s, as operators
 * configure it), each line with the message and its ticket in the MDC.
 */
final class InboxLog {

  static final Logger LOG = LoggerFactory.getLogger(CommandConsumer.class);

  private InboxLog() {}

  /**
   * The message and its ticket in the MDC of a log line (the stream's callbacks run on any thread).
   */
  static LogContext context(InboundMessage message, Optional<UUID> ticket) {
    return LogContext.put(
        LogContext.MESSAGE_ID, message.messageId(), LogContext.TICKET_ID, ticket.orElse(null));
  }
}
