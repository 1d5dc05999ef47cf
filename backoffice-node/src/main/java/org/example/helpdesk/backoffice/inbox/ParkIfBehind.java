package org.example.helpdesk.backoffice.inbox;

import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.example.helpdesk.platform.logging.LogContext;

/**
 * The consumer's second stage: a command of a ticket that has a dead letter waits behind it (it is
 * kept, parked, and applied when the head is replayed or deleted), never applied past it.
 */
final class ParkIfBehind {

  private final DeadLettering deadLettering;
  private final InboxMetrics metrics;

  ParkIfBehind(DeadLettering deadLettering, InboxMetrics metrics) {
    this.deadLettering = deadLettering;
    this.metrics = metrics;
  }

  /**
   * @return whether it was parked (and is done with here)
   */
  CompletionStage<Boolean> apply(InboundMessage message, Optional<UUID> ticket) {
    Set<UUID> behind = deadLettering.ticketsWithDeadLetters();
    if (ticket.isEmpty() || !behind.contains(ticket.get())) {
      return CompletableFuture.completedFuture(false);
    }
    return deadLettering
        .store()
        .parkBehind(message, ticket.get())
        .thenApply(
            head -> {
              if (head.isEmpty()) {
                behind.remove(ticket.get());
                return false;
              }
              try (LogContext ignored = InboxLog.context(message, ticket)) {
                InboxLog.LOG.info(
                    "Parked message {} of ticket {} behind dead letter {}",
                    message.messageId(),
                    ticket.get(),
                    head.get());
              }
              metrics.parked();
              return true;
            });
  }
}
