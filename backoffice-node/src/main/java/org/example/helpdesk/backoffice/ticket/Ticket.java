package org.example.helpdesk.backoffice.ticket;

import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.SnapshotSelectionCriteria;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.Recovery;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.example.helpdesk.platform.domain.ConflictException;
import org.example.helpdesk.platform.domain.NotFoundException;
import org.example.helpdesk.protocol.Assignee;
import org.example.helpdesk.protocol.Description;
import org.example.helpdesk.protocol.TicketType;

/**
 * A ticket employees work on: prepared (from a customer's issue or internally), assigned to an
 * employee, or cancelled. Event sourced; every command is idempotent, so that a command delivered
 * twice changes nothing the second time.
 */
public final class Ticket
    extends EventSourcedBehaviorWithEnforcedReplies<Ticket.Command, Ticket.Event, Ticket.State> {

  public static final EntityTypeKey<Command> ENTITY_TYPE =
      EntityTypeKey.create(Command.class, "Ticket");

  /** Events are tagged with one of this many tags, one read-model projection instance per tag. */
  public static final int TAG_COUNT = 4; // stored with each event: fixed for the journal's life

  /** Who cancelled a ticket when its customer closed the issue. */
  public static final String CUSTOMER_SERVICE = "customer-service";

  // ---- commands (traceparent: the W3C trace context of whatever asked, or null) --------------

  public sealed interface Command permits Prepare, Cancel, Assign, Get {}

  /** Where a ticket's preparation, or a cancel, came from. */
  public enum Origin {
    /** A customer's issue, over the distributed commands. */
    CUSTOMER_SERVICE,
    /** An employee, in the backoffice itself. */
    BACKOFFICE
  }

  public record Prepare(
      TicketType ticketType,
      Description description,
      Origin origin,
      String traceparent,
      ActorRef<StatusReply<TicketView>> replyTo)
      implements Command {
    public Prepare {
      Objects.requireNonNull(ticketType, "ticketType is required");
      Objects.requireNonNull(description, "description is required");
    }
  }

  /** {@code employee}: who cancels, when {@code by} is the backoffice. */
  public record Cancel(
      Origin by, String employee, String traceparent, ActorRef<StatusReply<TicketView>> replyTo)
      implements Command {}

  /** {@code by}: the employee who assigns. */
  public record Assign(
      Assignee assignee, String by, String traceparent, ActorRef<StatusReply<TicketView>> replyTo)
      implements Command {
    public Assign {
      Objects.requireNonNull(assignee, "assignee is required");
    }
  }

  public record Get(ActorRef<StatusReply<TicketView>> replyTo) implements Command {}

  // ---- events (traceparent: of the command that caused it; null in events from before) -------

  public sealed interface Event permits TicketWasPrepared, TicketWasCancelled, TicketWasAssigned {
    UUID ticketId();

    String traceparent();
  }

  public record TicketWasPrepared(
      UUID ticketId,
      TicketType ticketType,
      Description description,
      Instant preparedAt,
      Origin origin,
      String traceparent)
      implements Event {
    public TicketWasPrepared {
      if (origin == null) {
        // recorded before tickets remembered their origin: only customers' issues had this type
        origin =
            TicketType.CUSTOMER_ISSUE.equals(ticketType)
                ? Origin.CUSTOMER_SERVICE
                : Origin.BACKOFFICE;
      }
    }
  }

  /** {@code cancelledBy}: the employee, or {@code customer-service}; null in older events. */
  public record TicketWasCancelled(
      UUID ticketId, Instant cancelledAt, String cancelledBy, String traceparent)
      implements Event {}

  /** {@code assignedBy}: the employee; null in events recorded before it was kept. */
  public record TicketWasAssigned(
      UUID ticketId, Assignee assignee, Instant assignedAt, String assignedBy, String traceparent)
      implements Event {}

  // ---- state ----------------------------------------------------------------------------------

  public enum Status {
    AWAITING,
    ASSIGNED,
    CANCELLED;

    /** As the API, the pages and the read model write it. */
    @JsonValue
    @Override
    public String toString() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public sealed interface State permits Unprepared, Prepared {}

  /** No TicketWasPrepared yet: the ticket does not exist. */
  public record Unprepared() implements State {}

  public record Prepared(TicketView ticket, Origin origin) implements State {
    boolean isPreparedBy(Prepare command) {
      return ticket.ticketType().equals(command.ticketType())
          && ticket.description().equals(command.description())
          && origin == command.origin();
    }
  }

  // ---- behaviour ------------------------------------------------------------------------------

  private final UUID ticketId;
  private final Clock clock;

  private Ticket(UUID ticketId, Clock clock) {
    super(
        PersistenceId.of(ENTITY_TYPE.name(), ticketId.toString()),
        SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(5), 0.1));
    this.ticketId = ticketId;
    this.clock = clock;
  }

  public static Behavior<Command> create(UUID ticketId, Clock clock) {
    return new Ticket(ticketId, clock);
  }

  public static String tagFor(UUID ticketId) {
    return tags().get(Math.floorMod(ticketId.hashCode(), TAG_COUNT));
  }

  /** Every tag a ticket's events can have, in order. */
  public static List<String> tags() {
    return IntStream.range(0, TAG_COUNT).mapToObj(i -> "ticket-" + i).toList();
  }

  @Override
  public State emptyState() {
    return new Unprepared();
  }

  /** A ticket has a handful of events: replaying them is cheaper than a snapshot store query. */
  @Override
  public Recovery recovery() {
    return Recovery.withSnapshotSelectionCriteria(SnapshotSelectionCriteria.none());
  }

  @Override
  public Set<String> tagsFor(Event event) {
    return Set.of(tagFor(ticketId));
  }

  @Override
  public CommandHandlerWithReply<Command, Event, State> commandHandler() {
    var builder = newCommandHandlerWithReplyBuilder();
    builder
        .forStateType(Unprepared.class)
        .onCommand(Prepare.class, this::prepare)
        .onCommand(Cancel.class, c -> notFound(c.replyTo()))
        .onCommand(Assign.class, c -> notFound(c.replyTo()))
        .onCommand(Get.class, c -> notFound(c.replyTo()));
    builder
        .forStateType(Prepared.class)
        .onCommand(Prepare.class, this::prepareAgain)
        .onCommand(Cancel.class, this::cancel)
        .onCommand(Assign.class, this::assign)
        .onCommand(Get.class, (state, c) -> Effect().reply(c.replyTo(), success(state)));
    return builder.build();
  }

  private ReplyEffect<Event, State> prepare(Prepare c) {
    Instant now = clock.instant();
    return Effect()
        .persist(
            new TicketWasPrepared(
                ticketId, c.ticketType(), c.description(), now, c.origin(), c.traceparent()))
        .thenReply(c.replyTo(), Ticket::success);
  }

  /** The same preparation again changes nothing; a different one is not merged into this ticket. */
  private ReplyEffect<Event, State> prepareAgain(Prepared state, Prepare c) {
    return state.isPreparedBy(c)
        ? Effect().reply(c.replyTo(), success(state))
        : rejected(c.replyTo(), "exists already with a different type, description or origin");
  }

  private ReplyEffect<Event, State> cancel(Prepared state, Cancel c) {
    if (c.by() == Origin.CUSTOMER_SERVICE && state.origin() != Origin.CUSTOMER_SERVICE) {
      // the customer service cancels what one of its issues prepared, nothing else
      return rejected(
          c.replyTo(), "was not prepared by the customer service, which cannot cancel it");
    }
    if (state.ticket().status() == Status.CANCELLED) {
      return Effect().reply(c.replyTo(), success(state));
    }
    String by = c.by() == Origin.CUSTOMER_SERVICE ? CUSTOMER_SERVICE : c.employee();
    return Effect()
        .persist(new TicketWasCancelled(ticketId, clock.instant(), by, c.traceparent()))
        .thenReply(c.replyTo(), Ticket::success);
  }

  private ReplyEffect<Event, State> assign(Prepared state, Assign c) {
    if (state.ticket().status() == Status.CANCELLED) {
      return rejected(c.replyTo(), "is cancelled and cannot be assigned");
    }
    if (c.assignee().equals(state.ticket().assignee())) {
      return Effect().reply(c.replyTo(), success(state));
    }
    return Effect()
        .persist(
            new TicketWasAssigned(ticketId, c.assignee(), clock.instant(), c.by(), c.traceparent()))
        .thenReply(c.replyTo(), Ticket::success);
  }

  private static StatusReply<TicketView> success(State state) {
    return StatusReply.success(((Prepared) state).ticket());
  }

  private ReplyEffect<Event, State> rejected(ActorRef<StatusReply<TicketView>> to, String why) {
    return Effect()
        .reply(to, StatusReply.error(new ConflictException("ticket " + ticketId + " " + why)));
  }

  private ReplyEffect<Event, State> notFound(ActorRef<StatusReply<TicketView>> replyTo) {
    return Effect()
        .reply(
            replyTo,
            StatusReply.error(new NotFoundException("ticket " + ticketId + " does not exist")));
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    var builder = newEventHandlerBuilder();
    builder
        .forStateType(Unprepared.class)
        .onEvent(TicketWasPrepared.class, e -> new Prepared(TicketView.preparedBy(e), e.origin()));
    builder
        .forStateType(Prepared.class)
        .onEvent(
            TicketWasCancelled.class,
            (s, e) ->
                new Prepared(s.ticket().cancelled(e.cancelledAt(), e.cancelledBy()), s.origin()))
        .onEvent(
            TicketWasAssigned.class,
            (s, e) ->
                new Prepared(
                    s.ticket().assigned(e.assignee(), e.assignedAt(), e.assignedBy()), s.origin()));
    return builder.build();
  }
}
