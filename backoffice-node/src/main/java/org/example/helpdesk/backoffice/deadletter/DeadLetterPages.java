package org.example.helpdesk.backoffice.deadletter;

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
import org.example.helpdesk.platform.web.PageTime;

/**
 * The console's dead-letter pages for operators: the list, one letter with its body, and the forms
 * that replay (with the stored body or a corrected one) and delete it, in the console's layout. The
 * bulk actions have their own pages ({@link BulkDeadLetterPages}).
 */
public final class DeadLetterPages extends AllDirectives {

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
                    pathEnd(() -> get(() -> deadLetterPage(who, id, StatusCodes.OK, null, null))),
                    path("body", () -> get(() -> download(who, id))),
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
      long followed = released.flatMap(DeadLetterPages::count).orElse(0L);
      return "Dead letter "
          + r.get()
          + " replayed; "
          + followed
          + (followed == 1 ? " parked command" : " parked commands")
          + " of its ticket followed.";
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
          c.put("letters", list.stream().map(DeadLetterPages::row).toList());
          c.put("notice", notice);
          return layout.html(StatusCodes.OK, "console-dead-letters", c);
        });
  }

  /**
   * @param typed the body the operator sent, kept when its replay failed; null: the stored body
   */
  private Route deadLetterPage(
      Access.SignedIn who, long id, StatusCode code, String error, String typed) {
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
          Map<String, Object> c = layout.nav(who);
          c.put("letter", DeadLetterBody.letter(DeadLetterView.of(found.get()), typed));
          c.put("error", error);
          return layout.html(code, "console-dead-letter", c);
        });
  }

  /** The stored bytes as they are, to save: the page shows them as text. */
  private Route download(Access.SignedIn who, long id) {
    return layout.onDone(
        deadLetters.store().queries().find(id),
        found ->
            found
                .map(d -> complete(DeadLetterBody.download(d)))
                .orElseGet(
                    () ->
                        layout.message(
                            who,
                            StatusCodes.NOT_FOUND,
                            "No such dead letter",
                            "Dead letter " + id + " does not exist.")));
  }

  private static Map<String, Object> row(DeadLetter d) {
    DeadLetterView v = DeadLetterView.of(d);
    Map<String, Object> r = new HashMap<>();
    r.put("id", v.id());
    r.put("type", v.type());
    r.put("ticketId", v.ticketId());
    r.put("status", v.status());
    r.put("waitsFor", v.waitsFor());
    r.put("error", v.error());
    r.put("attempts", v.attempts());
    r.put("lastFailed", PageTime.of(v.lastFailedAt()));
    return r;
  }

  private Route replay(Access.SignedIn who, long id, Map<String, String> f) {
    if (!"yes".equals(f.get("confirm"))) {
      return deadLetterPage(
          who, id, StatusCodes.BAD_REQUEST, "Tick the box to confirm the replay.", f.get("body"));
    }
    String body = f.getOrDefault("body", "").strip();
    return HttpTracing.traceparent(
        trace ->
            layout.onDone(
                deadLetters
                    .store()
                    .queries()
                    .find(id)
                    .thenCompose(
                        stored ->
                            deadLetters.replay(
                                id, DeadLetterBody.replacement(stored, body), trace)),
                r -> {
                  if (r instanceof DeadLetters.Replayed.Applied applied) {
                    // (resolved, it has no page any more: back to the list)
                    // (post, redirect, get: reloading the list does not replay again)
                    return access.redirect(
                        "/console/dead-letters?replayed=" + id + "&released=" + applied.released());
                  }
                  if (r instanceof DeadLetters.Replayed.WrongTicket wrong) {
                    return deadLetterPage(
                        who, id, StatusCodes.BAD_REQUEST, wrong.problem() + ".", f.get("body"));
                  }
                  String why =
                      r instanceof DeadLetters.Replayed.FailedAgain failed
                          ? "Failed again: "
                              + ReplayErrors.inWords(failed.error())
                              + ". The error below keeps why it first failed."
                          : r instanceof DeadLetters.Replayed.Busy busy
                              ? (busy.deadLetter().waitsFor() != null
                                  ? "It waits for "
                                      + busy.deadLetter().waitsFor()
                                      + ": replay or delete that one first."
                                  : "It is being replayed.")
                              : r instanceof DeadLetters.Replayed.Incomplete
                                  ? "Only the start of its body was kept: replay it with a corrected body, or delete it."
                                  : "It does not exist.";
                  return deadLetterPage(who, id, StatusCodes.CONFLICT, why, f.get("body"));
                }));
  }

  private Route delete(Access.SignedIn who, long id, Map<String, String> f) {
    if (!"yes".equals(f.get("confirm"))) {
      return deadLetterPage(
          who, id, StatusCodes.BAD_REQUEST, "Tick the box to confirm the deletion.", null);
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
