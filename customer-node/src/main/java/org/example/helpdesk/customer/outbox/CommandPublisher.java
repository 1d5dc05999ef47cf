package org.example.helpdesk.customer.outbox;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
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
 */
public final class CommandPublisher {

  /** How many messages may wait, be in flight, and how long a confirm may take. */
  public record Settings(int buffer, int maxUnconfirmed, Duration confirmTimeout, RestartSettings restart) {}

  private final BoundedSourceQueue<Pair<OutboundMessage, CompletableFuture<Done>>> queue;
  private final Set<CompletableFuture<Done>> pending = ConcurrentHashMap.newKeySet();
  private final Duration confirmTimeout;

  private CommandPublisher(ActorSystem<?> system, AmqpConnector connector, Settings settings) {
    this.confirmTimeout = settings.confirmTimeout();
    Flow<Pair<OutboundMessage, CompletableFuture<Done>>, Pair<OutboundMessage, CompletableFuture<Done>>, NotUsed>
        publishing =
            RestartFlow.onFailuresWithBackoff(
                settings.restart(),
                () ->
                    AmqpPublisher.<CompletableFuture<Done>>confirming(
                            connector, settings.maxUnconfirmed(), AmqpTopology::declare)
                        .asFlow()
                        .watchTermination(
                            (mat, done) -> {
                              // what was in flight is lost with the connection: tell its owners now
                              done.whenComplete((d, failure) -> failPending(failure));
                              return mat;
                            }));
    this.queue =
        Source.<Pair<OutboundMessage, CompletableFuture<Done>>>queue(settings.buffer())
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
    QueueOfferResult offered = queue.offer(Pair.create(message, confirmed));
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
