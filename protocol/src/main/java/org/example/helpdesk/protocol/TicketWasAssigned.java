package org.example.helpdesk.protocol;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/** {@code ticket.ticketWasAssigned}: an employee works on the ticket (who is not said */
public record TicketWasAssigned(UUID ticketId, long sequence, Instant occurredAt)
    implements DistributedEvent {

  public TicketWasAssigned {
    Objects.requireNonNull(ticketId, "ticketId is required");
    Objects.requireNonNull(occurredAt, "occurredAt is required");
    if (sequence < 1) {
      throw new IllegalArgumentException("sequence must be 1 or more");
    }
  }
}
