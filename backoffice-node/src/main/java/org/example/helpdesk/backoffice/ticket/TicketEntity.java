package org.example.helpdesk.backoffice.ticket;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.time.Clock;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.typed.SnapshotSelectionCriteria;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.Recovery;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.example.helpdesk.backoffice.ticket.Ticket.Event;
import org.example.helpdesk.backoffice.ticket.Ticket.State;
import org.example.helpdesk.platform.domain.Entities;
import org.example.helpdesk.platform.domain.Rejection;
import org.example.helpdesk.platform.persistence.Recorded;
import org.example.helpdesk.protocol.TraceContext;

/**
 * A {@link Ticket} as an event-sourced entity under Cluster Sharding: it records what the ticket's
 * rules decide, with the time of its clock and the trace context of the command (in the {@link
 * Recorded} wrapper, not in the event), tags it for the read side, and answers with the ticket as
 * it then is.
 */
public final class TicketEntity
    extends EventSourcedBehaviorWithEnforcedReplies<TicketEntity.Envelope, Recorded<Event>, State> {

  public static final EntityTypeKey<Envelope> TYPE = EntityTypeKey.create(Envelope.class, "Ticket");

  /**
   * What the entity receives: a command of the rules, the trace context of whoever asked, and where
   * the answer goes.
   */
  public record Envelope(
      @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type") Ticket.Command command,
      TraceContext trace,
      ActorRef<StatusReply<TicketView>> replyTo) {
    public Envelope {
      trace = trace == null ? TraceContext.none() : trace;
    }
  }

  private final UUID ticketId;
  private final Clock clock;

  private TicketEntity(UUID ticketId, Clock clock) {
    super(Entities.persistenceId(TYPE, ticketId), Entities.RESTART_AFTER_STORE_FAILURE);
    this.ticketId = ticketId;
    this.clock = clock;
  }

  public static Behavior<Envelope> create(UUID ticketId, Clock clock) {
    return new TicketEntity(ticketId, clock);
  }

  @Override
  public State emptyState() {
    return new Ticket.Unprepared();
  }

  /** A ticket has a handful of events: replaying them is cheaper than a snapshot store query. */
  @Override
  public Recovery recovery() {
    return Recovery.withSnapshotSelectionCriteria(SnapshotSelectionCriteria.none());
  }

  @Override
  public Set<String> tagsFor(Recorded<Event> event) {
    return Set.of(TicketTags.tagFor(ticketId));
  }

  @Override
  public CommandHandlerWithReply<Envelope, Recorded<Event>, State> commandHandler() {
    return newCommandHandlerWithReplyBuilder().forAnyState().onAnyCommand(this::handle);
  }

  private ReplyEffect<Recorded<Event>, State> handle(State state, Envelope envelope) {
    Optional<Event> event;
    try {
      event = Ticket.decide(state, envelope.command(), ticketId, clock.instant());
    } catch (Rejection no) {
      return Effect().reply(envelope.replyTo(), StatusReply.error(no));
    }
    return event.isPresent()
        ? Effect()
            .persist(new Recorded<>(event.get(), envelope.trace()))
            .thenReply(envelope.replyTo(), TicketEntity::view)
        : Effect().reply(envelope.replyTo(), view(state));
  }

  private static StatusReply<TicketView> view(State state) {
    return StatusReply.success(((Ticket.Prepared) state).ticket());
  }

  @Override
  public EventHandler<State, Recorded<Event>> eventHandler() {
    return newEventHandlerBuilder()
        .forAnyState()
        .onAnyEvent((state, recorded) -> Ticket.evolve(state, recorded.event()));
  }
}
