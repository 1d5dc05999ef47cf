package org.example.helpdesk.backoffice.ticket;

import java.time.Clock;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.typed.SnapshotSelectionCriteria;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.Recovery;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.example.helpdesk.backoffice.ticket.Ticket.Command;
import org.example.helpdesk.backoffice.ticket.Ticket.Event;
import org.example.helpdesk.backoffice.ticket.Ticket.State;
import org.example.helpdesk.platform.domain.Entities;
import org.example.helpdesk.platform.domain.Rejection;

/**
 * A {@link Ticket} as an event-sourced entity under Cluster Sharding: it records what the ticket's
 * rules decide, with the time of its clock, and answers with the ticket as it then is.
 */
public final class TicketEntity
    extends EventSourcedBehaviorWithEnforcedReplies<Command, Event, State> {

  public static final EntityTypeKey<Command> TYPE = EntityTypeKey.create(Command.class, "Ticket");

  private final UUID ticketId;
  private final Clock clock;

  private TicketEntity(UUID ticketId, Clock clock) {
    super(Entities.persistenceId(TYPE, ticketId), Entities.RESTART_AFTER_STORE_FAILURE);
    this.ticketId = ticketId;
    this.clock = clock;
  }

  public static Behavior<Command> create(UUID ticketId, Clock clock) {
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
  public Set<String> tagsFor(Event event) {
    return Set.of(Ticket.tagFor(ticketId));
  }

  @Override
  public CommandHandlerWithReply<Command, Event, State> commandHandler() {
    return newCommandHandlerWithReplyBuilder().forAnyState().onAnyCommand(this::handle);
  }

  private ReplyEffect<Event, State> handle(State state, Command command) {
    Optional<Event> event;
    try {
      event = Ticket.decide(state, command, ticketId, clock.instant());
    } catch (Rejection no) {
      return Effect().reply(command.replyTo(), StatusReply.error(no));
    }
    return event.isPresent()
        ? Effect().persist(event.get()).thenReply(command.replyTo(), TicketEntity::view)
        : Effect().reply(command.replyTo(), view(state));
  }

  private static StatusReply<TicketView> view(State state) {
    return StatusReply.success(((Ticket.Prepared) state).ticket());
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return newEventHandlerBuilder().forAnyState().onAnyEvent(Ticket::apply);
  }
}
