package org.example.helpdesk.backoffice.ticket;

import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.IntStream;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.pattern.StatusReply;
import org.example.helpdesk.platform.domain.ConflictException;
import org.example.helpdesk.platform.domain.NotFoundException;
import org.example.helpdesk.protocol.Assignee;
import org.example.helpdesk.protocol.Description;
import org.example.helpdesk.protocol.TicketType;

/**
 * A ticket employees work on: prepared (from a customer's issue or internally), assigned to an
 * employee, or cancelled. Its commands, events, states and rules; every command is idempotent, so
 * that a command delivered twice changes nothing the second time. {@link TicketEntity} runs it.
 */
public final class Ticket {

  /** Events are tagged with one of this many tags (stored with each event: fixed for good). */
  public static final int TAG_COUNT = 4;

  /** Who cancelled a ticket when its customer closed the issue. */
  public static final String CUSTOMER_SERVICE = "customer-service";

  private Ticket() {}

  public static String tagFor(UUID ticketId) {
    return tags().get(Math.floorMod(ticketId.hashCode(), TAG_COUNT));
  }

  /** Every tag a ticket's events can have, in order: one read-model projection instance each. */
  public static List<String> tags() {
    return IntStream.range(0, TAG_COUNT).mapToObj(i -> "ticket-" + i).toList();
  }

  // ---- commands (traceparent: the W3C trace context of whatever asked, or null) --------------

  public sealed interface Command permits Prepare, Cancel, Assign, Get {
    ActorRef<StatusReply<TicketView>> replyTo();
  }

  /** Where a ticket's preparation, or a cancel, came from: a customer's issue, or an employee. */
  public enum Origin {
    CUSTOMER_SERVICE,
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
      if (ticketType == null || description == null) {
        throw new NullPointerException("a ticket is prepared with a type and a description");
      }
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
    boolean is(Status status) {
      return ticket.status() == status;
    }

    boolean isPreparedBy(Prepare command) {
      return ticket.ticketType().equals(command.ticketType())
          && ticket.description().equals(command.description())
          && origin == command.origin();
    }
  }

  // ---- rules ----------------------------------------------------------------------------------

  /**
   * What a command records on a ticket: an event, or nothing when it changes nothing (the same
   * command again). A command the rules refuse throws its rejection.
   */
  static Optional<Event> decide(State state, Command command, UUID id, Instant now) {
    if (!(state instanceof Prepared ticket)) {
      if (command instanceof Prepare p) {
        return Optional.of(
            new TicketWasPrepared(
                id, p.ticketType(), p.description(), now, p.origin(), p.traceparent()));
      }
      throw new NotFoundException("ticket " + id + " does not exist");
    }
    if (command instanceof Prepare p && !ticket.isPreparedBy(p)) {
      throw conflict(id, "exists already with a different type, description or origin");
    }
    if (command instanceof Cancel c) {
      if (c.by() == Origin.CUSTOMER_SERVICE && ticket.origin() != Origin.CUSTOMER_SERVICE) {
        throw conflict(id, "was not prepared by the customer service, which cannot cancel it");
      }
      String by = c.by() == Origin.CUSTOMER_SERVICE ? CUSTOMER_SERVICE : c.employee();
      return ticket.is(Status.CANCELLED)
          ? Optional.empty()
          : Optional.of(new TicketWasCancelled(id, now, by, c.traceparent()));
    }
    if (command instanceof Assign a) {
      if (ticket.is(Status.CANCELLED)) {
        throw conflict(id, "is cancelled and cannot be assigned");
      }
      return a.assignee().equals(ticket.ticket().assignee())
          ? Optional.empty()
          : Optional.of(new TicketWasAssigned(id, a.assignee(), now, a.by(), a.traceparent()));
    }
    return Optional.empty(); // the same preparation again, or a Get
  }

  /** What an event makes of a ticket. */
  static State apply(State state, Event event) {
    if (event instanceof TicketWasPrepared e) {
      return new Prepared(TicketView.preparedBy(e), e.origin());
    }
    Prepared p = (Prepared) state;
    if (event instanceof TicketWasCancelled e) {
      return new Prepared(p.ticket().cancelled(e.cancelledAt(), e.cancelledBy()), p.origin());
    }
    TicketWasAssigned e = (TicketWasAssigned) event;
    return new Prepared(
        p.ticket().assigned(e.assignee(), e.assignedAt(), e.assignedBy()), p.origin());
  }

  private static ConflictException conflict(UUID id, String why) {
    return new ConflictException("ticket " + id + " " + why);
  }
}
