package org.example.helpdesk.backoffice.ticket;

import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ShardedDaemonProcess;
import org.apache.pekko.persistence.jdbc.query.javadsl.JdbcReadJournal;
import org.apache.pekko.projection.ProjectionBehavior;
import org.apache.pekko.projection.ProjectionId;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.eventsourced.javadsl.EventSourcedProvider;
import org.apache.pekko.projection.javadsl.GroupedProjection;
import org.apache.pekko.projection.javadsl.SourceProvider;
import org.apache.pekko.projection.jdbc.javadsl.JdbcHandler;
import org.apache.pekko.projection.jdbc.javadsl.JdbcProjection;
import org.example.helpdesk.platform.db.PooledJdbcSession;

/**
 * Keeps the {@code tickets} table up to date from the Ticket events: one projection instance per
 * event tag, spread over the cluster's nodes by a sharded daemon process. Exactly once: the rows
 * of a group of events and the offset after them commit in one transaction.
 */
public final class TicketProjection {

  public static final String NAME = "tickets";

  private TicketProjection() {}

  public static void init(ActorSystem<?> system, DataSource dataSource, int groupSize, Duration groupWithin) {
    ShardedDaemonProcess.get(system)
        .init(
            ProjectionBehavior.Command.class,
            "tickets-projection",
            Ticket.TAG_COUNT,
            i -> {
              String tag = "ticket-" + i;
              return ProjectionBehavior.create(
                  create(
                      system,
                      ProjectionId.of(NAME, tag),
                      EventSourcedProvider.eventsByTag(system, JdbcReadJournal.Identifier(), tag),
                      dataSource,
                      groupSize,
                      groupWithin));
            },
            ProjectionBehavior.stopMessage());
  }

  static <O> GroupedProjection<O, EventEnvelope<Ticket.Event>> create(
      ActorSystem<?> system,
      ProjectionId id,
      SourceProvider<O, EventEnvelope<Ticket.Event>> events,
      DataSource dataSource,
      int groupSize,
      Duration groupWithin) {
    return JdbcProjection.groupedWithin(
            id,
            events,
            () -> new PooledJdbcSession(dataSource),
            () -> new Handler(),
            system)
        .withGroup(groupSize, groupWithin);
  }

  /** Applies a group of events, in order, inside the projection's transaction. */
  static final class Handler extends JdbcHandler<List<EventEnvelope<Ticket.Event>>, PooledJdbcSession> {
    @Override
    public void process(PooledJdbcSession session, List<EventEnvelope<Ticket.Event>> envelopes) throws Exception {
      session.withConnection(
          connection -> {
            for (EventEnvelope<Ticket.Event> envelope : envelopes) {
              TicketReadModel.apply(connection, envelope.event());
            }
            return null;
          });
    }
  }
}
