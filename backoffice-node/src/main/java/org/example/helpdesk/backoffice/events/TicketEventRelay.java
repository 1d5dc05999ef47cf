package org.example.helpdesk.backoffice.events;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.projection.ProjectionId;
import org.apache.pekko.projection.javadsl.GroupedProjection;
import org.apache.pekko.projection.javadsl.Handler;
import org.apache.pekko.projection.javadsl.SourceProvider;
import org.apache.pekko.projection.jdbc.javadsl.JdbcProjection;
import org.example.helpdesk.amqp.OutboundMessage;
import org.example.helpdesk.amqp.UnitPublisher;
import org.example.helpdesk.backoffice.ticket.Ticket;
import org.example.helpdesk.backoffice.ticket.TicketTags;
import org.example.helpdesk.platform.changefeed.CommitOrderedFeed;
import org.example.helpdesk.platform.changefeed.CommitOrderedFeed.Change;
import org.example.helpdesk.platform.changefeed.FeedProjections;
import org.example.helpdesk.platform.db.Database;
import org.example.helpdesk.platform.db.PooledJdbcSession;
import org.example.helpdesk.platform.persistence.Recorded;
import org.example.helpdesk.platform.projection.admin.ProjectionObservations;
import org.example.helpdesk.platform.tracing.Tracing;
import org.example.helpdesk.protocol.DistributedEvent;
import org.example.helpdesk.protocol.DistributedEvents;
import org.example.helpdesk.protocol.TraceContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Ticket journal is the backoffice's outbox: this projection over its commit-ordered feed (one
 * instance per tag, spread over the cluster by a sharded daemon process) publishes the events that
 * concern a customer ({@link CustomerEvents}) as distributed events.
 *
 * <p>For each group of events it publishes what is for a customer as one unit, in the journal's
 * order, waits until the broker confirmed all of it, and only then lets the projection store its
 * offset. No database transaction is open meanwhile (an open writing transaction would hold back
 * every commit-ordered feed on the database). If anything fails, or the node stops between the
 * confirm and the offset, the group is published again from the stored offset: at least once, in
 * order per ticket (a ticket's events are in one tag, in sequence order), and each event's message
 * id ({@code <ticket>:<sequence>}) is the same every time, so a repeat is recognised.
 */
public final class TicketEventRelay {

  public static final String NAME = "ticket-events-relay";

  private static final Logger log = LoggerFactory.getLogger(TicketEventRelay.class);

  private TicketEventRelay() {}

  /**
   * How events are grouped into units, and how many tickets' origins are kept in memory.
   *
   * @param rememberedOrigins per node, for all its instances
   */
  public record Settings(int groupSize, Duration groupWithin, int rememberedOrigins) {}

  public static void init(
      ActorSystem<?> system,
      CommitOrderedFeed<Recorded<Ticket.Event>> events,
      Database database,
      UnitPublisher publisher,
      TicketEventRelayMetrics metrics,
      Settings settings) {
    TicketOrigins origins = new TicketOrigins(system, database, settings.rememberedOrigins());
    FeedProjections.initPerTag(
        system,
        NAME,
        NAME,
        events,
        TicketTags.all(),
        (id, changes) ->
            create(system, id, changes, database, origins, publisher, metrics, settings));
  }

  static <O> GroupedProjection<O, Change<Recorded<Ticket.Event>>> create(
      ActorSystem<?> system,
      ProjectionId id,
      SourceProvider<O, Change<Recorded<Ticket.Event>>> events,
      Database database,
      TicketOrigins origins,
      UnitPublisher publisher,
      TicketEventRelayMetrics metrics,
      Settings settings) {
    return JdbcProjection.groupedWithinAsync(
            id,
            events,
            () -> new PooledJdbcSession(database.dataSource()),
            () -> new RelayHandler(origins, publisher, metrics, Tracing.get(system)),
            system)
        .withGroup(settings.groupSize(), settings.groupWithin())
        .withStatusObserver(ProjectionObservations.get(system).observer());
  }

  /** Publishes a group's events for customers, and completes once the broker confirmed them. */
  static final class RelayHandler extends Handler<List<Change<Recorded<Ticket.Event>>>> {
    private final TicketOrigins origins;
    private final UnitPublisher publisher;
    private final TicketEventRelayMetrics metrics;
    private final Tracing tracing;

    RelayHandler(
        TicketOrigins origins,
        UnitPublisher publisher,
        TicketEventRelayMetrics metrics,
        Tracing tracing) {
      this.origins = origins;
      this.publisher = publisher;
      this.metrics = metrics;
      this.tracing = tracing;
    }

    @Override
    public CompletionStage<Done> process(List<Change<Recorded<Ticket.Event>>> changes) {
      // an event that cannot be read was logged and counted by the feed, and is passed
      List<Change<Recorded<Ticket.Event>>> readable =
          changes.stream().filter(c -> c.value() != null).toList();
      Map<UUID, Ticket.Origin> preparedHere = new HashMap<>();
      Set<UUID> toAsk = new LinkedHashSet<>();
      for (Change<Recorded<Ticket.Event>> change : readable) {
        Ticket.Event event = change.value().event();
        if (event instanceof Ticket.TicketWasPrepared prepared) {
          preparedHere.put(prepared.ticketId(), prepared.origin());
          origins.prepared(prepared);
        } else if (!preparedHere.containsKey(event.ticketId())) {
          toAsk.add(event.ticketId());
        }
      }
      CompletionStage<Map<UUID, Ticket.Origin>> asked =
          toAsk.isEmpty() ? CompletableFuture.completedFuture(Map.of()) : origins.of(toAsk);
      return asked.thenCompose(
          known -> {
            List<OutboundMessage> unit = new ArrayList<>();
            List<Span> spans = new ArrayList<>();
            for (Change<Recorded<Ticket.Event>> change : readable) {
              Ticket.Event event = change.value().event();
              Ticket.Origin origin =
                  preparedHere.getOrDefault(event.ticketId(), known.get(event.ticketId()));
              if (origin == null) {
                log.warn(
                    "Not telling anyone of {} {}: its preparation is not in the journal",
                    change.persistenceId(),
                    change.revision());
                continue;
              }
              Optional<DistributedEvent> told =
                  CustomerEvents.eventFor(event, change.revision(), origin);
              if (told.isPresent()) {
                unit.add(
                    CustomerEvents.message(
                        told.get(), headers(told.get(), change.value().trace(), spans)));
              }
            }
            return publisher
                .publish(unit)
                .whenComplete((confirmed, failure) -> ended(spans, failure))
                .thenApply(
                    confirmed -> {
                      metrics.published(unit.size());
                      return confirmed;
                    });
          });
    }

    /**
     * The trace context the message carries: a publish span's, a child of the request that caused
     * the event, when this node traces; else the recorded context itself, so the trace goes on.
     */
    private Map<String, Object> headers(
        DistributedEvent event, TraceContext trace, List<Span> spans) {
      Map<String, Object> headers = new HashMap<>(2);
      if (!tracing.enabled()) {
        trace.asTraceparent().ifPresent(t -> headers.put(TraceContext.HEADER, t));
        return headers;
      }
      Context parent = Tracing.contextOf(trace.traceparent(), null);
      Span span =
          tracing
              .spanBuilder(
                  "ticket event publish",
                  parent,
                  SpanKind.PRODUCER,
                  "messaging.system",
                  "rabbitmq",
                  "messaging.operation.type",
                  "publish",
                  "messaging.destination.name",
                  DistributedEvents.EVENTS_EXCHANGE,
                  "messaging.message.id",
                  DistributedEvents.messageIdOf(event.ticketId(), event.sequence()),
                  "event.name",
                  DistributedEvents.nameOf(event),
                  "ticket.id",
                  event.ticketId().toString())
              .startSpan();
      spans.add(span);
      Tracing.inject(parent.with(span), headers);
      return headers;
    }

    /** The publish spans end when the broker confirmed their unit, or it failed. */
    private static void ended(List<Span> spans, Throwable failure) {
      for (Span span : spans) {
        if (failure != null) {
          Tracing.failed(span, failure);
        }
        span.end();
      }
    }
  }
}
