package org.example.helpdesk.protocol;

import java.util.Objects;
import java.util.UUID;

/** {@code ticket.cancel}: the work behind a ticket is no longer wanted. */
public record CancelTicket(UUID ticketId) implements DistributedCommand {

  public CancelTicket {
    Objects.requireNonNull(ticketId, "ticketId is required");
  }
}
