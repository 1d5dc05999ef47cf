package org.example.helpdesk.backoffice.console;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.model.sse.ServerSentEvent;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.javadsl.BroadcastHub;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Source;
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
