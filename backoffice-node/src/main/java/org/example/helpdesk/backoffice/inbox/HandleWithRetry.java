package org.example.helpdesk.backoffice.inbox;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.Done;
import org.example.helpdesk.platform.concurrent.Futures;

/**
 * The consumer's third stage: the command is applied to its ticket, tried again patiently ({@link
 * PatientRetry}) when the failure may pass. A rejection is the message's own fault: a dead letter.
 * A command given up while other commands were applied, again and again, is too; when nothing
 * succeeds (an outage) the failure is passed on, and the message goes back to the broker.
 */
final class HandleWithRetry {

  private final CommandHandling handling;
  private final PatientRetry retry;
  private final DeadLettering deadLettering;
  private final InboxMetrics metrics;

  /** Commands applied so far, to tell a message's own fault from an outage. */
  private final AtomicLong applied = new AtomicLong();

  HandleWithRetry(
      CommandHandling handling,
      PatientRetry retry,
      DeadLettering deadLettering,
      InboxMetrics metrics) {
    this.handling = handling;
    this.retry = retry;
    this.deadLettering = deadLettering;
    this.metrics = metrics;
  }

  CompletionStage<Done> apply(InboundMessage message, Optional<UUID> ticket) {
    long appliedBefore = applied.get();
    return retry
        .run(
            timeout -> handleOnce(message, ticket, timeout),
            wait ->
                ticket.isPresent()
                    ? handling.neighbourAnswers(ticket.get(), wait)
                    : CompletableFuture.completedFuture(false))
        .exceptionallyCompose(
            failure -> {
              Throwable cause = Futures.unwrap(failure);
              if (!(cause instanceof PatientRetry.GaveUp gaveUp)
                  || applied.get() == appliedBefore
                  || gaveUp.overtaken < retry.attempts()) {
                // nothing succeeds (an outage), or nothing overtook it: give it back
                return CompletableFuture.failedFuture(cause);
              }
              // commands sent after it were answered, again and again: the fault is this one's
              return deadLettering.keep(
                  message,
                  ticket,
                  "no answer after "
                      + gaveUp.tries
                      + " attempts while other commands were applied: "
                      + gaveUp.getMessage());
            });
  }

  private CompletionStage<Done> handleOnce(
      InboundMessage message, Optional<UUID> ticket, Duration timeout) {
    return handling
        .handle(message, timeout)
        .thenCompose(
            outcome -> {
              if (outcome instanceof MessageHandler.Rejected rejected) {
                return deadLettering.keep(message, ticket, rejected.error());
              }
              applied.incrementAndGet();
              metrics.processed();
              return CompletableFuture.completedFuture(Done.getInstance());
            });
  }
}
