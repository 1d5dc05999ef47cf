package org.example.helpdesk.backoffice.inbox;

import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.RestartSettings;
import org.apache.pekko.stream.javadsl.Source;
import org.example.helpdesk.amqp.AmqpConnector;
import org.example.helpdesk.amqp.AmqpSource;
import org.example.helpdesk.amqp.BrokerTopology;
import org.example.helpdesk.amqp.CommittableMessage;
import org.example.helpdesk.backoffice.metrics.BackofficeMetrics;
import org.example.helpdesk.platform.concurrent.Futures;
import org.example.helpdesk.platform.logging.LogContext;
import org.example.helpdesk.platform.tracing.Tracing;
import org.example.helpdesk.protocol.AmqpTopology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes one partition of the distributed commands for the backoffice and drives the Ticket
 * entities with them ({@link InboxPartitions} runs one per partition, spread over the nodes).
 *
 * <ul>
 *   <li>One consumer per partition in the cluster, and its queue's only one at the broker.
 *   <li>A message is acked only after its entity persisted, or found nothing to persist, or it was
 *       kept in the dead-letter store.
 *   <li>Commands of one ticket are handled one at a time, in arrival order; different tickets in
 *       parallel and independently: one that does not answer holds up no other.
 *   <li>Memory is bounded in bytes: at most {@code prefetch} messages of at most {@code
 *       maxMessageBytes}; a larger message is taken aside alone ({@link AmqpSource}) and kept as a
 *       dead letter, cut short, with its size.
 *   <li>A message that can never succeed is kept as a dead letter, its ticket's head; later
 *       commands of that ticket are parked behind it, never applied past it (see {@link
 *       DeadLetters}).
 *   <li>A failure that may pass (database down, entity not answering) is tried {@code attempts}
 *       times, each try waiting twice as long as the one before, and the first already a few times
 *       as long as commands take now ({@link AskTimeouts}): slow is not poison, an overloaded node
 *       gets longer waits, not dead letters. If other messages succeeded meanwhile, the fault is
 *       this message's: it becomes a dead letter. If nothing succeeds (an outage), it is nacked
 *       with requeue and the stream restarts with backoff, so that the broker hands back every
 *       unacked message in its original order.
 * </ul>
 */
public final class CommandConsumer {

  private static final Logger log = LoggerFactory.getLogger(CommandConsumer.class);

  /**
   * @param prefetch unacknowledged deliveries at most (lowered to fit {@code maxBytesInFlight})
   * @param maxMessageBytes a larger message is taken aside and kept as a dead letter
   * @param maxOversizeBytes the largest message that can still be taken aside
   * @param maxBytesInFlight bound of the bytes of the messages a node holds at once, over all the
   *     partitions it consumes
   * @param attempts tries of a command that fails in a way that may pass
   * @param maxAskTimeout the longest one try waits
   */
  public record Settings(
      int partitions,
      int prefetch,
      int parallelism,
      int maxMessageBytes,
      int maxOversizeBytes,
      long maxBytesInFlight,
      int attempts,
      Duration maxAskTimeout,
      Duration retryMinBackoff,
      Duration retryMaxBackoff,
      RestartSettings restart) {

    /**
     * What the broker may hand one partition's consumer at once: {@code prefetch}, but never more
     * bytes than its share of {@code maxBytesInFlight}, which bounds a node that consumes every
     * partition (one node alone, or the last one left).
     */
    int effectivePrefetch() {
      long share = maxBytesInFlight / partitions;
      return (int) Math.max(1, Math.min(prefetch, share / maxMessageBytes));
    }
  }

  private final CommandHandling handling;
  private final DeadLetterStore deadLetters;
  private final Settings settings;
  private final BackofficeMetrics metrics;

  /** Tickets that may have open dead letters: their new commands are parked, not applied. */
  private final Set<UUID> ticketsWithDeadLetters = ConcurrentHashMap.newKeySet();

  /** Commands applied so far, to tell a message's own fault from an outage. */
  private final AtomicLong applied = new AtomicLong();

  private final Tracing tracing;
  private final ActorSystem<?> system;
  private final int partition;
  private final String queue;
  private final PatientRetry retry;

  CommandConsumer(
      ActorSystem<?> system,
      int partition,
      CommandHandling handling,
      DeadLetterStore deadLetters,
      Settings settings,
      BackofficeMetrics metrics) {
    this.partition = partition;
    this.queue = AmqpTopology.partitionQueue(partition);
    this.retry =
        new PatientRetry(
            system,
            new AskTimeouts(handling.askTimeout(), settings.maxAskTimeout()),
            settings.attempts(),
            settings.retryMinBackoff(),
            settings.retryMaxBackoff());
    this.handling = handling;
    this.deadLetters = deadLetters;
    this.settings = settings;
    this.metrics = metrics;
    this.tracing = Tracing.get(system);
    this.system = system;
  }

  Behavior<StreamDaemon.Control> behavior(AmqpConnector connector) {
    return StreamDaemon.behavior(
        settings.restart(),
        () -> consume(connector),
        () ->
            log.info(
                "Consuming queue {}: {} messages of at most {} bytes at once",
                queue,
                settings.effectivePrefetch(),
                settings.maxMessageBytes()));
  }

