package org.example.helpdesk.backoffice.deadletter;

import java.time.Instant;
import java.util.UUID;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.Route;
import org.example.helpdesk.backoffice.auth.Access;
import org.example.helpdesk.backoffice.auth.Employee;
import org.example.helpdesk.platform.http.ApiDirectives;

/**
 * {@code POST /dead-letters/bulk/replay} and {@code /dead-letters/bulk/delete}: the operators' bulk
 * actions of {@link BulkDeadLetters}. The body is the filter (every field optional: {@code {}}
 * takes every open letter), with {@code "dryRun": true} for the count alone. (Served before {@link
 * DeadLetterRoutes}, whose {@code /dead-letters/{id}} would take "bulk" for an id.)
 */
public final class BulkDeadLetterRoutes extends ApiDirectives {

  /** A bulk request: the filter, and whether to count only. */
  public record Request(
      String type,
      String error,
      UUID ticketId,
      String status,
      Instant since,
      Instant until,
      Long upToId,
      Boolean dryRun) {

    public Request {
      filter(type, error, ticketId, status, since, until, upToId); // 400 now when it is wrong
    }

    BulkDeadLetters.Filter filter() {
      return filter(type, error, ticketId, status, since, until, upToId);
    }

    private static BulkDeadLetters.Filter filter(
        String type,
        String error,
        UUID ticketId,
        String status,
        Instant since,
        Instant until,
        Long upToId) {
      return new BulkDeadLetters.Filter(type, error, ticketId, status, since, until, upToId);
    }
  }

  private final BulkDeadLetters bulk;
  private final Access access;

  public BulkDeadLetterRoutes(BulkDeadLetters bulk, Access access, long maxBodyBytes) {
    super(maxBodyBytes);
    this.bulk = bulk;
    this.access = access;
  }

  public Route routes() {
    return pathPrefix(
        "dead-letters",
        () ->
            pathPrefix(
                "bulk",
                () ->
                    access.api(
                        Employee.Role.OPERATOR,
                        employee ->
                            concat(
                                path(
                                    "replay",
                                    () ->
                                        post(
                                            () ->
                                                act(
                                                    BulkDeadLetters.Action.REPLAY,
                                                    employee.name()))),
                                path(
                                    "delete",
                                    () ->
                                        post(
                                            () ->
                                                act(
                                                    BulkDeadLetters.Action.DELETE,
                                                    employee.name())))))));
  }

  private Route act(BulkDeadLetters.Action action, String who) {
    return withRequestTimeout(BulkDeadLetters.REQUEST_TIMEOUT, () -> actNow(action, who));
  }

  private Route actNow(BulkDeadLetters.Action action, String who) {
    return jsonBody(
        Request.class,
        request ->
            Boolean.TRUE.equals(request.dryRun())
                ? onReply(bulk.preview(action, request.filter()), r -> json(StatusCodes.OK, r))
                : traceparent(
                    trace ->
                        onReply(
                            bulk.apply(action, request.filter(), who, trace),
                            r -> json(StatusCodes.OK, r))));
  }
}
