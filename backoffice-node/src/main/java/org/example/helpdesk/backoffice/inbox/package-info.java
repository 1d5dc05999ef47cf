/**
 * The inbox of distributed commands: partitioned queues consumed one node each ({@code
 * InboxPartitions}, {@code SeedQueueForwarder}, platform's {@code StreamDaemon}), each consumer a
 * chain of named stages ({@code CommandConsumer}: {@code DecodeAndSize} → {@code ParkIfBehind} →
 * {@code HandleWithRetry} → {@code Settle}), applying commands through {@code CommandHandling}.
 *
 * <p>What it offers others: {@link org.example.helpdesk.backoffice.inbox.InboundMessage} (a message
 * as the inbox sees it), {@link org.example.helpdesk.backoffice.inbox.MessageHandler} (how a
 * message is applied, for replays), {@link org.example.helpdesk.backoffice.inbox.InboxMetrics}.
 * What it needs of others: {@link org.example.helpdesk.backoffice.inbox.DeadLetterStore}, a port it
 * owns and the dead-letter feature implements.
 *
 * <p>May depend on: {@link org.example.helpdesk.backoffice.ticket} ({@code Tickets}, {@code
 * Ticket.Origin}, {@code TicketShards}); {@code platform}, {@code protocol}. Not on the dead-letter
 * feature, the console or the pages.
 */
package org.example.helpdesk.backoffice.inbox;
