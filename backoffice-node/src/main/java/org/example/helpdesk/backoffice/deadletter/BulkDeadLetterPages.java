package org.example.helpdesk.backoffice.deadletter;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.net.URLEncoder;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.example.helpdesk.backoffice.auth.Access;
import org.example.helpdesk.backoffice.auth.Employee;
import org.example.helpdesk.backoffice.console.ConsoleLayout;
import org.example.helpdesk.platform.http.ApiDirectives;
import org.example.helpdesk.platform.http.ApiErrors;
import org.example.helpdesk.platform.http.InvalidRequestException;
import org.example.helpdesk.platform.tracing.HttpTracing;
import org.example.helpdesk.platform.web.Pages;

/**
 * The console's bulk replay and delete of dead letters, in two steps: {@code GET
 * /console/dead-letters/bulk} with a filter shows how many letters the action would take (and the
 * highest id among them); its confirmation form posts the same filter bounded by that id, with the
 * session's CSRF token and a ticked box, and the outcome is shown after a redirect (reloading it
 * does nothing again).
 */
public final class BulkDeadLetterPages extends AllDirectives {

  /** The filter's fields, as the form and the query name them. */
  private static final String[] FILTER =
      new String[] {"type", "error", "ticketId", "status", "since", "until"};

  /** The outcome's counts, as the redirect carries them. */
  private static final String[] COUNTS =
      new String[] {
        "matched", "replayed", "releasedParked", "failedAgain", "deleted", "skipped", "remaining"
      };

  private final BulkDeadLetters bulk;
  private final Access access;
  private final ConsoleLayout layout;

  public BulkDeadLetterPages(BulkDeadLetters bulk, Access access, ConsoleLayout layout) {
    this.bulk = bulk;
    this.access = access;
    this.layout = layout;
  }

  public Route routes() {
    return pathPrefix(
        "console",
        () ->
            pathPrefix(
                "dead-letters",
                () ->
                    path(
                        "bulk",
                        () ->
                            access.page(
                                Employee.Role.OPERATOR,
                                who ->
                                    concat(
                                        get(() -> parameterMap(q -> preview(who, q))),
                                        post(
                                            () ->
                                                withRequestTimeout(
                                                    BulkDeadLetters.REQUEST_TIMEOUT,
                                                    () ->
                                                        formFieldMap(
                                                            f ->
                                                                access.form(
                                                                    who,
                                                                    f,
                                                                    () -> confirm(who, f))))))))));
  }

  private Route preview(Access.SignedIn who, Map<String, String> q) {
    Map<String, Object> c = layout.nav(who);
    c.put("filter", echo(q));
    if (q.containsKey("done")) {
      c.put("outcome", outcome(q));
      return html(StatusCodes.OK, c);
    }
    if (!q.containsKey("action")) {
      return html(StatusCodes.OK, c); // the empty filter form
    }
    BulkDeadLetters.Action action;
    BulkDeadLetters.Filter filter;
    try {
      action = action(q.get("action"));
      filter = filter(q);
    } catch (InvalidRequestException e) {
      c.put("error", e.getMessage());
      return html(StatusCodes.BAD_REQUEST, c);
    }
    return onDone(
        who,
        bulk.preview(action, filter),
        r -> {
          Map<String, Object> p = new HashMap<>();
          p.put("action", r.action());
          p.put("matched", r.matched());
          p.put("letters", r.matched() == 1 ? "dead letter" : "dead letters");
          p.put("upToId", r.upToId());
          p.put("replay", action == BulkDeadLetters.Action.REPLAY);
          p.put("none", r.matched() == 0);
          p.put("one", r.matched() == 1);
          c.put("preview", p);
          return html(StatusCodes.OK, c);
        });
  }

  private Route confirm(Access.SignedIn who, Map<String, String> f) {
    Map<String, Object> c = layout.nav(who);
    c.put("filter", echo(f));
    BulkDeadLetters.Action action;
    BulkDeadLetters.Filter filter;
    try {
      action = action(f.get("action"));
      filter = filter(f);
      if (filter.upToId() == null) {
        throw new InvalidRequestException("Count the letters first: the form has no upToId.");
      }
      if (!"yes".equals(f.get("confirm"))) {
        throw new InvalidRequestException("Tick the box to confirm.");
      }
    } catch (InvalidRequestException e) {
      c.put("error", e.getMessage());
      return html(StatusCodes.BAD_REQUEST, c);
    }
    return HttpTracing.traceparent(
        trace ->
            onDone(
                who,
                bulk.apply(action, filter, who.employee().name(), trace),
                r -> {
                  Map<String, Object> counts = new LinkedHashMap<>();
                  counts.put("done", r.action());
                  counts.put("matched", r.matched());
                  counts.put("replayed", r.replayed());
                  counts.put("releasedParked", r.releasedParked());
                  counts.put("failedAgain", r.failedAgain());
                  counts.put("deleted", r.deleted());
                  counts.put("skipped", r.skipped());
                  counts.put("remaining", r.remaining());
                  StringBuilder to = new StringBuilder("/console/dead-letters/bulk?");
                  counts.forEach(
                      (k, v) -> {
                        if (v != null) {
                          to.append(k).append('=').append(v).append('&');
                        }
                      });
                  to.append("stopped=").append(r.stopped() == null ? "" : "yes");
                  return access.redirect(to.toString());
                }));
  }

