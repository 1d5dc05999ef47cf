package org.example.helpdesk.backoffice.inbox;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
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
import org.example.helpdesk.platform.cluster.StreamDaemon;
import org.example.helpdesk.platform.tracing.Tracing;
import org.example.helpdesk.protocol.AmqpTopology;

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
 *       commands of that ticket are parked behind it, never applied past it (the {@link
 *       DeadLetterStore} keeps them; the dead-letter feature replays them).
 *   <li>A failure that may pass (database down, entity not answering) is tried {@code attempts}
 *       times, each try waiting twice as long as the one before, and the first already a few times
 *       as long as commands take now ({@link AskTimeouts}): slow is not poison, an overloaded node
 *       gets longer waits, not dead letters. If other messages succeeded meanwhile, the fault is
 *       this message's: it becomes a dead letter. If nothing succeeds (an outage), it is nacked
 *       with requeue and the stream restarts with backoff, so that the broker hands back every
 *       unacked message in its original order.
 * </ul>
 *
 * <p>A message goes through named stages: {@link DecodeAndSize} → {@link ParkIfBehind} → {@link
 * HandleWithRetry} → {@link Settle}; {@link DeadLettering} is how the stages give up on one, and
 * {@link TracedConsume} wraps the whole in a consume span.
 */
public final class CommandConsumer {

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

  private final Settings settings;
  private final int partition;
  private final String queue;

  // the stages, in the order a message goes through them
  private final DecodeAndSize decodeAndSize;
  private final ParkIfBehind parkIfBehind;
  private final HandleWithRetry handleWithRetry;
  private final Settle settle;

  /** How the stages give up on a message. */
  private final DeadLettering deadLettering;

  /** {@link #process}, in a consume span. */
  private final TracedConsume.Consume consume;

  CommandConsumer(
      ActorSystem<?> system,
      int partition,
      CommandHandling handling,
      DeadLetterStore deadLetters,
      Settings settings,
      InboxMetrics metrics) {
    this.partition = partition;
    this.queue = AmqpTopology.partitionQueue(partition);
    this.settings = settings;
    PatientRetry retry =
        new PatientRetry(
            system,
            new AskTimeouts(handling.askTimeout(), settings.maxAskTimeout()),
            settings.attempts(),
            settings.retryMinBackoff(),
            settings.retryMaxBackoff());
    this.deadLettering = new DeadLettering(deadLetters, metrics);
    this.decodeAndSize = new DecodeAndSize(settings.maxMessageBytes());
    this.parkIfBehind = new ParkIfBehind(deadLettering, metrics);
    this.handleWithRetry = new HandleWithRetry(handling, retry, deadLettering, metrics);
    this.settle = new Settle(metrics);
    this.consume = TracedConsume.around(this::process, Tracing.get(system), queue);
  }

  Behavior<StreamDaemon.Control> behavior(AmqpConnector connector) {
    return StreamDaemon.behavior(
        settings.restart(),
        () -> consume(connector),
        () ->
            InboxLog.LOG.info(
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
    return Source.completionStage(deadLettering.store().ticketsWithOpenDeadLetters())
        .flatMapConcat(
            tickets -> {
              deadLettering.ticketsWithDeadLetters().addAll(tickets);
              return AmqpSource.committable(
                      connector,
                      queue,
                      source,
                      channel ->
                          BrokerTopology.declarePartition(
                              channel, partition, settings.partitions()))
                  .map(delivery -> Pair.create(delivery, decodeAndSize.decode(delivery)))
                  .mapAsyncPartitionedUnordered(
                      settings.parallelism(),
                      pair -> decodeAndSize.partitionKey(pair.second()),
                      (pair, key) -> consume.apply(pair.first(), pair.second()));
            });
  }

  /**
   * One message through the stages: decode and size → park if behind → handle with retry → settle.
   */
  private CompletionStage<Done> process(CommittableMessage delivery, InboundMessage message) {
    Optional<String> oversize = decodeAndSize.oversize(message);
    if (oversize.isPresent()) {
      return deadLettering
          .keep(message, Optional.empty(), oversize.get())
          .thenCompose(done -> Settle.ack(delivery));
    }
    Optional<UUID> ticket = message.ticketId();
    CompletionStage<Done> handled =
        parkIfBehind
            .apply(message, ticket)
            .thenCompose(
                parked ->
                    parked
                        ? CompletableFuture.completedFuture(Done.getInstance())
                        : handleWithRetry.apply(message, ticket));
    return settle.ackOrGiveBack(delivery, message, ticket, handled);
  }
}
