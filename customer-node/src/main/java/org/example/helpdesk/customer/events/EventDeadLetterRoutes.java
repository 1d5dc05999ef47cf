package org.example.helpdesk.customer.events;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.example.helpdesk.customer.issue.Issue;
import org.example.helpdesk.customer.issue.IssueJson;
import org.example.helpdesk.customer.issue.IssueRoutes;
import org.example.helpdesk.platform.concurrent.Futures;
import org.example.helpdesk.platform.http.ApiDirectives;
import org.example.helpdesk.platform.http.ApiErrors;
import org.example.helpdesk.platform.http.Json;
import org.example.helpdesk.platform.projection.admin.AdminToken;

/**
 * The ticket events the inbox could not record, for an operator, behind the admin token: {@code GET
 * /admin/dead-letters} (oldest first, without bodies), {@code GET /admin/dead-letters/{id}} (with
 * the body as kept), {@code POST /admin/dead-letters/{id}/replay} (handled again as it was stored:
 * recorded, it is removed; refused again, it stays with the new reason added) and {@code DELETE
 * /admin/dead-letters/{id}}.
 */
public final class EventDeadLetterRoutes extends ApiDirectives {

  /** Dead letters per page of the list. */
  static final int PAGE = 100;

  /** A dead letter in the list. */
  public record Listed(
      long id,
      String messageId,
      String type,
      UUID issueId,
      String reason,
      List<EventDeadLetter.ReplayFailure> replayFailures,
      int bodySize,
      Instant firstFailedAt,
      Instant lastFailedAt,
      int attempts) {}

  /** The list: {@code next}, the {@code after} of the next page, or null when this is the last. */
  public record Page(List<Listed> deadLetters, Long next) {}

  /**
   * One dead letter with its message: {@code body} as UTF-8 text (a malformed byte shown as
   * U+FFFD), {@code bodyBase64} byte for byte; {@code bodyComplete}: false when only its start was
   * kept.
   */
  public record Shown(
      Listed deadLetter,
      JsonNode properties,
      String body,
      String bodyBase64,
      boolean bodyComplete) {}

  /** A replay that was recorded: the issue as it is now (as {@code GET /issues/{id}} shows it). */
  public record Replayed(long id, String messageId, IssueNow issue) {}

  /** The issue after the replayed event: its status and how far support got. */
  public record IssueNow(java.util.UUID issueId, String status, String progress) {}

  private final EventDeadLetters deadLetters;
  private final TicketEventHandling handling;
  private final AdminToken admin;

  public EventDeadLetterRoutes(
      EventDeadLetters deadLetters,
      TicketEventHandling handling,
      AdminToken admin,
      long maxBodyBytes) {
    super(maxBodyBytes);
    this.deadLetters = deadLetters;
    this.handling = handling;
    this.admin = admin;
  }

  public Route routes() {
    return pathPrefix(
        PathMatchers.segment("admin").slash("dead-letters"),
        () ->
            admin.guard(
                concat(
                    pathEndOrSingleSlash(() -> get(this::list)),
                    path(
                        PathMatchers.longSegment(),
                        id ->
                            concat(
                                get(() -> show(id)),
                                delete(
                                    () ->
                                        onReply(
                                            deadLetters.delete(id),
                                            deleted ->
                                                deleted
                                                    ? complete(StatusCodes.NO_CONTENT)
                                                    : notFound(id))))),
                    path(
                        PathMatchers.longSegment().slash("replay"),
                        id -> post(() -> traceparent(tp -> replay(id, tp)))))));
  }

  private Route list() {
    return singleParameter(
        "after",
        after -> {
          long from;
          try {
            from = after.map(Long::parseLong).orElse(0L);
          } catch (NumberFormatException e) {
            return ApiErrors.complete(
                StatusCodes.BAD_REQUEST, "invalid query parameter 'after': not a number");
          }
          return onReply(
              deadLetters.list(from, PAGE + 1),
              letters -> {
                List<Listed> page =
                    letters.stream().limit(PAGE).map(EventDeadLetterRoutes::listed).toList();
                Long next = letters.size() > PAGE ? page.get(PAGE - 1).id() : null;
                return json(StatusCodes.OK, new Page(page, next));
              });
        });
  }

