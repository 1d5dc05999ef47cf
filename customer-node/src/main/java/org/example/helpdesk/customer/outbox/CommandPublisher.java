package org.example.helpdesk.customer.outbox;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.QueueOfferResult;
import org.apache.pekko.stream.RestartSettings;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.RestartFlow;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.example.helpdesk.protocol.AmqpTopology;
import org.example.helpdesk.protocol.amqp.AmqpConnector;
import org.example.helpdesk.protocol.amqp.AmqpPublisher;
import org.example.helpdesk.protocol.amqp.OutboundMessage;

/**
 * One long-lived confirming publisher per node, shared by the outbox relay and the sweep. A
 * publish completes when the broker confirmed the message, and fails when it could not be
 * (broker down, publisher restarting, no confirm in time): the caller then publishes it again
 * later, which the stable message id makes harmless.
 *
 * <p>When the connection fails, everything not yet confirmed fails with it, including what still
 * waits in the queue: publishing that after a reconnect could put an issue's cancel ahead of its
 * prepare (the prepare was in flight and lost). The callers publish again, in order.
 */
public final class CommandPublisher {

  /** How many messages may wait, be in flight, and how long a confirm may take. */
  public record Settings(int buffer, int maxUnconfirmed, Duration confirmTimeout, RestartSettings restart) {}

  /** A message to publish, for the connection it was offered to. */
  private record Publish(OutboundMessage message, CompletableFuture<Done> confirmed, long generation) {}

  private final BoundedSourceQueue<Publish> queue;
  private final Set<CompletableFuture<Done>> pending = ConcurrentHashMap.newKeySet();
  /** Bumped by every connection failure; a message of an older generation is never sent. */
  private final AtomicLong generation = new AtomicLong();
  private final Duration confirmTimeout;

  private CommandPublisher(ActorSystem<?> system, AmqpConnector connector, Settings settings) {
    this.confirmTimeout = settings.confirmTimeout();
    Flow<Publish, Pair<OutboundMessage, CompletableFuture<Done>>, NotUsed> publishing =
        RestartFlow.onFailuresWithBackoff(
            settings.restart(),
            () ->
                Flow.<Publish>create()
                    .filter(p -> p.generation() == generation.get())
                    .map(p -> Pair.create(p.message(), p.confirmed()))
                    .via(
                        AmqpPublisher.<CompletableFuture<Done>>confirming(
                                connector, settings.maxUnconfirmed(), AmqpTopology::declare)
                            .asFlow())
                    .watchTermination(
                        (mat, done) -> {
                          done.whenComplete(
                              (d, failure) -> {
                                if (failure != null) {
                                  generation.incrementAndGet();
                                  failPending(failure);
                                }
                              });
                          return mat;
                        }));
    this.queue =
        Source.<Publish>queue(settings.buffer())
            .via(publishing)
            .to(Sink.foreach(confirmed -> confirmed.second().complete(Done.getInstance())))
            .run(system);
    CoordinatedShutdown.get(system)
        .addTask(
            CoordinatedShutdown.PhaseBeforeActorSystemTerminate(),
            "stop-command-publisher",
            () -> {
              queue.complete();
              return CompletableFuture.completedFuture(Done.getInstance());
            });
  }

  public static CommandPublisher start(ActorSystem<?> system, AmqpConnector connector, Settings settings) {
    return new CommandPublisher(system, connector, settings);
  }

  /** Completes once the broker confirmed the message. */
  public CompletionStage<Done> publish(OutboundMessage message) {
    CompletableFuture<Done> confirmed = new CompletableFuture<>();
    pending.add(confirmed);
    confirmed.whenComplete((d, e) -> pending.remove(confirmed));
    QueueOfferResult offered = queue.offer(new Publish(message, confirmed, generation.get()));
    if (offered != QueueOfferResult.enqueued()) {
      confirmed.completeExceptionally(
          new IllegalStateException("publisher cannot take " + message.messageId() + " now: " + offered));
    }
    return confirmed.orTimeout(confirmTimeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void failPending(Throwable failure) {
    if (failure != null) {
      for (CompletableFuture<Done> f : pending) {
        f.completeExceptionally(failure);
      }
    }
  }
}
