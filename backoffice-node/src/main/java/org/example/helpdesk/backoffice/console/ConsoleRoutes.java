package org.example.helpdesk.backoffice.console;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.net.URLEncoder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.apache.pekko.http.javadsl.marshalling.sse.EventStreamMarshalling;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.example.helpdesk.backoffice.auth.Access;
import org.example.helpdesk.backoffice.auth.Employee;
import org.example.helpdesk.backoffice.inbox.DeadLetterRoutes.DeadLetterView;
import org.example.helpdesk.backoffice.inbox.DeadLetters;
import org.example.helpdesk.backoffice.ticket.Ticket;
import org.example.helpdesk.backoffice.ticket.TicketReadModel;
import org.example.helpdesk.backoffice.ticket.TicketView;
import org.example.helpdesk.backoffice.ticket.Tickets;
import org.example.helpdesk.platform.http.ApiDirectives;
import org.example.helpdesk.platform.http.ApiErrors;
import org.example.helpdesk.platform.tracing.HttpTracing;
import org.example.helpdesk.platform.web.Pages;
import org.example.helpdesk.protocol.Assignee;
import org.example.helpdesk.protocol.Description;
import org.example.helpdesk.protocol.InvalidValueException;
import org.example.helpdesk.protocol.TicketType;

/**
 * The employees' console: tickets (live list with filter and paging, detail, assign, cancel, new
 * internal ticket), dead letters for operators (list, body, replay, delete), and a status strip.
 * Every form works without JavaScript; htmx makes the lists live.
 */
public final class ConsoleRoutes extends AllDirectives {

  private static final int PAGE_SIZE = 25;
  private static final int BODY_SHOWN = 4_096;

  private final Access access;
  private final Tickets tickets;
  private final TicketReadModel readModel;
  private final DeadLetters deadLetters;
  private final TicketChanges changes;
  private final StatusStrip status;

  public ConsoleRoutes(
      Access access,
      Tickets tickets,
      TicketReadModel readModel,
      DeadLetters deadLetters,
      TicketChanges changes,
      StatusStrip status) {
    this.access = access;
    this.tickets = tickets;
    this.readModel = readModel;
    this.deadLetters = deadLetters;
    this.changes = changes;
    this.status = status;
  }

  public Route routes() {
    return pathPrefix(
        "console",
        () ->
            concat(
                path(
                    "events",
                    () ->
                        get(
                            () ->
                                access.page(
                                    Employee.Role.AGENT,
                                    who ->
                                        changes
                                            .forSession(who, name -> access.employees().named(name))
                                            .<Route>map(
                                                events ->
                                                    completeOK(
                                                        events,
                                                        EventStreamMarshalling.toEventStream()))
                                            .orElseGet(this::tooManyStreams)))),
                path(
                    "status",
                    () ->
                        agentsGet(
                            () ->
                                onDone(
                                    status.read(),
                                    v -> html(StatusCodes.OK, "console-status", v)))),
                pathPrefix("tickets", () -> access.page(Employee.Role.AGENT, this::tickets)),
                pathPrefix(
                    "dead-letters", () -> access.page(Employee.Role.OPERATOR, this::deadLetters))));
  }

  private Route tooManyStreams() {
    return complete(
        org.apache.pekko.http.javadsl.model.HttpResponse.create()
            .withStatus(StatusCodes.TOO_MANY_REQUESTS)
            .addHeader(
                org.apache.pekko.http.javadsl.model.headers.RawHeader.create("Retry-After", "15"))
            .withEntity(
                "too many live pages open in this session (at most "
                    + TicketChanges.MAX_STREAMS_PER_SESSION
                    + "); close some"));
  }

  /** A GET that any signed-in agent may make; it does not depend on who they are. */
  private Route agentsGet(Supplier<Route> inner) {
    return get(() -> access.page(Employee.Role.AGENT, who -> inner.get()));
  }

  // ---- tickets ---------------------------------------------------------------------------------

