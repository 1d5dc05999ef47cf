package org.example.helpdesk.protocol;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/** {@code ticket.ticketWasAnswered}: support wrote back to the customer. */
public record TicketWasAnswered(
    UUID ticketId, long sequence, Instant occurredAt, SupportReply reply)
    implements DistributedEvent {

  public TicketWasAnswered {
    Objects.requireNonNull(ticketId, "ticketId is required");
    Objects.requireNonNull(occurredAt, "occurredAt is required");
    Objects.requireNonNull(reply, "reply is required");
    if (sequence < 1) {
      throw new IllegalArgumentException("sequence must be 1 or more");
    }
  }
}
