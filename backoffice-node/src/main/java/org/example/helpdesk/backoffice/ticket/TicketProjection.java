package org.example.helpdesk.backoffice.ticket;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.projection.ProjectionId;
import org.apache.pekko.projection.javadsl.GroupedProjection;
import org.apache.pekko.projection.javadsl.SourceProvider;
import org.apache.pekko.projection.jdbc.javadsl.JdbcHandler;
import org.apache.pekko.projection.jdbc.javadsl.JdbcProjection;
import org.example.helpdesk.platform.changefeed.CommitOrderedFeed;
import org.example.helpdesk.platform.changefeed.CommitOrderedFeed.Change;
import org.example.helpdesk.platform.changefeed.FeedProjections;
import org.example.helpdesk.platform.db.PooledJdbcSession;
import org.example.helpdesk.platform.persistence.Recorded;
import org.example.helpdesk.platform.projection.admin.ProjectionObservations;
import org.example.helpdesk.platform.tracing.Tracing;

/**
 * Keeps the {@code tickets} table up to date from the Ticket events: one projection instance per
 * event tag over the journal's commit-ordered feed (an event that commits late is never passed by),
 * spread over the cluster's nodes by a sharded daemon process. Exactly once: the rows of a group of
 * events and the offset after them commit in one transaction.
 */
public final class TicketProjection {

  public static final String NAME = "tickets";

  private TicketProjection() {}

  public static void init(
      ActorSystem<?> system,
      CommitOrderedFeed<Recorded<Ticket.Event>> events,
      DataSource dataSource,
      int groupSize,
      Duration groupWithin) {
    FeedProjections.initPerTag(
        system,
        "tickets-projection",
        NAME,
        events,
        TicketTags.all(),
        (id, changes) -> create(system, id, changes, dataSource, groupSize, groupWithin));
  }

  static <O> GroupedProjection<O, Change<Recorded<Ticket.Event>>> create(
      ActorSystem<?> system,
      ProjectionId id,
      SourceProvider<O, Change<Recorded<Ticket.Event>>> events,
      DataSource dataSource,
      int groupSize,
      Duration groupWithin) {
    return JdbcProjection.groupedWithin(
            id,
            events,
            () -> new PooledJdbcSession(dataSource),
            () -> new Handler(Tracing.get(system)),
            system)
        .withGroup(groupSize, groupWithin)
        .withStatusObserver(ProjectionObservations.get(system).observer());
  }

  /** Applies a group of events, in order, inside the projection's transaction. */
  static final class Handler
      extends JdbcHandler<List<Change<Recorded<Ticket.Event>>>, PooledJdbcSession> {
    private final Tracing tracing;

    Handler(Tracing tracing) {
      this.tracing = tracing;
    }

    @Override
    public void process(PooledJdbcSession session, List<Change<Recorded<Ticket.Event>>> changes)
        throws Exception {
      List<Span> spans = tracing.enabled() ? updateSpans(changes) : List.of();
      try {
        session.withConnection(
            connection -> {
              // an event that cannot be read was logged and counted by the feed, and is passed
              TicketReadModel.apply(
                  connection,
                  changes.stream()
                      .map(Change::value)
                      .filter(e -> e != null)
                      .map(Recorded::event)
                      .toList());
              TicketReadModel.notifyChanged(connection);
              return null;
            });
      } catch (Exception | Error e) {
        spans.forEach(span -> Tracing.failed(span, e));
        throw e;
      } finally {
        spans.forEach(Span::end);
      }
    }

    /**
     * A read-model update span per event recorded with a trace context (its metadata, not a field
     * of the event), a child of that context.
     */
    private List<Span> updateSpans(List<Change<Recorded<Ticket.Event>>> changes) {
      List<Span> spans = new ArrayList<>();
      for (Change<Recorded<Ticket.Event>> change : changes) {
        Recorded<Ticket.Event> recorded = change.value();
        if (recorded != null && recorded.trace().isPresent()) {
          Ticket.Event event = recorded.event();
          spans.add(
              tracing
                  .spanBuilder(
                      "tickets read-model update",
                      Tracing.contextOf(recorded.trace().traceparent(), null),
                      SpanKind.INTERNAL,
                      "ticket.id",
                      event.ticketId().toString(),
                      "event.type",
                      event.getClass().getSimpleName())
                  .setAttribute("group.size", changes.size())
                  .startSpan());
        }
      }
      return spans;
    }
  }
}