  private Route tickets(Access.SignedIn who) {
    return concat(
        pathEndOrSingleSlash(
            () ->
                concat(
                    get(
                        () ->
                            listParams(
                                who, (st, page) -> ticketList(who, st, page, "console-tickets"))),
                    post(() -> formFieldMap(f -> access.form(who, f, () -> create(who, f)))))),
        path(
            "rows",
            () ->
                get(
                    () ->
                        listParams(
                            who, (st, page) -> ticketList(who, st, page, "console-ticket-rows")))),
        pathPrefix(
            PathMatchers.segment(),
            raw -> {
              UUID id;
              try {
                id = ApiDirectives.parseUuid(raw);
              } catch (IllegalArgumentException e) {
                return message(
                    who, StatusCodes.BAD_REQUEST, "No such ticket", "A ticket id is a UUID.");
              }
              return concat(
                  pathEnd(() -> get(() -> ticketPage(who, id, StatusCodes.OK, null))),
                  path(
                      "details",
                      () ->
                          get(
                              () ->
                                  onDone(
                                      readModel.find(id),
                                      t ->
                                          html(
                                              StatusCodes.OK,
                                              "console-ticket-details",
                                              ticketContext(who, t))))),
                  path(
                      "assign",
                      () ->
                          post(
                              () ->
                                  formFieldMap(
                                      f -> access.form(who, f, () -> assign(who, id, f))))),
                  path(
                      "cancel",
                      () ->
                          post(
                              () ->
                                  formFieldMap(
                                      f -> access.form(who, f, () -> cancel(who, id, f))))));
            }));
  }

  private interface ListHandler {
    Route apply(Optional<Ticket.Status> status, int page);
  }

  private Route listParams(Access.SignedIn who, ListHandler inner) {
    return single(
        who,
        "status",
        status ->
            single(
                who,
                "page",
                page -> {
                  Optional<Ticket.Status> wanted =
                      status.filter(s -> !s.isEmpty()).flatMap(TicketView::status);
                  int n = page.flatMap(ConsoleRoutes::number).orElse(1);
                  return inner.apply(wanted, n);
                }));
  }

  /** A query parameter given at most once: a page naming it when it is repeated (as the API). */
  private Route single(
      Access.SignedIn who,
      String name,
      java.util.function.Function<Optional<String>, Route> inner) {
    return ApiDirectives.singleParameter(
        name, problem -> message(who, StatusCodes.BAD_REQUEST, "Invalid address", problem), inner);
  }

  private Route ticketList(
      Access.SignedIn who, Optional<Ticket.Status> status, int page, String template) {
    return onDone(
        readModel.latest(status, PAGE_SIZE + 1, (page - 1) * PAGE_SIZE),
        rows -> {
          Map<String, Object> c = nav(who);
          List<Map<String, Object>> shown = new ArrayList<>();
          for (TicketView t : rows.subList(0, Math.min(PAGE_SIZE, rows.size()))) {
            shown.add(row(t));
          }
          String statusParam = status.map(Ticket.Status::toString).orElse("");
          c.put("tickets", shown);
          c.put("filtered", status.isPresent());
          c.put("page", page);
          c.put("query", query(statusParam, page));
          c.put("previous", page > 1 ? query(statusParam, page - 1) : null);
          c.put("next", rows.size() > PAGE_SIZE ? query(statusParam, page + 1) : null);
          List<Map<String, Object>> options = new ArrayList<>();
          options.add(Map.of("value", "", "label", "all", "selected", statusParam.isEmpty()));
          for (Ticket.Status s : Ticket.Status.values()) {
            String name = s.toString();
            options.add(Map.of("value", name, "label", name, "selected", name.equals(statusParam)));
          }
          c.put("statuses", options);
          return html(StatusCodes.OK, template, c);
        });
  }

