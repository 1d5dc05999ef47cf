package org.example.helpdesk.amqp;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.ClassicActorSystemProvider;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.QueueOfferResult;
import org.apache.pekko.stream.RestartSettings;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.RestartFlow;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;

/**
 * One long-lived confirming publisher, for a relay that publishes what its journal or outbox holds
 * (the customer's commands, the backoffice's events). It publishes <em>units</em>: a list of
 * messages that go out back to back, in order, on one channel, and whose publish completes once the
 * broker confirmed every one of them.
 *
 * <p>A unit is taken whole or not at all, and when the connection fails, every unit not yet fully
 * confirmed fails with it, including what still waits in the queue: nothing of a failed unit is
 * sent after the failure. So the caller, who publishes the unit again from its start, never puts a
 * message on the wire before one that came before it in the unit (a ticket's cancel never overtakes
 * its preparation).
 */
public final class UnitPublisher {

  /** How many units may wait, how many messages may be unconfirmed, how long a unit may take. */
  public record Settings(
      int buffer, int maxUnconfirmed, Duration confirmTimeout, RestartSettings restart) {}

  /** A unit to publish, for the connection it was offered to. */
  private record Unit(
      List<OutboundMessage> messages, CompletableFuture<Done> confirmed, long generation) {}

  private final BoundedSourceQueue<Unit> queue;
  private final Set<Unit> pending = Collections.newSetFromMap(new IdentityHashMap<>());

  /** Bumped by every connection failure; a unit of an older generation is never sent. */
  private long generation;

  private final Duration confirmTimeout;

  private UnitPublisher(
      ClassicActorSystemProvider system,
      String name,
      AmqpConnector connector,
      AmqpConnector.ChannelAction declare,
      Settings settings) {
    this.confirmTimeout = settings.confirmTimeout();
    Flow<Unit, Pair<OutboundMessage, Unit>, NotUsed> publishing =
        RestartFlow.onFailuresWithBackoff(
            settings.restart(),
            () ->
                Flow.<Unit>create()
                    .filter(this::current)
                    .mapConcat(UnitPublisher::withUnit)
                    .via(
                        AmqpPublisher.<Unit>confirming(
                                connector, settings.maxUnconfirmed(), declare)
                            .asFlow())
                    .watchTermination(
                        (mat, done) -> {
                          done.whenComplete((d, failure) -> connectionFailed(failure));
                          return mat;
                        }));
    this.queue =
        Source.<Unit>queue(settings.buffer())
            .via(publishing)
            .to(Sink.foreach(this::confirmed))
            .run(system);
    CoordinatedShutdown.get(system)
        .addTask(
            CoordinatedShutdown.PhaseBeforeActorSystemTerminate(),
            "stop-" + name,
            () -> {
              queue.complete();
              return CompletableFuture.completedFuture(Done.getInstance());
            });
  }

  /**
   * @param name names its shutdown task
   * @param declare what each new connection declares before it publishes (idempotent)
   */
  public static UnitPublisher start(
      ClassicActorSystemProvider system,
      String name,
      AmqpConnector connector,
      AmqpConnector.ChannelAction declare,
      Settings settings) {
    return new UnitPublisher(system, name, connector, declare, settings);
  }

  /** Completes once the broker confirmed every message of the unit; fails if it may not have. */
  public CompletionStage<Done> publish(List<OutboundMessage> messages) {
    if (messages.isEmpty()) {
      return CompletableFuture.completedFuture(Done.getInstance());
    }
    CompletableFuture<Done> confirmed = new CompletableFuture<>();
    Unit unit;
    synchronized (this) {
      unit = new Unit(List.copyOf(messages), confirmed, generation);
      pending.add(unit);
    }
    confirmed.whenComplete((d, e) -> forget(unit));
    QueueOfferResult offered = queue.offer(unit);
    if (offered != QueueOfferResult.enqueued()) {
      confirmed.completeExceptionally(
          new IllegalStateException(
              "publisher cannot take " + messages.size() + " messages now: " + offered));
    }
    return confirmed.orTimeout(confirmTimeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  private static List<Pair<OutboundMessage, Unit>> withUnit(Unit unit) {
    List<Pair<OutboundMessage, Unit>> messages = new ArrayList<>(unit.messages().size());
    unit.messages().forEach(m -> messages.add(Pair.create(m, unit)));
    return messages;
  }

  private synchronized boolean current(Unit unit) {
    return unit.generation() == generation;
  }

  /** Messages come out in the order they went in: the unit's last one confirms the whole unit. */
  private void confirmed(Pair<OutboundMessage, Unit> message) {
    Unit unit = message.second();
    if (message.first() == unit.messages().get(unit.messages().size() - 1)) {
      unit.confirmed().complete(Done.getInstance());
    }
  }

  private void connectionFailed(Throwable failure) {
    if (failure == null) {
      return;
    }
    List<Unit> failed;
    synchronized (this) {
      generation++;
      failed = new ArrayList<>(pending);
    }
    failed.forEach(u -> u.confirmed().completeExceptionally(failure));
  }

  private synchronized void forget(Unit unit) {
    pending.remove(unit);
  }
}
