/**
 * The Ticket journal as the backoffice's outbox: the events a customer is to hear of a ticket of
 * theirs, published as distributed events with the outbox's guarantees ({@link
 * org.example.helpdesk.backoffice.events.TicketEventRelay}, {@link
 * org.example.helpdesk.backoffice.events.CustomerEvents}).
 *
 * <p>May depend on: {@code platform}, {@code protocol} and the {@code ticket} feature (its events,
 * tags and entity type); no other backoffice feature.
 */
package org.example.helpdesk.backoffice.events;