  private Route ticketPage(Access.SignedIn who, UUID id, StatusCode code, String error) {
    return onDone(
        readModel.find(id),
        found -> {
          if (found.isEmpty() && error == null) {
            return message(
                who,
                StatusCodes.NOT_FOUND,
                "No such ticket",
                "Ticket " + id + " does not exist (or is not in the read model yet).");
          }
          Map<String, Object> c = ticketContext(who, found);
          c.put("error", error);
          c.put("cancelled", found.map(t -> t.status() == Ticket.Status.CANCELLED).orElse(true));
          return html(code, "console-ticket", c);
        });
  }

  private Map<String, Object> ticketContext(Access.SignedIn who, Optional<TicketView> ticket) {
    Map<String, Object> c = nav(who);
    c.put("ticket", ticket.orElse(null));
    return c;
  }

  private Route create(Access.SignedIn who, Map<String, String> f) {
    String type = f.getOrDefault("ticketType", "").strip();
    String description = f.getOrDefault("description", "");
    UUID id = UUID.randomUUID();
    return HttpTracing.traceparent(
        trace ->
            onComplete(
                valid(
                    () ->
                        tickets.prepare(
                            id, new TicketType(type), new Description(description), trace)),
                result ->
                    result.isSuccess()
                        ? access.redirect("/console/tickets/" + id)
                        : message(
                            who,
                            statusOf(result.failed().get()),
                            "Ticket not created",
                            errorOf(result.failed().get()))));
  }

  private Route assign(Access.SignedIn who, UUID id, Map<String, String> f) {
    return HttpTracing.traceparent(
        trace ->
            backToTicket(
                who,
                id,
                valid(
                    () ->
                        tickets.assign(
                            id,
                            new Assignee(f.getOrDefault("assignee", "")),
                            who.employee().name(),
                            trace))));
  }

  private Route cancel(Access.SignedIn who, UUID id, Map<String, String> f) {
    if (!"yes".equals(f.get("confirm"))) {
      return ticketPage(
          who, id, StatusCodes.BAD_REQUEST, "Tick the box to confirm the cancellation.");
    }
    return HttpTracing.traceparent(
        trace -> backToTicket(who, id, tickets.cancel(id, who.employee().name(), trace)));
  }

  /**
   * The answer to a change of a ticket: its page again, by redirect when the change is done (post,
   * redirect, get), or at once with the reason when it is refused.
   */
  private Route backToTicket(Access.SignedIn who, UUID id, CompletionStage<?> change) {
    return onComplete(
        change,
        result ->
            result.isSuccess()
                ? access.redirect("/console/tickets/" + id)
                : ticketPage(
                    who, id, statusOf(result.failed().get()), errorOf(result.failed().get())));
  }

  // ---- dead letters ----------------------------------------------------------------------------