  private Source<Done, NotUsed> consume(AmqpConnector connector) {
    AmqpSource.Settings source =
        new AmqpSource.Settings(
            settings.effectivePrefetch(),
            settings.maxMessageBytes(),
            settings.maxOversizeBytes(),
            true);
    // (re)learn which tickets have dead letters: replays and deletes may have happened elsewhere
    return Source.completionStage(deadLetters.ticketsWithOpenDeadLetters())
        .flatMapConcat(
            tickets -> {
              ticketsWithDeadLetters.addAll(tickets);
              return AmqpSource.committable(
                      connector,
                      queue,
                      source,
                      channel ->
                          BrokerTopology.declarePartition(
                              channel, partition, settings.partitions()))
                  .map(delivery -> Pair.create(delivery, InboundMessage.from(delivery)))
                  .mapAsyncPartitionedUnordered(
                      settings.parallelism(),
                      // (a message larger than the inbox takes is not even parsed)
                      pair ->
                          pair.second().body().length > settings.maxMessageBytes()
                              ? pair.second().messageId()
                              : pair.second().partitionKey(),
                      (pair, ticket) -> process(pair.first(), pair.second()));
            });
  }

  /**
   * Handles a message in a consume span that continues the message's trace context ({@code
   * traceparent}, {@code tracestate} headers); a message without one, or with a malformed one,
   * starts a new trace. What the handling asks of the ticket, and a dead letter, carry the span's
   * context on.
   */
  private CompletionStage<Done> process(CommittableMessage delivery, InboundMessage received) {
    if (!tracing.enabled()) {
      return processTraced(delivery, received);
    }
    SpanBuilder span =
        tracing.spanBuilder(
            "inbox consume",
            Tracing.contextOf(received.traceparent(), received.tracestate()),
            SpanKind.CONSUMER,
            "messaging.system",
            "rabbitmq",
            "messaging.operation.type",
            "process",
            "messaging.destination.name",
            queue,
            "messaging.message.id",
            received.messageId(),
            "command.name",
            received.type());
    return tracing.traced(
        span, traceparent -> processTraced(delivery, received.withTraceparent(traceparent)));
  }

  private CompletionStage<Done> processTraced(CommittableMessage delivery, InboundMessage message) {
    if (message.body().length > settings.maxMessageBytes()) {
      return keep(
              message,
              Optional.empty(),
              "message of "
                  + message.body().length
                  + " bytes is larger than the inbox takes ("
                  + settings.maxMessageBytes()
                  + " bytes); only its start is kept")
          .thenCompose(done -> ack(delivery));
    }
    Optional<UUID> ticket = message.ticketId();
    return parkIfBehind(message, ticket)
        .thenCompose(
            parked ->
                parked
                    ? ack(delivery)
                    : handleWithAttempts(message, ticket).thenCompose(done -> ack(delivery)))
        .exceptionallyCompose(
            failure -> {
              try (LogContext ignored = logContext(message, ticket)) {
                log.warn(
                    "Giving {} back to the broker: {}",
                    delivery.describe(),
                    Futures.unwrap(failure).toString());
              }
              metrics.requeued();
              // failing the stream makes the broker requeue the messages behind this one too,
              // in order, rather than let a later command of the same ticket overtake it
              return delivery
                  .nack(true)
                  .exceptionally(CommandConsumer::ackLost)
                  .thenCompose(ignored -> CompletableFuture.failedFuture(failure));
            });
  }

  /** A command of a ticket that has a dead letter waits behind it. */
  private CompletionStage<Boolean> parkIfBehind(InboundMessage message, Optional<UUID> ticket) {
    if (ticket.isEmpty() || !ticketsWithDeadLetters.contains(ticket.get())) {
      return CompletableFuture.completedFuture(false);
    }
    return deadLetters
        .parkBehind(message, ticket.get())
        .thenApply(
            head -> {
              if (head.isEmpty()) {
                ticketsWithDeadLetters.remove(ticket.get());
                return false;
              }
              try (LogContext ignored = logContext(message, ticket)) {
                log.info(
                    "Parked message {} of ticket {} behind dead letter {}",
                    message.messageId(),
                    ticket.get(),
                    head.get());
              }
              metrics.parked();
              return true;
            });
  }

  private CompletionStage<Done> handleWithAttempts(InboundMessage message, Optional<UUID> ticket) {
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
              return keep(
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
              if (outcome instanceof CommandHandling.Rejected rejected) {
                return keep(message, ticket, rejected.error());
              }
              applied.incrementAndGet();
              metrics.processed();
              return CompletableFuture.completedFuture(Done.getInstance());
            });
  }

  private CompletionStage<Done> keep(InboundMessage message, Optional<UUID> ticket, String error) {
    try (LogContext ignored = logContext(message, ticket)) {
      log.warn(
          "Dead-lettering message {} (type {}, correlation {}): {}",
          message.messageId(),
          message.type(),
          message.correlationId(),
          error);
    }
    ticket.ifPresent(ticketsWithDeadLetters::add);
    return deadLetters
        .record(message, ticket.orElse(null), error)
        .thenApply(
            kept -> {
              metrics.deadLettered();
              return Done.getInstance();
            });
  }

  /**
   * The message and its ticket in the MDC of a log line (the stream's callbacks run on any thread).
   */
  private static LogContext logContext(InboundMessage message, Optional<UUID> ticket) {
    return LogContext.put(
        LogContext.MESSAGE_ID, message.messageId(), LogContext.TICKET_ID, ticket.orElse(null));
  }

  private static CompletionStage<Done> ack(CommittableMessage delivery) {
    return delivery.ack().exceptionally(CommandConsumer::ackLost);
  }

  /** The channel is gone: the broker redelivers the message, and handling it again is harmless. */
  private static Done ackLost(Throwable e) {
    log.debug("Could not settle a message, the broker will deliver it again: {}", e.toString());
    return Done.getInstance();
  }
}
