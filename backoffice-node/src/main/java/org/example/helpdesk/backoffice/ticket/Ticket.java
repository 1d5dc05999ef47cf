package org.example.helpdesk.backoffice.ticket;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
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
import org.example.helpdesk.platform.domain.InvalidCommandInputException;
import org.example.helpdesk.platform.domain.NotFoundException;
import org.example.helpdesk.protocol.TextRules;

/**
 * A ticket employees work on: prepared (from a customer's issue or internally), assigned to an
 * employee, or cancelled. Event sourced; every command is idempotent, so that a command delivered
 * twice changes nothing the second time.
 */
public final class Ticket
    extends EventSourcedBehaviorWithEnforcedReplies<Ticket.Command, Ticket.Event, Ticket.State> {

  public static final EntityTypeKey<Command> ENTITY_TYPE =
      EntityTypeKey.create(Command.class, "Ticket");

  /**
   * Events are tagged with one of this many tags, one read-model projection instance per tag. The
   * tag is stored with each event, so this number is fixed for the life of the journal.
   */
  public static final int TAG_COUNT = 4;

  public static final int MAX_TICKET_TYPE_LENGTH = 100;
  public static final int MAX_DESCRIPTION_LENGTH = 10_000;
  public static final int MAX_ASSIGNEE_LENGTH = 200;

  /** Who cancelled a ticket when its customer closed the issue. */
  public static final String CUSTOMER_SERVICE = "customer-service";

  // ---- commands -------------------------------------------------------------------------------

  public sealed interface Command permits PrepareTicket, CancelTicket, AssignTicket, GetTicket {}

  /** Where a ticket's preparation, or a cancel, came from. */
  public enum Origin {
    /** A customer's issue, over the distributed commands. */
    CUSTOMER_SERVICE,
    /** An employee, in the backoffice itself. */
    BACKOFFICE
  }

  // (traceparent: the W3C trace context of whatever asked, kept with the event; may be null)

  public record PrepareTicket(
      String ticketType,
      String description,
      Origin origin,
      String traceparent,
      ActorRef<StatusReply<Details>> replyTo)
      implements Command {

    public PrepareTicket(
        String ticketType,
        String description,
        Origin origin,
        ActorRef<StatusReply<Details>> replyTo) {
      this(ticketType, description, origin, null, replyTo);
    }
  }

  /** {@code employee}: who cancels, when {@code by} is the backoffice. */
  public record CancelTicket(
      Origin by, String employee, String traceparent, ActorRef<StatusReply<Details>> replyTo)
      implements Command {

    public CancelTicket(Origin by, String employee, ActorRef<StatusReply<Details>> replyTo) {
      this(by, employee, null, replyTo);
    }
  }

  /** {@code by}: the employee who assigns. */
  public record AssignTicket(
      String assignee, String by, String traceparent, ActorRef<StatusReply<Details>> replyTo)
      implements Command {

    public AssignTicket(String assignee, String by, ActorRef<StatusReply<Details>> replyTo) {
      this(assignee, by, null, replyTo);
    }
  }

  public record GetTicket(ActorRef<StatusReply<Details>> replyTo) implements Command {}

  // ---- events ---------------------------------------------------------------------------------

  /**
   * {@code traceparent}: the W3C trace context of the command that caused the event (which the read
   * model's update continues); null when there was none, and in events recorded before it was kept.
   */
  public sealed interface Event permits TicketWasPrepared, TicketWasCancelled, TicketWasAssigned {
    UUID ticketId();

    String traceparent();
  }

  public record TicketWasPrepared(
      UUID ticketId,
      String ticketType,
      String description,
      Instant preparedAt,
      Origin origin,
      @JsonInclude(JsonInclude.Include.NON_NULL) String traceparent)
      implements Event {

    public TicketWasPrepared(
        UUID ticketId, String ticketType, String description, Instant preparedAt, Origin origin) {
      this(ticketId, ticketType, description, preparedAt, origin, null);
    }

    public TicketWasPrepared {
      if (origin == null) {
        // recorded before tickets remembered their origin: only customers' issues had this type
        origin = "customer-issue".equals(ticketType) ? Origin.CUSTOMER_SERVICE : Origin.BACKOFFICE;
      }
    }
  }

  /**
   * {@code cancelledBy}: the employee, or {@code customer-service}; null in events recorded before
   * it was kept.
   */
  public record TicketWasCancelled(
      UUID ticketId,
      Instant cancelledAt,
      String cancelledBy,
      @JsonInclude(JsonInclude.Include.NON_NULL) String traceparent)
      implements Event {

    public TicketWasCancelled(UUID ticketId, Instant cancelledAt, String cancelledBy) {
      this(ticketId, cancelledAt, cancelledBy, null);
    }
  }

  /** {@code assignedBy}: the employee; null in events recorded before it was kept. */
  public record TicketWasAssigned(
      UUID ticketId,
      String assignee,
      Instant assignedAt,
      String assignedBy,
      @JsonInclude(JsonInclude.Include.NON_NULL) String traceparent)
      implements Event {

    public TicketWasAssigned(
        UUID ticketId, String assignee, Instant assignedAt, String assignedBy) {
      this(ticketId, assignee, assignedAt, assignedBy, null);
    }
  }

  // ---- state ----------------------------------------------------------------------------------

  public enum Status {
    AWAITING,
    ASSIGNED,
    CANCELLED
  }

  public sealed interface State permits Unprepared, Prepared {}

  /** No TicketWasPrepared yet: the ticket does not exist. */
  public record Unprepared() implements State {}

  public record Prepared(
      UUID ticketId,
      String ticketType,
      String description,
      Status status,
      String assignee,
      Instant preparedAt,
      Instant updatedAt,
      Origin origin,
      String assignedBy,
      String cancelledBy)
      implements State {

    Prepared cancelled(Instant at, String by) {
      return new Prepared(
          ticketId,
          ticketType,
          description,
          Status.CANCELLED,
          assignee,
          preparedAt,
          at,
          origin,
          assignedBy,
          by);
    }

    Prepared assignedTo(String employee, Instant at, String by) {
      return new Prepared(
          ticketId,
          ticketType,
          description,
          Status.ASSIGNED,
          employee,
          preparedAt,
          at,
          origin,
          by,
          cancelledBy);
    }

    boolean isPreparedBy(PrepareTicket command) {
      return ticketType.equals(command.ticketType())
          && description.equals(command.description())
          && origin == command.origin();
    }

    Details details() {
      return new Details(
          ticketId,
          ticketType,
          description,
          status,
          assignee,
          preparedAt,
          updatedAt,
          assignedBy,
          cancelledBy);
    }
  }

  /** What a ticket looks like to whoever asked. */
  public record Details(
      UUID ticketId,
      String ticketType,
      String description,
      Status status,
      String assignee,
      Instant preparedAt,
      Instant updatedAt,
      String assignedBy,
      String cancelledBy) {}

  // ---- behaviour ------------------------------------------------------------------------------

  private final UUID ticketId;
  private final Clock clock;

  private Ticket(UUID ticketId, Clock clock) {
    super(
        PersistenceId.of(ENTITY_TYPE.name(), ticketId.toString()),
        SupervisorStrategy.restartWithBackoff(
            java.time.Duration.ofMillis(200), java.time.Duration.ofSeconds(5), 0.1));
    this.ticketId = ticketId;
    this.clock = clock;
  }

  public static Behavior<Command> create(UUID ticketId, Clock clock) {
    return new Ticket(ticketId, clock);
  }

  public static String tagFor(UUID ticketId) {
    return tag(Math.floorMod(ticketId.hashCode(), TAG_COUNT));
  }

  /** Every tag a ticket's events can have, in order. */
  public static List<String> tags() {
    return IntStream.range(0, TAG_COUNT).mapToObj(Ticket::tag).toList();
  }

  private static String tag(int i) {
    return "ticket-" + i;
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
        .onCommand(PrepareTicket.class, this::prepare)
        .onCommand(CancelTicket.class, c -> notFound(c.replyTo()))
        .onCommand(AssignTicket.class, c -> notFound(c.replyTo()))
        .onCommand(GetTicket.class, c -> notFound(c.replyTo()));
    builder
        .forStateType(Prepared.class)
        .onCommand(PrepareTicket.class, this::prepareAgain)
        .onCommand(CancelTicket.class, this::cancel)
        .onCommand(AssignTicket.class, this::assign)
        .onCommand(
            GetTicket.class,
            (state, c) -> Effect().reply(c.replyTo(), StatusReply.success(state.details())));
    return builder.build();
  }

  private ReplyEffect<Event, State> prepare(PrepareTicket command) {
    String problem = problemWith(command);
    if (problem != null) {
      return Effect()
          .reply(command.replyTo(), StatusReply.error(new InvalidCommandInputException(problem)));
    }
    return Effect()
        .persist(
            new TicketWasPrepared(
                ticketId,
                command.ticketType(),
                command.description(),
                clock.instant(),
                command.origin(),
                command.traceparent()))
        .thenReply(command.replyTo(), state -> StatusReply.success(((Prepared) state).details()));
  }

  /** The same preparation again changes nothing; a different one is not merged into this ticket. */
  private ReplyEffect<Event, State> prepareAgain(Prepared state, PrepareTicket command) {
    if (state.isPreparedBy(command)) {
      return Effect().reply(command.replyTo(), StatusReply.success(state.details()));
    }
    return Effect()
        .reply(
            command.replyTo(),
            StatusReply.error(
                new ConflictException(
                    "ticket "
                        + ticketId
                        + " exists already with a different type, description or origin")));
  }

  private ReplyEffect<Event, State> cancel(Prepared state, CancelTicket command) {
    if (command.by() == Origin.CUSTOMER_SERVICE && state.origin() != Origin.CUSTOMER_SERVICE) {
      // the customer service cancels what one of its issues prepared, nothing else
      return Effect()
          .reply(
              command.replyTo(),
              StatusReply.error(
                  new ConflictException(
                      "ticket "
                          + ticketId
                          + " was not prepared by the customer service, which cannot cancel it")));
    }
    if (state.status() == Status.CANCELLED) {
      return Effect().reply(command.replyTo(), StatusReply.success(state.details()));
    }
    return Effect()
        .persist(
            new TicketWasCancelled(
                ticketId,
                clock.instant(),
                command.by() == Origin.CUSTOMER_SERVICE ? CUSTOMER_SERVICE : command.employee(),
                command.traceparent()))
        .thenReply(command.replyTo(), s -> StatusReply.success(((Prepared) s).details()));
  }

  private ReplyEffect<Event, State> assign(Prepared state, AssignTicket command) {
    if (state.status() == Status.CANCELLED) {
      return Effect()
          .reply(
              command.replyTo(),
              StatusReply.error(
                  new ConflictException(
                      "ticket " + ticketId + " is cancelled and cannot be assigned")));
    }
    String assignee = command.assignee() == null ? null : command.assignee().strip();
    if (assignee == null
        || TextRules.isBlank(assignee)
        || assignee.length() > MAX_ASSIGNEE_LENGTH
        || TextRules.problem("assignee", assignee) != null) {
      return Effect()
          .reply(
              command.replyTo(),
              StatusReply.error(
                  new InvalidCommandInputException(
                      "assignee must be 1 to " + MAX_ASSIGNEE_LENGTH + " characters")));
    }
    if (assignee.equals(state.assignee())) {
      return Effect().reply(command.replyTo(), StatusReply.success(state.details()));
    }
    return Effect()
        .persist(
            new TicketWasAssigned(
                ticketId, assignee, clock.instant(), command.by(), command.traceparent()))
        .thenReply(command.replyTo(), s -> StatusReply.success(((Prepared) s).details()));
  }

  private ReplyEffect<Event, State> notFound(ActorRef<StatusReply<Details>> replyTo) {
    return Effect()
        .reply(
            replyTo,
            StatusReply.error(new NotFoundException("ticket " + ticketId + " does not exist")));
  }

  private static String problemWith(PrepareTicket command) {
    if (command.ticketType() == null || TextRules.isBlank(command.ticketType())) {
      return "ticketType must not be blank";
    }
    if (command.ticketType().length() > MAX_TICKET_TYPE_LENGTH) {
      return "ticketType must be at most " + MAX_TICKET_TYPE_LENGTH + " characters";
    }
    if (command.description() == null) {
      return "description is required";
    }
    if (command.description().length() > MAX_DESCRIPTION_LENGTH) {
      return "description must be at most " + MAX_DESCRIPTION_LENGTH + " characters";
    }
    // the read model (and PostgreSQL) must be able to take every event this ticket records
    String problem = TextRules.problem("ticketType", command.ticketType());
    return problem != null ? problem : TextRules.problem("description", command.description());
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    var builder = newEventHandlerBuilder();
    builder
        .forStateType(Unprepared.class)
        .onEvent(
            TicketWasPrepared.class,
            e ->
                new Prepared(
                    e.ticketId(),
                    e.ticketType(),
                    e.description(),
                    Status.AWAITING,
                    null,
                    e.preparedAt(),
                    e.preparedAt(),
                    e.origin(),
                    null,
                    null));
    builder
        .forStateType(Prepared.class)
        .onEvent(TicketWasCancelled.class, (s, e) -> s.cancelled(e.cancelledAt(), e.cancelledBy()))
        .onEvent(
            TicketWasAssigned.class,
            (s, e) -> s.assignedTo(e.assignee(), e.assignedAt(), e.assignedBy()));
    return builder.build();
  }
}
