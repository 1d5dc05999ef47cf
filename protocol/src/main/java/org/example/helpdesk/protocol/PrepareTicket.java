package org.example.helpdesk.protocol;

import java.util.Objects;
import java.util.UUID;

/**
 * {@code ticket.prepareTicket}: open a ticket in the backoffice for work that arrived elsewhere.
 */
public record PrepareTicket(UUID ticketId, TicketType ticketType, Description description)
    implements DistributedCommand {

  public PrepareTicket {
    Objects.requireNonNull(ticketId, "ticketId is required");
    Objects.requireNonNull(ticketType, "ticketType is required");
    Objects.requireNonNull(description, "description is required");
  }
}
