/**
 * The Customer Service's inbox of ticket events: what the backoffice publishes on {@code
 * distributed.events} (queue {@code customer_service}) recorded on the Issues ({@link
 * org.example.helpdesk.customer.events.TicketEventConsumer}), and what it cannot take kept as dead
 * letters an operator lists, replays or deletes ({@link
 * org.example.helpdesk.customer.events.EventDeadLetters}, {@link
 * org.example.helpdesk.customer.events.EventDeadLetterRoutes}).
 *
 * <p>May depend on: {@link org.example.helpdesk.customer.issue} ({@code Issues}, {@code Issue});
 * {@code platform}, {@code protocol}. Not on the pages, the outbox or the mailer.
 */
package org.example.helpdesk.customer.events;
