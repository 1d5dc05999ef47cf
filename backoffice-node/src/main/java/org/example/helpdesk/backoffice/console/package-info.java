/**
 * The console's shell: the shared layout ({@code ConsoleLayout}: the header's context, message
 * pages, failures as pages) and the status strip ({@code /console/status}). The features' pages use
 * it; it knows none of them.
 *
 * <p>May depend on: {@link org.example.helpdesk.backoffice.auth} ({@code Access}, {@code
 * Employee}); {@code platform}.
 */
package org.example.helpdesk.backoffice.console;
