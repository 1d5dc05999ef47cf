package org.example.helpdesk.protocol;

import java.time.Instant;
import java.util.UUID;

/**
 * Something that happened to a ticket that the customer who reported its issue should hear of,
 * published by the backoffice over AMQP. The ticket id is the id.
 *
 * <p>{@code sequence} is the event's number in the ticket's history (1, 2, ...): a receiver keeps
 * the highest it applied, so a redelivered or replayed event changes nothing twice, and a gap shows
 * an event still on its way.
 */
public sealed interface DistributedEvent
    permits TicketWasPrepared, TicketWasAssigned, TicketWasAnswered, TicketWasCancelled {

  UUID ticketId();

  long sequence();

  Instant occurredAt();
}
