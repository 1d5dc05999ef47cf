package org.example.helpdesk.backoffice.ticket.web;

import java.util.Arrays;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.example.helpdesk.backoffice.auth.Access;
import org.example.helpdesk.backoffice.auth.Employee;
import org.example.helpdesk.backoffice.ticket.Ticket;
import org.example.helpdesk.backoffice.ticket.TicketHistory;
import org.example.helpdesk.backoffice.ticket.TicketReadModel;
import org.example.helpdesk.backoffice.ticket.TicketView;
import org.example.helpdesk.backoffice.ticket.Tickets;
import org.example.helpdesk.platform.http.ApiDirectives;
import org.example.helpdesk.platform.http.ApiErrors;
import org.example.helpdesk.platform.http.InvalidRequestException;
import org.example.helpdesk.platform.logging.LogContext;
import org.example.helpdesk.protocol.Assignee;
import org.example.helpdesk.protocol.Description;
import org.example.helpdesk.protocol.SupportReply;
import org.example.helpdesk.protocol.TicketType;

/** The tickets API employees use. */
public final class TicketRoutes extends ApiDirectives {

  private final Tickets tickets;
  private final TicketReadModel readModel;
  private final TicketHistory history;
  private final Access access;

  public TicketRoutes(
      Tickets tickets,
      TicketReadModel readModel,
      TicketHistory history,
      Access access,
      long maxBodyBytes) {
    super(maxBodyBytes);
    this.tickets = tickets;
    this.readModel = readModel;
    this.history = history;
    this.access = access;
  }

  /**
   * Body of {@code POST /tickets}: an internal ticket, which unlike the protocol's needs a
   * description that says something.
   */
  public record NewTicket(TicketType ticketType, Description description) {
    public NewTicket {
      required("ticketType", ticketType);
      required("description", description);
      if (description.isBlank()) {
        throw new InvalidRequestException("description must not be blank");
      }
    }
  }

  /** Body of {@code POST /tickets/{id}/assign}. */
  public record Assignment(Assignee assignee) {
    public Assignment {
      required("assignee", assignee);
    }
  }

  /** Body of {@code POST /tickets/{id}/answer}: what support writes back to the customer. */
  public record Reply(SupportReply reply) {
    public Reply {
      required("reply", reply);
    }
  }

  private static void required(String field, Object value) {
    if (value == null) {
      throw new InvalidRequestException(field + " is required");
    }
  }

  public record Created(UUID ticketId) {}

  public Route routes() {
    return pathPrefix(
        "tickets",
        () ->
            access.api(
                Employee.Role.AGENT,
                employee ->
                    concat(
                        pathEndOrSingleSlash(
                            () ->
                                concat(
                                    get(this::list),
                                    post(() -> jsonBody(NewTicket.class, this::create)))),
                        pathPrefix(
                            PathMatchers.segment(),
                            raw ->
                                uuid(
                                    raw,
                                    "ticketId",
                                    id ->
                                        concat(
                                            pathEnd(() -> get(() -> find(id))),
                                            path(
                                                "assign",
                                                () ->
                                                    post(
                                                        () ->
                                                            jsonBody(
                                                                Assignment.class,
                                                                a -> assign(id, a, employee)))),
                                            path(
                                                "answer",
                                                () ->
                                                    post(
                                                        () ->
                                                            jsonBody(
                                                                Reply.class,
                                                                r -> answer(id, r, employee)))),
                                            path("history", () -> get(() -> history(id))),
                                            path(
                                                "cancel",
                                                () -> post(() -> cancel(id, employee)))))))));
  }

  private Route list() {
    return singleParameter(
        "status",
        status ->
            singleParameter(
                "limit",
                limit -> {
                  Optional<Ticket.Status> wanted;
                  int max;
                  try {
                    wanted = status.map(TicketRoutes::status);
                    max = limit.map(TicketRoutes::limit).orElse(TicketReadModel.DEFAULT_LIMIT);
                  } catch (InvalidRequestException e) {
                    return ApiErrors.complete(StatusCodes.BAD_REQUEST, e.getMessage());
                  }
                  return onReply(readModel.latest(wanted, max), list -> json(StatusCodes.OK, list));
                }));
  }

  private Route find(UUID id) {
    return onReply(
        readModel.find(id),
        found ->
            found
                .map(t -> json(StatusCodes.OK, t))
                .orElseGet(
                    () ->
                        ApiErrors.complete(
                            StatusCodes.NOT_FOUND, "ticket " + id + " does not exist")));
  }

  private Route create(NewTicket body) {
    UUID id = UUID.randomUUID();
    return LogContext.with(
        LogContext.TICKET_ID,
        id,
        () ->
            traceparent(
                trace ->
                    onReply(
                        tickets.prepare(id, body.ticketType(), body.description(), trace),
                        view -> created("/tickets/" + id, new Created(id)))));
  }

  private Route assign(UUID id, Assignment body, Employee by) {
    return traceparent(
        trace ->
            onReply(
                tickets.assign(id, body.assignee(), by.name(), trace),
                view -> json(StatusCodes.OK, view)));
  }

  private Route answer(UUID id, Reply body, Employee by) {
    return traceparent(
        trace ->
            onReply(
                tickets.answer(id, by.name(), body.reply(), trace),
                view -> json(StatusCodes.OK, view)));
  }

  private Route history(UUID id) {
    return onReply(
        history.of(id),
        found ->
            found
                .map(entries -> json(StatusCodes.OK, entries))
                .orElseGet(
                    () ->
                        ApiErrors.complete(
                            StatusCodes.NOT_FOUND, "ticket " + id + " does not exist")));
  }

  private Route cancel(UUID id, Employee by) {
    return traceparent(
        trace -> onReply(tickets.cancel(id, by.name(), trace), view -> json(StatusCodes.OK, view)));
  }

  private static Ticket.Status status(String raw) {
    return TicketView.status(raw)
        .orElseThrow(
            () ->
                new InvalidRequestException(
                    "invalid query parameter 'status': must be one of "
                        + Arrays.stream(Ticket.Status.values())
                            .map(Ticket.Status::toString)
                            .collect(Collectors.joining(", "))));
  }

  private static int limit(String raw) {
    try {
      int n = Integer.parseInt(raw);
      if (n >= 1 && n <= TicketReadModel.MAX_LIMIT) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new InvalidRequestException(
        "invalid query parameter 'limit': must be a whole number from 1 to "
            + TicketReadModel.MAX_LIMIT);
  }
}
