package org.example.helpdesk.protocol;

import java.util.UUID;

/**
 * A command one service asks another to execute, carried over AMQP. Every command targets one
 * ticket; its id is also the key that keeps commands for the same ticket in order.
 */
public sealed interface DistributedCommand permits PrepareTicket, CancelTicket {

  UUID ticketId();
}
