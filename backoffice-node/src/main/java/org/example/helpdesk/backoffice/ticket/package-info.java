/**
 * Tickets: the rules ({@code Ticket}), the entity that runs them, the {@link
 * org.example.helpdesk.backoffice.ticket.Tickets} façade every other feature asks, the {@code
 * tickets} read model with its projection and rebuild, and the placement of ticket shards.
 *
 * <p>May depend on: {@code platform} and {@code protocol} only; no other backoffice feature. Its
 * web side is {@link org.example.helpdesk.backoffice.ticket.web}.
 */
package org.example.helpdesk.backoffice.ticket;
