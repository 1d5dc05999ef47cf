package org.example.helpdesk.backoffice.ticket;

import java.time.Instant;
import java.util.Locale;
import java.util.UUID;

/** A ticket as the API shows it, read from the {@code tickets} table or from the entity. */
public record TicketView(
    UUID ticketId,
    String ticketType,
    String description,
    String status,
    String assignee,
    Instant preparedAt,
    Instant updatedAt,
    String assignedBy,
    String cancelledBy) {

  public static TicketView of(Ticket.Details d) {
    return new TicketView(
        d.ticketId(),
        d.ticketType(),
        d.description(),
        statusName(d.status()),
        d.assignee(),
        d.preparedAt(),
        d.updatedAt(),
        d.assignedBy(),
        d.cancelledBy());
  }

  public static String statusName(Ticket.Status status) {
    return status.name().toLowerCase(Locale.ROOT);
  }
}
