/**
 * The tickets on the web: the JSON API ({@code /tickets}), the console's ticket pages (list,
 * ticket, create, assign, cancel) and their live updates ({@code /console/events}).
 *
 * <p>May depend on: {@link org.example.helpdesk.backoffice.ticket} (the {@code Tickets} façade, the
 * read model and its view), {@link org.example.helpdesk.backoffice.console} ({@code
 * ConsoleLayout}), {@link org.example.helpdesk.backoffice.auth} ({@code Access}, {@code Employee});
 * {@code platform}, {@code protocol}.
 */
package org.example.helpdesk.backoffice.ticket.web;