  private Route deadLetters(Access.SignedIn who) {
    return concat(
        pathEndOrSingleSlash(
            () ->
                get(
                    () ->
                        single(
                            who,
                            "replayed",
                            replayed ->
                                single(
                                    who,
                                    "released",
                                    released ->
                                        single(
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
    Optional<Long> r = replayed.flatMap(ConsoleRoutes::count);
    if (r.isPresent()) {
      return "Dead letter "
          + r.get()
          + " replayed; "
          + released.flatMap(ConsoleRoutes::count).orElse(0L)
          + " parked command(s) of its ticket followed.";
    }
    return deleted
        .flatMap(ConsoleRoutes::count)
        .map(
            d ->
                "Dead letter "
                    + d
                    + " deleted; the next parked command of its ticket, if any, was released.")
        .orElse(null);
  }

  private Route deadLetterList(Access.SignedIn who, String notice) {
    return onDone(
        deadLetters.store().list(500),
        list -> {
          Map<String, Object> c = nav(who);
          c.put("letters", list.stream().map(DeadLetterView::of).toList());
          c.put("notice", notice);
          return html(StatusCodes.OK, "console-dead-letters", c);
        });
  }

  private Route deadLetterPage(Access.SignedIn who, long id, StatusCode code, String error) {
    return onDone(
        deadLetters.store().find(id),
        found -> {
          if (found.isEmpty()) {
            return message(
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
          Map<String, Object> c = nav(who);
          c.put("letter", letter);
          c.put("error", error);
          return html(code, "console-dead-letter", c);
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
            onDone(
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
            onDone(
                deadLetters.delete(id, trace),
                deleted ->
                    deleted.isPresent()
                        // (its page is gone with it: back to the list)
                        ? access.redirect("/console/dead-letters?deleted=" + id)
                        : message(
                            who,
                            StatusCodes.NOT_FOUND,
                            "No such dead letter",
                            "Dead letter " + id + " does not exist.")));
  }

  // ---- helpers ---------------------------------------------------------------------------------

  private Map<String, Object> nav(Access.SignedIn who) {
    Map<String, Object> c = new HashMap<>();
    c.put("employee", who.employee().name());
    c.put("role", who.employee().role().label());
    c.put("operator", who.employee().may(Employee.Role.OPERATOR));
    c.put("csrf", who.csrf());
    return c;
  }

  private static Map<String, Object> row(TicketView t) {
    Map<String, Object> r = new HashMap<>();
    r.put("ticketId", t.ticketId());
    r.put("ticketType", t.ticketType().value());
    String d = t.description().value();
    r.put(
        "shortDescription",
        d.isBlank() ? "(no description)" : d.length() > 120 ? d.substring(0, 120) + "…" : d);
    r.put("status", t.status());
    r.put("assignee", t.assignee() == null ? null : t.assignee().value());
    r.put("preparedAt", t.preparedAt());
    return r;
  }

  private Route message(Access.SignedIn who, StatusCode code, String title, String message) {
    Map<String, Object> c = nav(who);
    c.put("title", title);
    c.put("message", message);
    return html(code, "console-message", c);
  }

  private Route html(StatusCode code, String template, Object context) {
    return complete(Pages.response(code, template, context));
  }

  private <T> Route onDone(CompletionStage<T> stage, java.util.function.Function<T, Route> inner) {
    return onComplete(
        stage,
        result ->
            result.isSuccess()
                ? inner.apply(result.get())
                : complete(asPage(ApiErrors.responseFor(result.failed().get()))));
  }

  private static HttpResponse asPage(HttpResponse json) {
    String text = json.status().reason();
    return json.withEntity(
        HttpEntities.create(
            ContentTypes.TEXT_HTML_UTF8,
            Pages.render(
                "console-message",
                Map.of(
                    "title",
                    text,
                    "message",
                    "The backoffice could not answer: " + text + ". Try again in a moment."))));
  }

  private static StatusCode statusOf(Throwable failure) {
    return ApiErrors.responseFor(failure).status();
  }

  private static String errorOf(Throwable failure) {
    HttpResponse r = ApiErrors.responseFor(failure);
    try {
      return org.example.helpdesk.platform.http.Json.MAPPER
          .readTree(
              ((org.apache.pekko.http.javadsl.model.HttpEntity.Strict) r.entity())
                  .getData()
                  .toArray())
          .path("error")
          .asText();
    } catch (Exception e) {
      return r.status().reason();
    }
  }

  /** What a form asks of a ticket; a field that breaks its rules fails it (a 400 page). */
  private static <T> CompletionStage<T> valid(Supplier<CompletionStage<T>> call) {
    try {
      return call.get();
    } catch (InvalidValueException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private static Optional<Long> count(String raw) {
    try {
      long n = Long.parseLong(raw);
      return n >= 0 ? Optional.of(n) : Optional.empty();
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static Optional<Integer> number(String raw) {
    try {
      int n = Integer.parseInt(raw);
      return n >= 1 && n <= 10_000 ? Optional.of(n) : Optional.empty();
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static String query(String status, int page) {
    return "status=" + URLEncoder.encode(status, UTF_8) + "&page=" + page;
  }
}
