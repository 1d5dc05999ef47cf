package org.example.helpdesk.backoffice.deadletter;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.example.helpdesk.backoffice.auth.Access;
import org.example.helpdesk.backoffice.auth.Employee;
import org.example.helpdesk.backoffice.console.ConsoleLayout;
import org.example.helpdesk.backoffice.deadletter.DeadLetterRoutes.DeadLetterView;
import org.example.helpdesk.platform.tracing.HttpTracing;

/**
 * The console's dead-letter pages for operators: the list, one letter with its body, and the forms
 * that replay (with the stored body or a corrected one) and delete it, in the console's layout. The
 * bulk actions have their own pages ({@link BulkDeadLetterPages}).
 */
public final class DeadLetterPages extends AllDirectives {

  private static final int BODY_SHOWN = 4_096;

  private final Access access;
  private final DeadLetters deadLetters;
  private final ConsoleLayout layout;

  public DeadLetterPages(Access access, DeadLetters deadLetters, ConsoleLayout layout) {
    this.access = access;
    this.deadLetters = deadLetters;
    this.layout = layout;
  }

  public Route routes() {
    return pathPrefix(
        "console",
        () ->
            pathPrefix(
                "dead-letters", () -> access.page(Employee.Role.OPERATOR, this::deadLetters)));
  }

  private Route deadLetters(Access.SignedIn who) {
    return concat(
        pathEndOrSingleSlash(
            () ->
                get(
                    () ->
                        layout.single(
                            who,
                            "replayed",
                            replayed ->
                                layout.single(
                                    who,
                                    "released",
                                    released ->
                                        layout.single(
                                            who,
                                            "deleted",
                                            deleted ->
                                                deadLetterList(
                                                    who, outcome(replayed, released, deleted))))))),
        pathPrefix(
            PathMatchers.longSegment(),
            id ->
                concat(
                    pathEnd(() -> get(() -> deadLetterPage(who, id, StatusCodes.OK, null))),
                    path(
                        "replay",
                        () ->
                            post(
                                () ->
                                    formFieldMap(
                                        f -> access.form(who, f, () -> replay(who, id, f))))),
                    path(
                        "delete",
                        () ->
                            post(
                                () ->
                                    formFieldMap(
                                        f -> access.form(who, f, () -> delete(who, id, f))))))));
  }

  /** The notice after a replay or delete, from the redirect's query (numbers only). */
  private static String outcome(
      Optional<String> replayed, Optional<String> released, Optional<String> deleted) {
    Optional<Long> r = replayed.flatMap(DeadLetterPages::count);
    if (r.isPresent()) {
      return "Dead letter "
          + r.get()
          + " replayed; "
          + released.flatMap(DeadLetterPages::count).orElse(0L)
          + " parked command(s) of its ticket followed.";
    }
    return deleted
        .flatMap(DeadLetterPages::count)
        .map(
            d ->
                "Dead letter "
                    + d
                    + " deleted; the next parked command of its ticket, if any, was released.")
        .orElse(null);
  }

  private Route deadLetterList(Access.SignedIn who, String notice) {
    return layout.onDone(
        deadLetters.store().queries().list(500),
        list -> {
          Map<String, Object> c = layout.nav(who);
          c.put("letters", list.stream().map(DeadLetterView::of).toList());
          c.put("notice", notice);
          return layout.html(StatusCodes.OK, "console-dead-letters", c);
        });
  }

  private Route deadLetterPage(Access.SignedIn who, long id, StatusCode code, String error) {
    return layout.onDone(
        deadLetters.store().queries().find(id),
        found -> {
          if (found.isEmpty()) {
            return layout.message(
                who,
                StatusCodes.NOT_FOUND,
                "No such dead letter",
                "Dead letter " + id + " does not exist.");
          }
          DeadLetterView v = DeadLetterView.of(found.get());
          Map<String, Object> letter = new HashMap<>();
          letter.put("id", v.id());
          letter.put("messageId", v.messageId());
          letter.put("type", v.type());
          letter.put("status", v.status());
          letter.put("waitsFor", v.waitsFor());
          letter.put("error", v.error());
          letter.put("attempts", v.attempts());
          letter.put("firstFailedAt", v.firstFailedAt());
          letter.put("lastFailedAt", v.lastFailedAt());
          letter.put("bodySize", v.bodySize());
          letter.put("bodyTruncated", v.bodyTruncated());
          String text = v.body() != null ? v.body() : v.bodyBase64();
          letter.put("base64", v.body() == null);
          letter.put("shown", text.length() > BODY_SHOWN ? BODY_SHOWN : 0);
          letter.put("bodyText", text.length() > BODY_SHOWN ? text.substring(0, BODY_SHOWN) : text);
          letter.put("open", v.status().equals("failed") || v.status().equals("parked"));
          Map<String, Object> c = layout.nav(who);
          c.put("letter", letter);
          c.put("error", error);
          return layout.html(code, "console-dead-letter", c);
        });
  }

  private Route replay(Access.SignedIn who, long id, Map<String, String> f) {
    if (!"yes".equals(f.get("confirm"))) {
      return deadLetterPage(
          who, id, StatusCodes.BAD_REQUEST, "Tick the box to confirm the replay.");
    }
    String body = f.getOrDefault("body", "").strip();
    Optional<byte[]> replacement =
        body.isEmpty() ? Optional.empty() : Optional.of(body.getBytes(UTF_8));
    return HttpTracing.traceparent(
        trace ->
            layout.onDone(
                deadLetters.replay(id, replacement, trace),
                r -> {
                  if (r instanceof DeadLetters.Replayed.Applied applied) {
                    // (resolved, it has no page any more: back to the list)
                    // (post, redirect, get: reloading the list does not replay again)
                    return access.redirect(
                        "/console/dead-letters?replayed=" + id + "&released=" + applied.released());
                  }
                  if (r instanceof DeadLetters.Replayed.WrongTicket wrong) {
                    return deadLetterPage(who, id, StatusCodes.BAD_REQUEST, wrong.problem() + ".");
                  }
                  String why =
                      r instanceof DeadLetters.Replayed.FailedAgain failed
                          ? "Failed again: " + failed.error()
                          : r instanceof DeadLetters.Replayed.Busy busy
                              ? (busy.deadLetter().waitsFor() != null
                                  ? "It waits for "
                                      + busy.deadLetter().waitsFor()
                                      + ": replay or delete that one first."
                                  : "It is being replayed.")
                              : r instanceof DeadLetters.Replayed.Incomplete
                                  ? "Only the start of its body was kept: replay it with a corrected body, or delete it."
                                  : "It does not exist.";
                  return deadLetterPage(who, id, StatusCodes.CONFLICT, why);
                }));
  }

  private Route delete(Access.SignedIn who, long id, Map<String, String> f) {
    if (!"yes".equals(f.get("confirm"))) {
      return deadLetterPage(
          who, id, StatusCodes.BAD_REQUEST, "Tick the box to confirm the deletion.");
    }
    return HttpTracing.traceparent(
        trace ->
            layout.onDone(
                deadLetters.delete(id, trace),
                deleted ->
                    deleted.isPresent()
                        // (its page is gone with it: back to the list)
                        ? access.redirect("/console/dead-letters?deleted=" + id)
                        : layout.message(
                            who,
                            StatusCodes.NOT_FOUND,
                            "No such dead letter",
                            "Dead letter " + id + " does not exist.")));
  }

  private static Optional<Long> count(String raw) {
    try {
      long n = Long.parseLong(raw);
      return n >= 0 ? Optional.of(n) : Optional.empty();
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }
}
