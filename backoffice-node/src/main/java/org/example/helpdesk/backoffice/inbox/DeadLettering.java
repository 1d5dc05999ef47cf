package org.example.helpdesk.backoffice.inbox;

import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.Done;
import org.example.helpdesk.platform.logging.LogContext;

/**
 * How the consumer gives up on a message: it is logged, counted and handed to the {@link
 * DeadLetterStore} as its ticket's head; the ticket's later commands are then parked behind it
 * ({@link ParkIfBehind} reads {@link #ticketsWithDeadLetters}).
 */
final class DeadLettering {

  private final DeadLetterStore store;
  private final InboxMetrics metrics;

  /** Tickets that may have open dead letters: their new commands are parked, not applied. */
  private final Set<UUID> ticketsWithDeadLetters = ConcurrentHashMap.newKeySet();

  DeadLettering(DeadLetterStore store, InboxMetrics metrics) {
    this.store = store;
    this.metrics = metrics;
  }

  DeadLetterStore store() {
    return store;
  }

  Set<UUID> ticketsWithDeadLetters() {
    return ticketsWithDeadLetters;
  }

  CompletionStage<Done> keep(InboundMessage message, Optional<UUID> ticket, String error) {
    try (LogContext ignored = InboxLog.context(message, ticket)) {
      InboxLog.LOG.warn(
          "Dead-lettering message {} (type {}, correlation {}): {}",
          message.messageId(),
          message.type(),
          message.correlationId(),
          error);
    }
    ticket.ifPresent(ticketsWithDeadLetters::add);
    return store
        .record(message, ticket.orElse(null), error)
        .thenApply(
            kept -> {
              metrics.deadLettered();
              return Done.getInstance();
            });
  }
}
