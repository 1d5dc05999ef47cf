package org.example.helpdesk.backoffice.ticket.web;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.apache.pekko.http.javadsl.marshalling.sse.EventStreamMarshalling;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.example.helpdesk.backoffice.auth.Access;
import org.example.helpdesk.backoffice.auth.Employee;
import org.example.helpdesk.backoffice.console.ConsoleLayout;
import org.example.helpdesk.backoffice.ticket.Ticket;
import org.example.helpdesk.backoffice.ticket.TicketHistory;
import org.example.helpdesk.backoffice.ticket.TicketReadModel;
import org.example.helpdesk.backoffice.ticket.TicketView;
import org.example.helpdesk.backoffice.ticket.Tickets;
import org.example.helpdesk.platform.concurrent.Futures;
import org.example.helpdesk.platform.domain.NotFoundException;
import org.example.helpdesk.platform.http.ApiDirectives;
import org.example.helpdesk.platform.http.RequestRules;
import org.example.helpdesk.platform.tracing.HttpTracing;
import org.example.helpdesk.platform.web.PageTime;
import org.example.helpdesk.protocol.Assignee;
import org.example.helpdesk.protocol.Description;
import org.example.helpdesk.protocol.InvalidValueException;
import org.example.helpdesk.protocol.SupportReply;
import org.example.helpdesk.protocol.TicketType;

/**
 * The console's ticket pages: the live list with filter and paging, a ticket's page with its
 * timeline, and the forms that assign, answer the customer, cancel and create (an internal ticket),
 * in the console's layout. Every form works without JavaScript; htmx makes the lists live ({@code
 * /console/events}).
 */
public final class TicketPages extends AllDirectives {

  /**
   * The reply form takes bodies up to 256 KiB: a reply of 10,000 characters of any script,
   * percent-encoded, takes up to 90,000 bytes, over the node's limit for JSON bodies.
   */
  public static final RequestRules.LargerBody ANSWER_FORM =
      new RequestRules.LargerBody(
          "POST",
          "/console/tickets/[0-9a-fA-F-]{36}/answer",
          "application/x-www-form-urlencoded",
          256 * 1024);

  private static final int PAGE_SIZE = 25;

  private final Access access;
  private final Tickets tickets;
  private final TicketReadModel readModel;
  private final TicketHistory history;
  private final TicketChanges changes;
  private final ConsoleLayout layout;

