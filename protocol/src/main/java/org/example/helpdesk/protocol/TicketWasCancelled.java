package org.example.helpdesk.protocol;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * {@code ticket.ticketWasCancelled}: an employee closed the ticket; not sent when the customer's
 * own close cancelled it
 */
public record TicketWasCancelled(UUID ticketId, long sequence, Instant occurredAt)
    implements DistributedEvent {

  public TicketWasCancelled {
    Objects.requireNonNull(ticketId, "ticketId is required");
    Objects.requireNonNull(occurredAt, "occurredAt is required");
    if (sequence < 1) {
      throw new IllegalArgumentException("sequence must be 1 or more");
    }
  }
}