  /** The outcome after the redirect, from numbers only (the query is the browser's to change). */
  private static Map<String, Object> outcome(Map<String, String> q) {
    Map<String, Object> o = new HashMap<>();
    o.put("replay", "replay".equals(q.get("done")));
    for (String count : COUNTS) {
      String raw = q.get(count);
      o.put(count, raw != null && raw.matches("\\d{1,9}") ? Long.parseLong(raw) : 0L);
    }
    o.put("stopped", "yes".equals(q.get("stopped")));
    o.put("letters", (long) o.get("matched") == 1 ? "dead letter" : "dead letters");
    o.put("commands", (long) o.get("releasedParked") == 1 ? "parked command" : "parked commands");
    return o;
  }

  private static BulkDeadLetters.Action action(String raw) {
    if ("replay".equals(raw)) {
      return BulkDeadLetters.Action.REPLAY;
    }
    if ("delete".equals(raw)) {
      return BulkDeadLetters.Action.DELETE;
    }
    throw new InvalidRequestException("Choose replay or delete.");
  }

  /** The filter of a query or form; empty fields are no condition. */
  static BulkDeadLetters.Filter filter(Map<String, String> f) {
    UUID ticket = null;
    String rawTicket = blank(f.get("ticketId"));
    if (rawTicket != null) {
      try {
        ticket = ApiDirectives.parseUuid(rawTicket.strip());
      } catch (IllegalArgumentException e) {
        throw new InvalidRequestException("The ticket id is not a UUID.");
      }
    }
    Long upTo = null;
    String rawUpTo = blank(f.get("upToId"));
    if (rawUpTo != null) {
      try {
        upTo = Long.parseLong(rawUpTo);
      } catch (NumberFormatException e) {
        throw new InvalidRequestException("upToId must be a number.");
      }
    }
    return new BulkDeadLetters.Filter(
        f.get("type"),
        f.get("error"),
        ticket,
        blank(f.get("status")),
        time(f.get("since"), "since"),
        time(f.get("until"), "until"),
        upTo);
  }

  /**
   * An instant ({@code 2026-12-07T02:30:00Z}) or a form's {@code datetime-local} value, taken as
   * UTC.
   */
  private static Instant time(String raw, String name) {
    String s = blank(raw);
    if (s == null) {
      return null;
    }
    try {
      return Instant.parse(s);
    } catch (DateTimeParseException e) {
      try {
        return LocalDateTime.parse(s).toInstant(ZoneOffset.UTC);
      } catch (DateTimeParseException again) {
        throw new InvalidRequestException(
            "'" + name + "' must be a time such as 2026-12-07T02:30 (UTC).");
      }
    }
  }

  private static String blank(String s) {
    return s == null || s.isBlank() ? null : s;
  }

  /** The filter's fields as given, to fill the forms again (and the confirmation's query). */
  private static Map<String, Object> echo(Map<String, String> f) {
    Map<String, Object> e = new HashMap<>();
    StringBuilder query = new StringBuilder();
    for (String name : FILTER) {
      String v = f.getOrDefault(name, "");
      e.put(name, v);
      if (!v.isEmpty()) {
        query.append('&').append(name).append('=').append(URLEncoder.encode(v, UTF_8));
      }
    }
    e.put("statusFailed", "failed".equals(f.get("status")));
    e.put("statusParked", "parked".equals(f.get("status")));
    e.put("query", query.toString());
    return e;
  }

  private Route html(StatusCode code, Map<String, Object> c) {
    return complete(Pages.response(code, "console-dead-letters-bulk", c));
  }

  private <T> Route onDone(Access.SignedIn who, CompletionStage<T> stage, Function<T, Route> ok) {
    return onComplete(
        stage,
        result -> {
          if (result.isSuccess()) {
            return ok.apply(result.get());
          }
          Map<String, Object> c = layout.nav(who);
          c.put("title", "Not done");
          c.put(
              "message",
              "The backoffice could not answer: "
                  + ApiErrors.responseFor(result.failed().get()).status().reason()
                  + ". Try again in a moment.");
          return complete(
              Pages.response(
                  ApiErrors.responseFor(result.failed().get()).status(), "console-message", c));
        });
  }
}
