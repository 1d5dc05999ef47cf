package org.example.helpdesk.backoffice.ticket;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.example.helpdesk.platform.domain.ConflictException;
import org.example.helpdesk.platform.domain.NotFoundException;
import org.example.helpdesk.protocol.Assignee;
import org.example.helpdesk.protocol.Description;
import org.example.helpdesk.protocol.SupportReply;
import org.example.helpdesk.protocol.TicketType;

/**
 * A ticket employees work on: prepared (from a customer's issue or internally), assigned to an
 * employee, answered to its customer, or cancelled. Its commands, events, states and rules; every
 * command is idempotent, so that a command delivered twice changes nothing the second time. {@link
 * TicketEntity} runs it.
 */
public final class Ticket {

  /** Who cancelled a ticket when its customer closed the issue. */
  public static final String CUSTOMER_SERVICE = "customer-service";

  private Ticket() {}

  /** Where a ticket's preparation, or a cancel, came from: a customer's issue, or an employee. */
  public enum Origin {
    CUSTOMER_SERVICE,
    BACKOFFICE
  }

  // ---- commands -------------------------------------------------------------------------------

  public sealed interface Command permits Prepare, Cancel, Assign, Answer, Get {}

  public record Prepare(TicketType ticketType, Description description, Origin origin)
      implements Command {
    public Prepare {
      if (ticketType == null || description == null) {
        throw new NullPointerException("a ticket is prepared with a type and a description");
      }
    }
  }

  /** {@code employee}: who cancels, when {@code by} is the backoffice. */
  public record Cancel(Origin by, String employee) implements Command {}

  /** {@code by}: the employee who assigns. */
  public record Assign(Assignee assignee, String by) implements Command {
    public Assign {
      Objects.requireNonNull(assignee, "assignee is required");
    }
  }

  /** {@code employee}: who writes the reply to the customer. */
  public record Answer(String employee, SupportReply reply) implements Command {
    public Answer {
      Objects.requireNonNull(reply, "reply is required");
    }
  }

  /** Changes nothing: answered with the ticket, if it exists. */
  public record Get() implements Command {}

  // ---- events ---------------------------------------------------------------------------------

  public sealed interface Event
      permits TicketWasPrepared, TicketWasCancelled, TicketWasAssigned, TicketWasAnswered {
    UUID ticketId();
  }

  public record TicketWasPrepared(
      UUID ticketId,
      TicketType ticketType,
      Description description,
      Instant preparedAt,
      Origin origin)
      implements Event {}

  /** {@code cancelledBy}: the employee, or {@code customer-service}; null in older events. */
  public record TicketWasCancelled(UUID ticketId, Instant cancelledAt, String cancelledBy)
      implements Event {}

  /** {@code assignedBy}: the employee; null in events recorded before it was kept. */
  public record TicketWasAssigned(
      UUID ticketId, Assignee assignee, Instant assignedAt, String assignedBy) implements Event {}

  /** Support wrote back to the customer ({@code answeredBy}: the employee). */
  public record TicketWasAnswered(
      UUID ticketId, SupportReply reply, Instant answeredAt, String answeredBy) implements Event {}

  // ---- state ----------------------------------------------------------------------------------

  public enum Status {
    AWAITING,
    ASSIGNED,
    CANCELLED;

    /** Its name in lower case: how the read model, the API and the pages write it. */
    @Override
    public String toString() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public sealed interface State permits Unprepared, Prepared {}

  /** No TicketWasPrepared yet: the ticket does not exist. */
  public record Unprepared() implements State {}

  /**
   * {@code lastReply}: the text of the latest answer, null before the first; a reply sent twice in
   * a row (a form submitted again) is recorded once.
   */
  public record Prepared(TicketView ticket, Origin origin, SupportReply lastReply)
      implements State {
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
            new TicketWasPrepared(id, p.ticketType(), p.description(), now, p.origin()));
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
          : Optional.of(new TicketWasCancelled(id, now, by));
    }
    if (command instanceof Assign a) {
      if (ticket.is(Status.CANCELLED)) {
        throw conflict(id, "is cancelled and cannot be assigned");
      }
      return a.assignee().equals(ticket.ticket().assignee())
          ? Optional.empty()
          : Optional.of(new TicketWasAssigned(id, a.assignee(), now, a.by()));
    }
    if (command instanceof Answer a) {
      // the backoffice has no customer for an internal ticket (nor the customer's e-mail address:
      // the reply travels to the customer service, which has)
      if (ticket.origin() != Origin.CUSTOMER_SERVICE) {
        throw conflict(id, "is internal: it has no customer to answer");
      }
      if (ticket.is(Status.CANCELLED)) {
        throw conflict(id, "is cancelled and cannot be answered");
      }
      return a.reply().equals(ticket.lastReply())
          ? Optional.empty()
          : Optional.of(new TicketWasAnswered(id, a.reply(), now, a.employee()));
    }
    return Optional.empty(); // the same preparation again, or a Get
  }

  /** What an event makes of a ticket. */
  static State evolve(State state, Event event) {
    if (event instanceof TicketWasPrepared e) {
      return new Prepared(TicketView.preparedBy(e), e.origin(), null);
    }
    Prepared p = (Prepared) state;
    if (event instanceof TicketWasCancelled e) {
      return new Prepared(
          p.ticket().cancelled(e.cancelledAt(), e.cancelledBy()), p.origin(), p.lastReply());
    }
    if (event instanceof TicketWasAnswered e) {
      // the view (and the read model) does not show replies: the ticket's history does
      return new Prepared(p.ticket(), p.origin(), e.reply());
    }
    TicketWasAssigned e = (TicketWasAssigned) event;
    return new Prepared(
        p.ticket().assigned(e.assignee(), e.assignedAt(), e.assignedBy()),
        p.origin(),
        p.lastReply());
  }

  private static ConflictException conflict(UUID id, String why) {
    return new ConflictException("ticket " + id + " " + why);
  }
}
