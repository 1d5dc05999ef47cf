package org.example.helpdesk.backoffice.ticket;

import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.UUID;
import org.example.helpdesk.backoffice.ticket.Ticket.Status;
import org.example.helpdesk.protocol.Assignee;
import org.example.helpdesk.protocol.Description;
import org.example.helpdesk.protocol.TicketType;

/**
 * A ticket as whoever asks sees it, the one view of it: the entity's answer and state, a row of the
 * {@code tickets} table, the API's JSON. {@code assignedBy}, {@code cancelledBy}: the employees (or
 * {@code customer-service}), null until it happened, and in events recorded before they were kept.
 */
public record TicketView(
    UUID ticketId,
    TicketType ticketType,
    Description description,
    Status status,
    Assignee assignee,
    Instant preparedAt,
    Instant updatedAt,
    String assignedBy,
    String cancelledBy) {

  /** A ticket as its preparation leaves it. */
  static TicketView preparedBy(Ticket.TicketWasPrepared e) {
    return new TicketView(
        e.ticketId(),
        e.ticketType(),
        e.description(),
        Status.AWAITING,
        null,
        e.preparedAt(),
        e.preparedAt(),
        null,
        null);
  }

  TicketView cancelled(Instant at, String by) {
    return changed(Status.CANCELLED, assignee, at, assignedBy, by);
  }

  TicketView assigned(Assignee employee, Instant at, String by) {
    return changed(Status.ASSIGNED, employee, at, by, cancelledBy);
  }

  private TicketView changed(
      Status newStatus,
      Assignee newAssignee,
      Instant at,
      String newAssignedBy,
      String newCancelledBy) {
    return new TicketView(
        ticketId,
        ticketType,
        description,
        newStatus,
        newAssignee,
        preparedAt,
        at,
        newAssignedBy,
        newCancelledBy);
  }

  /** The status of this name, as {@link Status#toString} writes it, if there is one. */
  public static Optional<Status> status(String name) {
    return Arrays.stream(Status.values()).filter(s -> s.toString().equals(name)).findFirst();
  }
}
