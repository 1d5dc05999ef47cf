package org.example.helpdesk.backoffice.ticket.web;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.model.sse.ServerSentEvent;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.javadsl.BroadcastHub;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Source;
import org.example.helpdesk.backoffice.auth.Access;
import org.example.helpdesk.backoffice.auth.Employee;
import org.example.helpdesk.platform.changefeed.ChangeSignal;

/**
 * "The tickets table changed", for the console's live pages. The read model notifies inside its
 * transaction, so PostgreSQL delivers the notification only once the rows are committed: a page
 * that reloads on the event sees them. One loop per node feeds every open page (a broadcast hub).
 */
public final class TicketChanges {

  /** The pages listen for the event's name only; the data says which table changed. */
  private static final ServerSentEvent CHANGED = ServerSentEvent.create("tickets", "changed");

  /** At most two reloads a second per page; changes in between are told with the next one. */
  private static final Duration MIN_INTERVAL = Duration.ofMillis(500);

  private final Source<ServerSentEvent, NotUsed> hub;

  public TicketChanges(ActorSystem<?> system, ChangeSignal signal) {
    // The next wait is taken when a raise completes the previous one (in raise, after the signal
    // has its new future), so no raise falls between two waits unseen.
    Source<ServerSentEvent, NotUsed> changes =
        Source.unfoldAsync(
            signal.next(),
            (CompletableFuture<Void> wait) ->
                wait.thenApply(v -> Optional.of(Pair.create(signal.next(), CHANGED))));
    this.hub = changes.toMat(BroadcastHub.of(ServerSentEvent.class, 16), Keep.right()).run(system);
    // keep the hub draining while no page is open
    hub.runForeach(e -> {}, system);
  }

  /** Live pages (event streams) one session may have open at once. */
  public static final int MAX_STREAMS_PER_SESSION = 8;

  /** Open streams per session (by its nonce); an entry goes when its last stream ends. */
  private final Map<String, AtomicInteger> streams = new ConcurrentHashMap<>();

  /**
   * The events for one open page of a session, or empty when the session has {@link
   * #MAX_STREAMS_PER_SESSION} open already. The stream ends when the session expires, and at the
   * next event or heartbeat after its employee is no longer on the list: it is authorised for the
   * whole time it is open, not only when it opens.
   */
  public Optional<Source<ServerSentEvent, NotUsed>> forSession(
      Access.SignedIn who, Function<String, Optional<Employee>> employees) {
    String key = who.session().nonce();
    AtomicInteger open = streams.computeIfAbsent(key, k -> new AtomicInteger());
    if (open.incrementAndGet() > MAX_STREAMS_PER_SESSION) {
      release(key, open);
      return Optional.empty();
    }
    Duration left = Duration.between(Instant.now(), who.session().expires());
    String name = who.employee().name();
    return Optional.of(
        forOnePage()
            .takeWithin(left.isNegative() ? Duration.ZERO : left)
            .takeWhile(e -> employees.apply(name).isPresent())
            .watchTermination(
                (mat, done) -> {
                  done.whenComplete((d, failure) -> release(key, open));
                  return mat;
                }));
  }

  private void release(String key, AtomicInteger open) {
    if (open.decrementAndGet() <= 0) {
      streams.remove(key, open);
    }
  }

  /** Streams open now (for tests). */
  int openStreams() {
    return streams.values().stream().mapToInt(AtomicInteger::get).sum();
  }

  /**
   * The events for one open page: what it cannot take yet merges into one event (a later event says
   * the same), spaced out so that a page never drops one (htmx's own throttle would drop the last),
   * with a heartbeat that keeps proxies from closing the stream.
   */
  public Source<ServerSentEvent, NotUsed> forOnePage() {
    return hub.conflate((a, b) -> b)
        .throttle(1, MIN_INTERVAL)
        .keepAlive(Duration.ofSeconds(15), ServerSentEvent::heartbeat);
  }
}
