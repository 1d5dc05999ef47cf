/**
 * Dead letters: the {@code dead_letters} table ({@code DeadLetterTable}: writes for the inbox,
 * queries, claims of replays and deletes, leases), what operators do with them ({@code
 * DeadLetters}, {@code BulkDeadLetters}), the JSON API ({@code /dead-letters}) and the console's
 * pages ({@code /console/dead-letters}).
 *
 * <p>May depend on: {@link org.example.helpdesk.backoffice.inbox} through its named interfaces only
 * ({@code DeadLetterStore}, which {@code DeadLetterWrites} implements; {@code MessageHandler} and
 * {@code InboundMessage}, to apply a letter again), {@link org.example.helpdesk.backoffice.console}
 * ({@code ConsoleLayout}), {@link org.example.helpdesk.backoffice.auth} ({@code Access}, {@code
 * Employee}); {@code platform}, {@code protocol}. Not on the ticket feature: a replay goes through
 * the inbox's handler.
 */
package org.example.helpdesk.backoffice.deadletter;
