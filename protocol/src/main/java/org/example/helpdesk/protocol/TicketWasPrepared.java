package org.example.helpdesk.protocol;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/** {@code ticket.ticketWasPrepared}: the backoffice took the issue on as a ticket */
public record TicketWasPrepared(UUID ticketId, long sequence, Instant occurredAt)
    implements DistributedEvent {

  public TicketWasPrepared {
    Objects.requireNonNull(ticketId, "ticketId is required");
    Objects.requireNonNull(occurredAt, "occurredAt is required");
    if (sequence < 1) {
      throw new IllegalArgumentException("sequence must be 1 or more");
    }
  }
}
