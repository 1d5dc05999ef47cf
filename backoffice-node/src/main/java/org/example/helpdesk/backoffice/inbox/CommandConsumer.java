package org.example.helpdesk.backoffice.inbox;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.ShardedDaemonProcess;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.KillSwitches;
import org.apache.pekko.stream.RestartSettings;
import org.apache.pekko.stream.UniqueKillSwitch;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.RestartSource;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.example.helpdesk.backoffice.metrics.BackofficeMetrics;
import org.example.helpdesk.platform.concurrent.Futures;
import org.example.helpdesk.protocol.AmqpTopology;
import org.example.helpdesk.protocol.amqp.AmqpConnector;
import org.example.helpdesk.protocol.amqp.AmqpSource;
import org.example.helpdesk.protocol.amqp.CommittableMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes the distributed commands for the backoffice and drives the Ticket entities with them.
 *
 * <ul>
 *   <li>One consumer per cluster (see {@link #init}).
 *   <li>A message is acked only after its entity persisted, or found nothing to persist.
 *   <li>Commands of different tickets run in parallel; those of one ticket one at a time, in
 *       arrival order.
 *   <li>A message that can never succeed goes to the dead-letter store and is acked.
 *   <li>A failure that may pass is retried in place with backoff (which keeps the ticket's order);
 *       if it persists, the message is nacked with requeue and the stream restarts with backoff,
 *       so that the broker hands back every unacked message in its original order.
 * </ul>
 */
public final class CommandConsumer {

  private static final Logger log = LoggerFactory.getLogger(CommandConsumer.class);

  /** How the consumer takes messages and retries failures. */
  public record Settings(
      int prefetch,
      int parallelism,
      int retries,
      Duration retryMinBackoff,
      Duration retryMaxBackoff,
      RestartSettings restart) {}

  private final CommandHandling handling;
  private final DeadLetterStore deadLetters;
  private final Settings settings;
  private final BackofficeMetrics metrics;

  private CommandConsumer(
      CommandHandling handling, DeadLetterStore deadLetters, Settings settings, BackofficeMetrics metrics) {
    this.handling = handling;
    this.deadLetters = deadLetters;
    this.settings = settings;
    this.metrics = metrics;
  }

  /**
   * Runs the consumer on exactly one node of the cluster at a time (a sharded daemon process of
   * one). Competing consumers on one queue would lose the per-ticket order: a cancel taken by one
   * node could overtake its prepare taken by another. One consumer keeps it, and still handles
   * many tickets in parallel; the entities it drives are sharded over all nodes. If its node
   * leaves or fails, the consumer starts on another, and the broker redelivers what was unacked.
   */
  public static void init(
      ActorSystem<?> system,
      AmqpConnector connector,
      CommandHandling handling,
      DeadLetterStore deadLetters,
      Settings settings,
      BackofficeMetrics metrics) {
    CommandConsumer consumer = new CommandConsumer(handling, deadLetters, settings, metrics);
    ShardedDaemonProcess.get(system)
        .init(Control.class, "inbox", 1, i -> consumer.behavior(connector), Control.STOP);
  }

  /** Tells the consumer's actor to stop consuming. */
  public enum Control {
    STOP,
    STOPPED
  }

  private Behavior<Control> behavior(AmqpConnector connector) {
    return Behaviors.setup(
        context -> {
          Pair<UniqueKillSwitch, CompletionStage<Done>> running =
              RestartSource.withBackoff(settings.restart(), () -> consume(connector))
                  .viaMat(KillSwitches.single(), Keep.right())
                  .toMat(Sink.ignore(), Keep.both())
                  .run(context.getSystem());
          log.info("Consuming queue {}", AmqpTopology.BACKOFFICE_QUEUE);
          return Behaviors.receive(Control.class)
              .onMessageEquals(
                  Control.STOP,
                  () -> {
                    // what is in flight stays unacked and comes back to whoever consumes next
                    running.first().shutdown();
                    context.pipeToSelf(running.second(), (done, failure) -> Control.STOPPED);
                    return Behaviors.same();
                  })
              .onMessageEquals(Control.STOPPED, Behaviors::stopped)
              .onSignal(PostStop.class, signal -> {
                running.first().shutdown();
                return Behaviors.same();
              })
              .build();
        });
  }

  private Source<Done, NotUsed> consume(AmqpConnector connector) {
    return AmqpSource.committable(
            connector, AmqpTopology.BACKOFFICE_QUEUE, settings.prefetch(), AmqpTopology::declare)
        .map(delivery -> Pair.create(delivery, InboundMessage.from(delivery)))
        .mapAsyncPartitioned(
            settings.parallelism(),
            pair -> pair.second().partitionKey(),
            (pair, ticket) -> process(pair.first(), pair.second()));
  }

  private CompletionStage<Done> process(CommittableMessage delivery, InboundMessage message) {
    return Futures.retry(
            () -> handleOnce(message),
            settings.retries(),
            settings.retryMinBackoff(),
            settings.retryMaxBackoff())
        .thenCompose(done -> delivery.ack().exceptionally(CommandConsumer::ackLost))
        .exceptionallyCompose(
            failure -> {
              log.warn(
                  "Giving {} back to the broker after {} retries: {}",
                  delivery.describe(),
                  settings.retries(),
                  Futures.unwrap(failure).toString());
              metrics.requeued();
              // failing the stream makes the broker requeue the messages behind this one too,
              // in order, rather than let a later command of the same ticket overtake it
              return delivery
                  .nack(true)
                  .exceptionally(CommandConsumer::ackLost)
                  .thenCompose(ignored -> CompletableFuture.failedFuture(failure));
            });
  }

  private CompletionStage<Done> handleOnce(InboundMessage message) {
    return handling
        .handle(message)
        .thenCompose(
            outcome -> {
              if (outcome instanceof CommandHandling.Rejected rejected) {
                log.warn(
                    "Dead-lettering message {} (type {}, correlation {}): {}",
                    message.messageId(),
                    message.type(),
                    message.correlationId(),
                    rejected.error());
                return deadLetters.record(message, rejected.error()).thenApply(done -> {
                  metrics.deadLettered();
                  return done;
                });
              }
              metrics.processed();
              return CompletableFuture.completedFuture(Done.getInstance());
            });
  }

  /** The channel is gone: the broker redelivers the message, and handling it again is harmless. */
  private static Done ackLost(Throwable e) {
    log.debug("Could not settle a message, the broker will deliver it again: {}", e.toString());
    return Done.getInstance();
  }
}
