/**
 * The Backoffice Service node, sliced by feature. {@link
 * org.example.helpdesk.backoffice.BackofficeNode} is the composition root: the only place that
 * knows every feature, builds each and wires one to another through the small interfaces below.
 *
 * <p>The features and what each may use of another (an arrow: "uses"; nothing else crosses):
 *
 * <pre>
 *   ticket       : (no other feature)
 *   ticket.web   → ticket   (Tickets, TicketReadModel, TicketView, Ticket.Status)
 *                → console  (ConsoleLayout)      → auth (Access, Employee)
 *   inbox        → ticket   (Tickets, Ticket.Origin, TicketShards)
 *   events       → ticket   (Ticket.Event, TicketTags, TicketEntity.TYPE, TicketProjectionLag)
 *   deadletter   → inbox    (DeadLetterStore: implements it; MessageHandler and InboundMessage:
 *                            replays through them)
 *                → console  (ConsoleLayout)      → auth (Access, Employee)
 *   console      → auth     (Access, Employee)
 *   auth         : (no other feature)
 * </pre>
 *
 * <p>There is no cycle: the inbox hands what it gives up on to its own port ({@link
 * org.example.helpdesk.backoffice.inbox.DeadLetterStore}), which the dead-letter feature
 * implements; metrics are registered by the feature that measures them ({@link
 * org.example.helpdesk.backoffice.inbox.InboxMetrics}, {@link
 * org.example.helpdesk.backoffice.deadletter.DeadLetterMetrics}, {@link
 * org.example.helpdesk.backoffice.ticket.TicketProjectionLag}); the console's status strip reads
 * them from the registry by name.
 */
package org.example.helpdesk.backoffice;
