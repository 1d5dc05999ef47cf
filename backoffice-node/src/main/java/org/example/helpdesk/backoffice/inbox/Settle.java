package org.example.helpdesk.backoffice.inbox;

import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.example.helpdesk.amqp.CommittableMessage;
import org.example.helpdesk.platform.concurrent.Futures;
import org.example.helpdesk.platform.logging.LogContext;

/**
 * The consumer's last stage: a message is acked once it is done with (applied, parked or kept as a
 * dead letter); one whose handling failed in a way that may pass is given back to the broker.
 */
final class Settle {

  private final InboxMetrics metrics;

  Settle(InboxMetrics metrics) {
    this.metrics = metrics;
  }

  /** Acks the message once {@code done} completes; when it fails, gives the message back. */
  CompletionStage<Done> ackOrGiveBack(
      CommittableMessage delivery,
      InboundMessage message,
      Optional<UUID> ticket,
      CompletionStage<?> done) {
    return done.thenCompose(ignored -> ack(delivery))
        .exceptionallyCompose(
            failure -> {
              try (LogContext ignored = InboxLog.context(message, ticket)) {
                InboxLog.LOG.warn(
                    "Giving {} back to the broker: {}",
                    delivery.describe(),
                    Futures.unwrap(failure).toString());
              }
              metrics.requeued();
              // failing the stream makes the broker requeue the messages behind this one too,
              // in order, rather than let a later command of the same ticket overtake it
              return delivery
                  .nack(true)
                  .exceptionally(Settle::ackLost)
                  .thenCompose(lost -> CompletableFuture.failedFuture(failure));
            });
  }

  static CompletionStage<Done> ack(CommittableMessage delivery) {
    return delivery.ack().exceptionally(Settle::ackLost);
  }

  /** The channel is gone: the broker redelivers the message, and handling it again is harmless. */
  private static Done ackLost(Throwable e) {
    InboxLog.LOG.debug(
        "Could not settle a message, the broker will deliver it again: {}", e.toString());
    return Done.getInstance();
  }
}