  public TicketPages(
      Access access,
      Tickets tickets,
      TicketReadModel readModel,
      TicketHistory history,
      TicketChanges changes,
      ConsoleLayout layout) {
    this.access = access;
    this.tickets = tickets;
    this.readModel = readModel;
    this.history = history;
    this.changes = changes;
    this.layout = layout;
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
                pathPrefix("tickets", () -> access.page(Employee.Role.AGENT, this::tickets))));
  }

  private Route tooManyStreams() {
    return complete(
        HttpResponse.create()
            .withStatus(StatusCodes.TOO_MANY_REQUESTS)
            .addHeader(RawHeader.create("Retry-After", "15"))
            .withEntity(
                "too many live pages open in this session (at most "
                    + TicketChanges.MAX_STREAMS_PER_SESSION
                    + "); close some"));
  }

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
                return layout.message(
                    who, StatusCodes.BAD_REQUEST, "No such ticket", "A ticket id is a UUID.");
              }
              return concat(
                  pathEnd(() -> get(() -> ticketPage(who, id, StatusCodes.OK, null, null))),
                  path(
                      "details",
                      () ->
                          get(
                              () ->
                                  layout.onDone(
                                      current(id),
                                      t ->
                                          layout.html(
                                              StatusCodes.OK,
                                              "console-ticket-details",
                                              ticketContext(who, t))))),
                  path(
                      "history",
                      () ->
                          get(
                              () ->
                                  layout.onDone(
                                      history.of(id),
                                      found -> {
                                        Map<String, Object> c = layout.nav(who);
                                        c.putAll(TicketTimeline.context(found.orElse(List.of())));
                                        return layout.html(
                                            StatusCodes.OK, "console-ticket-history", c);
                                      }))),
                  path(
                      "answer",
                      () ->
                          post(
                              () ->
                                  formFieldMap(
                                      f -> access.form(who, f, () -> answer(who, id, f))))),
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
    return layout.single(
        who,
        "status",
        status ->
            layout.single(
                who,
                "page",
                page -> {
                  Optional<Ticket.Status> wanted =
                      status.filter(s -> !s.isEmpty()).flatMap(TicketView::status);
                  int n = page.flatMap(TicketRows::pageNumber).orElse(1);
                  return inner.apply(wanted, n);
                }));
  }

  private Route ticketList(
      Access.SignedIn who, Optional<Ticket.Status> status, int page, String template) {
    return layout.onDone(
        readModel.latest(status, PAGE_SIZE + 1, (page - 1) * PAGE_SIZE),
        rows -> {
          Map<String, Object> c = layout.nav(who);
          List<Map<String, Object>> shown = new ArrayList<>();
          for (TicketView t : rows.subList(0, Math.min(PAGE_SIZE, rows.size()))) {
            shown.add(TicketRows.row(t));
          }
          String statusParam = status.map(Ticket.Status::toString).orElse("");
          c.put("tickets", shown);
          c.put("filtered", status.isPresent());
          c.put("page", page);
          c.put("query", TicketRows.query(statusParam, page));
          c.put("previous", page > 1 ? TicketRows.query(statusParam, page - 1) : null);
          c.put("next", rows.size() > PAGE_SIZE ? TicketRows.query(statusParam, page + 1) : null);
          List<Map<String, Object>> options = new ArrayList<>();
          options.add(Map.of("value", "", "label", "all", "selected", statusParam.isEmpty()));
          for (Ticket.Status s : Ticket.Status.values()) {
            String name = s.toString();
            options.add(Map.of("value", name, "label", name, "selected", name.equals(statusParam)));
          }
          c.put("statuses", options);
          return layout.html(StatusCodes.OK, template, c);
        });
  }

  /**
   * The ticket as its entity has it: the page after an employee's change (or a new ticket) shows
   * that change at once, where the read model may not have it yet. Should the entity not answer
   * (its shard moving, say), the read model's row is better than no page.
   */
  private CompletionStage<Optional<TicketView>> current(UUID id) {
    return tickets
        .get(id)
        .thenApply(Optional::of)
        .exceptionallyCompose(
            failure ->
                Futures.unwrap(failure) instanceof NotFoundException
                    ? CompletableFuture.completedFuture(Optional.empty())
                    : readModel.find(id));
  }

  /** {@code typedReply}: what the reply form held when it was refused, to keep; else null. */
  private Route ticketPage(
      Access.SignedIn who, UUID id, StatusCode code, String error, String typedReply) {
    CompletionStage<Optional<List<TicketHistory.Entry>>> events = history.of(id);
    return layout.onDone(
        current(id).thenCombine(events, Map::entry),
        both -> {
          Optional<TicketView> found = both.getKey();
          List<TicketHistory.Entry> entries = both.getValue().orElse(List.of());
          if (found.isEmpty() && error == null) {
            return layout.message(
                who, StatusCodes.NOT_FOUND, "No such ticket", "Ticket " + id + " does not exist.");
          }
          Map<String, Object> c = ticketContext(who, found);
          c.put("error", error);
          c.putAll(TicketTimeline.context(entries));
          c.put("answerable", found.isPresent() && TicketTimeline.answerable(entries));
          c.put("typedReply", typedReply);
          return layout.html(code, "console-ticket", c);
        });
  }

  private Map<String, Object> ticketContext(Access.SignedIn who, Optional<TicketView> ticket) {
    Map<String, Object> c = layout.nav(who);
    c.put("ticket", ticket.orElse(null));
    ticket.ifPresent(
        t -> {
          c.put("prepared", PageTime.of(t.preparedAt()));
          c.put("changed", PageTime.of(t.updatedAt()));
          // the customer service cancels for the customer, who closed their issue
          c.put(
              "cancelledByWhom",
              Ticket.CUSTOMER_SERVICE.equals(t.cancelledBy()) ? "the customer" : t.cancelledBy());
        });
    boolean cancelled = ticket.map(t -> t.status() == Ticket.Status.CANCELLED).orElse(true);
    c.put("cancelled", cancelled);
    c.put("employees", access.employees().names());
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
                        : layout.message(
                            who,
                            ConsoleLayout.statusOf(result.failed().get()),
                            "Ticket not created",
                            ConsoleLayout.errorOf(result.failed().get()))));
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
          who, id, StatusCodes.BAD_REQUEST, "Tick the box to confirm the cancellation.", null);
    }
    return HttpTracing.traceparent(
        trace -> backToTicket(who, id, tickets.cancel(id, who.employee().name(), trace)));
  }

  /** A reply to the customer; the page keeps what was typed when it is refused. */
  private Route answer(Access.SignedIn who, UUID id, Map<String, String> f) {
    String reply = f.getOrDefault("reply", "");
    return HttpTracing.traceparent(
        trace ->
            backToTicket(
                who,
                id,
                valid(
                    () ->
                        tickets.answer(id, who.employee().name(), new SupportReply(reply), trace)),
                reply));
  }

  /**
   * The answer to a change of a ticket: its page again, by redirect when the change is done (post,
   * redirect, get), or at once with the reason when it is refused.
   */
  private Route backToTicket(Access.SignedIn who, UUID id, CompletionStage<?> change) {
    return backToTicket(who, id, change, null);
  }

  private Route backToTicket(
      Access.SignedIn who, UUID id, CompletionStage<?> change, String typedReply) {
    return onComplete(
        change,
        result ->
            result.isSuccess()
                ? access.redirect("/console/tickets/" + id)
                : ticketPage(
                    who,
                    id,
                    ConsoleLayout.statusOf(result.failed().get()),
                    ConsoleLayout.errorOf(result.failed().get()),
                    typedReply));
  }

  /** What a form asks of a ticket; a field that breaks its rules fails it (a 400 page). */
  private static <T> CompletionStage<T> valid(Supplier<CompletionStage<T>> call) {
    try {
      return call.get();
    } catch (InvalidValueException e) {
      return CompletableFuture.failedFuture(e);
    }
  }
}
