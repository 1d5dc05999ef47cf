package org.example.helpdesk.customer.events;

import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import java.io.IOException;
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
import org.apache.pekko.cluster.sharding.typed.javadsl.ShardedDaemonProcess;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.RestartSettings;
import org.apache.pekko.stream.javadsl.Source;
import org.example.helpdesk.amqp.AmqpConnector;
import org.example.helpdesk.amqp.AmqpSource;
import org.example.helpdesk.amqp.CommittableMessage;
import org.example.helpdesk.platform.cluster.StreamDaemon;
import org.example.helpdesk.platform.concurrent.Futures;
import org.example.helpdesk.protocol.DistributedEvents;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes the ticket events the backoffice publishes (queue {@value
 * DistributedEvents#CUSTOMER_QUEUE}) and records each on its Issue ({@link TicketEventHandling}).
 *
 * <ul>
 *   <li>One consumer in the cluster (a sharded daemon process of one), and the queue's only one at
 *       the broker (an exclusive consumer): a second node cannot take messages while the first
 *       still holds some.
 *   <li>Idempotent by message: an event carries its number in the ticket's history, and the Issue
 *       ignores a step numbered no higher than the last it heard (a redelivery changes nothing).
 *   <li>The events of one issue are handled one at a time, in arrival order; different issues in
 *       parallel ({@code parallelism}). A message is acked only once its step was recorded, or it
 *       was kept as a dead letter.
 *   <li>What can never be recorded (an unknown type, a malformed body, an issue this service does
 *       not know, a body over {@code maxMessageBytes}) is kept as a dead letter and acked: the
 *       queue flows on. The later events of an issue that has a dead letter are kept behind it
 *       (dead letters too), never applied past it: an operator replays them in order (or deletes).
 *   <li>A failure that may pass (the Issue did not answer in time, the database is down) is tried
 *       again in place, waiting longer each time. After {@code attempts} tries: if other events
 *       were recorded meanwhile the fault is this one's (a dead letter); if nothing was (an
 *       outage), the stream fails and restarts with backoff, and the broker hands every unacked
 *       message back in its order.
 * </ul>
 */
public final class TicketEventConsumer {

  private static final Logger log = LoggerFactory.getLogger(TicketEventConsumer.class);

  /**
   * @param prefetch unacknowledged deliveries at most
   * @param parallelism issues handled at once
   * @param maxMessageBytes a larger message is kept as a dead letter (its start, and its size)
   * @param maxOversizeBytes the largest message that can still be taken aside (see {@link
   *     AmqpSource})
   * @param attempts tries of an event whose failure may pass before it is judged
   */
  public record Settings(
      int prefetch,
      int parallelism,
      int maxMessageBytes,
      int maxOversizeBytes,
      int attempts,
      Duration retryMinBackoff,
      Duration retryMaxBackoff,
      RestartSettings restart) {}

  private final ActorSystem<?> system;
  private final TicketEventHandling handling;
  private final EventDeadLetters deadLetters;
  private final Settings settings;
  private final EventInboxMetrics metrics;

  /** Issues that may have dead letters: their new events are checked, and kept behind them. */
  private final Set<UUID> held = ConcurrentHashMap.newKeySet();

  /** Events recorded so far, to tell a message's own fault from an outage. */
  private final AtomicLong recorded = new AtomicLong();

  TicketEventConsumer(
      ActorSystem<?> system,
      TicketEventHandling handling,
      EventDeadLetters deadLetters,
      Settings settings,
      EventInboxMetrics metrics) {
    this.system = system;
    this.handling = handling;
    this.deadLetters = deadLetters;
    this.settings = settings;
    this.metrics = metrics;
  }

  /** Starts the cluster's one consumer (on whichever node the daemon process places it). */
  public static void init(
      ActorSystem<?> system,
      AmqpConnector connector,
      TicketEventHandling handling,
      EventDeadLetters deadLetters,
      Settings settings,
      EventInboxMetrics metrics) {
    ShardedDaemonProcess.get(system)
        .init(
            StreamDaemon.Control.class,
            "ticket-events",
            1,
            i -> {
              TicketEventConsumer consumer =
                  new TicketEventConsumer(system, handling, deadLetters, settings, metrics);
              return StreamDaemon.behavior(
                  settings.restart(),
                  () -> consumer.consume(connector),
                  () ->
                      log.info(
                          "Consuming queue {}: {} messages of at most {} bytes at once",
                          DistributedEvents.CUSTOMER_QUEUE,
                          settings.prefetch(),
                          settings.maxMessageBytes()));
            },
            StreamDaemon.Control.STOP);
  }

  /** The exchange, the queue and its binding; idempotent. */
  public static void declare(Channel channel) throws IOException {
    channel.exchangeDeclare(
        DistributedEvents.EVENTS_EXCHANGE, BuiltinExchangeType.TOPIC, true, false, null);
    channel.queueDeclare(DistributedEvents.CUSTOMER_QUEUE, true, false, false, null);
    channel.queueBind(
        DistributedEvents.CUSTOMER_QUEUE,
        DistributedEvents.EVENTS_EXCHANGE,
        DistributedEvents.CUSTOMER_BINDING);
  }

  Source<Done, NotUsed> consume(AmqpConnector connector) {
    AmqpSource.Settings source =
        new AmqpSource.Settings(
            settings.prefetch(), settings.maxMessageBytes(), settings.maxOversizeBytes(), true);
    // (re)learn which issues have dead letters: replays and deletes may have happened meanwhile
    return Source.completionStage(deadLetters.issues())
        .flatMapConcat(
            issues -> {
              held.addAll(issues);
              return AmqpSource.committable(
                      connector,
                      DistributedEvents.CUSTOMER_QUEUE,
                      source,
                      TicketEventConsumer::declare)
                  .map(delivery -> Pair.create(delivery, EventMessage.from(delivery)))
                  .mapAsyncPartitionedUnordered(
                      settings.parallelism(),
                      pair -> partitionKey(pair.second()),
                      (pair, key) -> process(pair.first(), pair.second()));
            });
  }

  /** The events of one issue one at a time; a message too large to read goes alone. */
  private Object partitionKey(EventMessage message) {
    if (tooLarge(message)) {
      return message.messageId();
    }
    return message.issueId().<Object>map(id -> id).orElse(message.messageId());
  }

  private boolean tooLarge(EventMessage message) {
    return message.body().length > settings.maxMessageBytes();
  }

  /** One message: kept aside if too large or held back, else recorded; acked when done. */
  private CompletionStage<Done> process(CommittableMessage delivery, EventMessage message) {
    CompletionStage<Void> done;
    if (tooLarge(message)) {
      done =
          keep(
              message,
              null,
              "message of "
                  + message.body().length
                  + " bytes is larger than the inbox takes ("
                  + settings.maxMessageBytes()
                  + " bytes); only its start is kept");
    } else {
      Optional<UUID> issue = message.issueId();
      done = withRetry(message, issue.orElse(null), 1, recorded.get());
    }
    return done.thenCompose(
        ignored ->
            delivery
                .ack()
                .exceptionally(
                    lost -> {
                      // the channel is gone: the broker delivers it again, which changes nothing
                      log.debug("Could not ack {}: {}", delivery.describe(), lost.toString());
                      return Done.getInstance();
                    }));
  }

  private CompletionStage<Void> withRetry(
      EventMessage message, UUID issue, int attempt, long recordedBefore) {
    return once(message, issue)
        .exceptionallyCompose(
            failure -> {
              Throwable cause = Futures.unwrap(failure);
              if (attempt < settings.attempts()) {
                Duration wait = backoff(attempt);
                metrics.retried();
                log.warn(
                    "Event {} (type {}) not recorded, trying again in {} ms: {}",
                    message.messageId(),
                    message.type(),
                    wait.toMillis(),
                    cause.toString());
                return Futures.after(system, wait)
                    .thenCompose(w -> withRetry(message, issue, attempt + 1, recordedBefore));
              }
              if (recorded.get() > recordedBefore) {
                // events sent after it were recorded meanwhile: the fault is this one's
                return keep(
                    message,
                    issue,
                    "not recorded after "
                        + attempt
                        + " tries while other events were: "
                        + cause.getMessage());
              }
              // nothing is recorded (an outage): the broker gets every unacked message back
              return CompletableFuture.failedFuture(cause);
            });
  }

  /** One try: held back behind the issue's dead letters, or recorded, or refused for good. */
  private CompletionStage<Void> once(EventMessage message, UUID issue) {
    CompletionStage<Optional<String>> ahead =
        issue != null && held.contains(issue)
            ? deadLetters.firstOf(issue, message.messageId())
            : CompletableFuture.completedFuture(Optional.empty());
    return ahead.thenCompose(
        first -> {
          if (first.isPresent()) {
            return keep(
                message,
                issue,
                "held back behind dead letter "
                    + first.get()
                    + ", an earlier event of issue "
                    + issue
                    + " that could not be recorded: replay or delete that one first");
          }
          if (issue != null) {
            held.remove(issue);
          }
          return handling
              .handle(message)
              .thenCompose(
                  outcome -> {
                    if (outcome instanceof TicketEventHandling.Rejected rejected) {
                      return keep(message, issue, rejected.reason());
                    }
                    recorded.incrementAndGet();
                    metrics.recorded();
                    return CompletableFuture.completedFuture(null);
                  });
        });
  }

  private CompletionStage<Void> keep(EventMessage message, UUID issue, String reason) {
    log.warn(
        "Dead-lettering event {} (type {}, issue {}): {}",
        message.messageId(),
        message.type(),
        issue,
        reason);
    if (issue != null) {
      held.add(issue);
    }
    return deadLetters.record(message, issue, reason).thenRun(metrics::deadLettered);
  }

  private Duration backoff(int attempt) {
    double wait = settings.retryMinBackoff().toMillis() * Math.pow(2, attempt - 1);
    return Duration.ofMillis((long) Math.min(wait, settings.retryMaxBackoff().toMillis()));
  }
}
