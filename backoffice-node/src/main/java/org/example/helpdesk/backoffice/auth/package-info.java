/**
 * Who may do what: employees, sessions, sign-in and sign-out, the throttle, cross-site checks and
 * the directives every page and API route is wrapped in ({@code Access}).
 *
 * <p>May depend on: {@code platform} only; no other backoffice feature.
 */
package org.example.helpdesk.backoffice.auth;