  private Route show(long id) {
    return onReply(
        deadLetters.get(id),
        letter -> letter.map(l -> json(StatusCodes.OK, shown(l))).orElseGet(() -> notFound(id)));
  }

  /** 200 recorded and removed; 409 refused again (kept, reason added), or an earlier one first. */
  private Route replay(long id, String traceparent) {
    return onReply(
        deadLetters
            .get(id)
            .thenCompose(
                letter ->
                    letter.isEmpty()
                        ? CompletableFuture.completedFuture(notFoundResponse(id))
                        : replay(letter.get(), traceparent)),
        this::complete);
  }

  private CompletionStage<HttpResponse> replay(EventDeadLetter letter, String traceparent) {
    return deadLetters
        .earlierOf(letter)
        .thenCompose(
            earlier -> {
              if (earlier.isPresent()) {
                return CompletableFuture.completedFuture(
                    ApiErrors.response(
                        StatusCodes.CONFLICT,
                        "dead letter "
                            + letter.messageId()
                            + " waits behind "
                            + earlier.get()
                            + ", an earlier event of issue "
                            + letter.issueId()
                            + ": replay or delete that one first"));
              }
              return handling
                  .handle(letter.message(traceparent))
                  .handle(
                      (outcome, failure) ->
                          failure == null
                              ? settled(letter, outcome)
                              : kept(
                                  letter,
                                  "could not be recorded now, try again later: "
                                      + Futures.unwrap(failure).getMessage(),
                                  StatusCodes.SERVICE_UNAVAILABLE))
                  .thenCompose(response -> response);
            });
  }

  private CompletionStage<HttpResponse> settled(
      EventDeadLetter letter, TicketEventHandling.Outcome outcome) {
    if (outcome instanceof TicketEventHandling.Rejected rejected) {
      return kept(letter, rejected.reason(), StatusCodes.CONFLICT);
    }
    Issue.Summary issue = ((TicketEventHandling.Recorded) outcome).issue();
    return deadLetters
        .delete(letter.id())
        .thenApply(
            deleted ->
                jsonResponse(
                    new Replayed(
                        letter.id(),
                        letter.messageId(),
                        new IssueNow(
                            issue.issueId(),
                            IssueRoutes.statusName(issue.status()),
                            IssueJson.name(issue.progress())))));
  }

  private CompletionStage<HttpResponse> kept(
      EventDeadLetter letter,
      String reason,
      org.apache.pekko.http.javadsl.model.StatusCode status) {
    return deadLetters
        .replayFailed(letter.id(), reason)
        .thenApply(
            done ->
                ApiErrors.response(status, "replay failed, the dead letter is kept: " + reason));
  }

  private static Listed listed(EventDeadLetter l) {
    return new Listed(
        l.id(),
        l.messageId(),
        l.type(),
        l.issueId(),
        l.reason(),
        l.replayFailures(),
        l.bodySize(),
        l.firstFailedAt(),
        l.lastFailedAt(),
        l.attempts());
  }

  private static Shown shown(EventDeadLetter l) {
    JsonNode properties;
    try {
      properties = Json.MAPPER.readTree(l.headersJson());
    } catch (IOException e) {
      properties = Json.MAPPER.createObjectNode();
    }
    return new Shown(
        listed(l),
        properties,
        new String(l.body(), UTF_8),
        Base64.getEncoder().encodeToString(l.body()),
        l.complete());
  }

  private static HttpResponse jsonResponse(Object body) {
    try {
      return HttpResponse.create()
          .withStatus(StatusCodes.OK)
          .withEntity(
              org.apache.pekko.http.javadsl.model.ContentTypes.APPLICATION_JSON,
              Json.MAPPER.writeValueAsBytes(body));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static Route notFound(long id) {
    return ApiErrors.complete(StatusCodes.NOT_FOUND, "no dead letter " + id);
  }

  private static HttpResponse notFoundResponse(long id) {
    return ApiErrors.response(StatusCodes.NOT_FOUND, "no dead letter " + id);
  }
}
