package org.example.helpdesk.backoffice.deadletter;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.example.helpdesk.backoffice.auth.Access;
import org.example.helpdesk.backoffice.auth.Employee;
import org.example.helpdesk.platform.http.ApiDirectives;
import org.example.helpdesk.platform.http.ApiErrors;
import org.example.helpdesk.platform.http.Json;
import org.example.helpdesk.platform.logging.LogContext;

/**
 * The operators' console for messages the inbox gave up on: list, show, replay (with the stored
 * body, or a corrected one sent as the request body), delete.
 */
public final class DeadLetterRoutes extends ApiDirectives {

  private static final int MAX_LIMIT = 500;

  private final DeadLetters deadLetters;
  private final DeadLetterQueries store;
  private final Access access;

  public DeadLetterRoutes(DeadLetters deadLetters, Access access, long maxBodyBytes) {
    super(maxBodyBytes);
    this.deadLetters = deadLetters;
    this.store = deadLetters.store().queries();
    this.access = access;
  }

  /** A dead letter in JSON; a body that is not UTF-8 text is shown in base64. */
  public record DeadLetterView(
      long id,
      String messageId,
      String type,
      String body,
      String bodyBase64,
      int bodySize,
      boolean bodyTruncated,
      JsonNode headers,
      String error,
      Instant firstFailedAt,
      Instant lastFailedAt,
      int attempts,
      String status,
      java.util.UUID ticketId,
      String waitsFor,
      String traceId) {

    public static DeadLetterView of(DeadLetter d) {
      boolean truncated = !d.complete();
      String text = utf8(d.body(), truncated);
      return new DeadLetterView(
          d.id(),
          d.messageId(),
          d.type(),
          text,
          text == null ? Base64.getEncoder().encodeToString(d.body()) : null,
          d.bodySize(),
          truncated,
          parse(d.headersJson()),
          d.error(),
          d.firstFailedAt(),
          d.lastFailedAt(),
          d.attempts(),
          d.status().column(),
          d.ticketId(),
          d.waitsFor(),
          d.traceId());
    }
  }

  public Route routes() {
    return pathPrefix(
        "dead-letters",
        () ->
            access.api(
                Employee.Role.OPERATOR,
                employee ->
                    concat(
                        pathEndOrSingleSlash(() -> get(this::list)),
                        pathPrefix(
                            PathMatchers.segment(),
                            raw ->
                                id(
                                    raw,
                                    id ->
                                        concat(
                                            pathEnd(
                                                () ->
                                                    concat(
                                                        get(() -> show(id)),
                                                        delete(() -> remove(id)))),
                                            path("replay", () -> post(() -> replay(id)))))))));
  }

  private Route list() {
    return singleParameter(
        "limit",
        limit -> {
          int max;
          try {
            max = limit.map(Integer::parseInt).orElse(100);
          } catch (NumberFormatException e) {
            max = -1;
          }
          if (max < 1 || max > MAX_LIMIT) {
            return ApiErrors.complete(
                StatusCodes.BAD_REQUEST,
                "invalid query parameter 'limit': must be a whole number from 1 to " + MAX_LIMIT);
          }
          return onReply(
              store.list(max),
              letters -> json(StatusCodes.OK, letters.stream().map(DeadLetterView::of).toList()));
        });
  }

  private Route show(long id) {
    return onReply(
        store.find(id),
        found ->
            found
                .map(d -> json(StatusCodes.OK, DeadLetterView.of(d)))
                .orElseGet(() -> notFound(id)));
  }

  private Route remove(long id) {
    return traceparent(
        trace ->
            onReply(
                deadLetters.delete(id, trace),
                deleted -> deleted.isPresent() ? complete(StatusCodes.NO_CONTENT) : notFound(id)));
  }

  /**
   * Runs the message through the inbox's handling again, and then the commands of its ticket parked
   * behind it. A JSON request body replaces the stored message body (a corrected command).
   */
  private Route replay(long id) {
    return extractRequestEntity(
        entity ->
            // (isKnownEmpty, not a Content-Length of 0: a body sent with Content-Encoding is
            // decoded, and then has no length until it is read)
            entity.isKnownEmpty()
                ? replay(id, Optional.empty())
                : jsonBody(
                    JsonNode.class,
                    body -> replay(id, Optional.of(body.toString().getBytes(UTF_8)))));
  }

  private Route replay(long id, Optional<byte[]> replacement) {
    return traceparent(
        trace ->
            onReply(
                deadLetters.replay(id, replacement, trace),
                replayed -> {
                  if (replayed instanceof DeadLetters.Replayed.Applied applied) {
                    return json(
                        StatusCodes.OK,
                        Map.of(
                            "id",
                            id,
                            "messageId",
                            applied.deadLetter().messageId(),
                            "status",
                            "replayed",
                            "releasedParked",
                            applied.released()));
                  }
                  if (replayed instanceof DeadLetters.Replayed.WrongTicket wrong) {
                    return ApiErrors.complete(StatusCodes.BAD_REQUEST, wrong.problem());
                  }
                  if (replayed instanceof DeadLetters.Replayed.FailedAgain failed) {
                    return ApiErrors.complete(StatusCodes.CONFLICT, failed.error());
                  }
                  if (replayed instanceof DeadLetters.Replayed.Busy busy) {
                    DeadLetter d = busy.deadLetter();
                    return ApiErrors.complete(
                        StatusCodes.CONFLICT,
                        d.status() == DeadLetter.Status.PARKED
                            ? "dead letter "
                                + id
                                + " waits for "
                                + d.waitsFor()
                                + "; replay or delete that one first"
                            : "dead letter " + id + " is being replayed");
                  }
                  if (replayed instanceof DeadLetters.Replayed.Incomplete) {
                    return ApiErrors.complete(
                        StatusCodes.CONFLICT,
                        "only the start of dead letter "
                            + id
                            + "'s body was kept (it was larger than the inbox takes);"
                            + " replay it with a corrected body, or delete it");
                  }
                  return notFound(id);
                }));
  }

  private Route id(String raw, Function<Long, Route> inner) {
    try {
      long id = Long.parseLong(raw);
      return withLogContext(LogContext.DEAD_LETTER_ID, id, inner.apply(id));
    } catch (NumberFormatException e) {
      return ApiErrors.complete(StatusCodes.BAD_REQUEST, "dead letter id must be a number");
    }
  }

  private static Route notFound(long id) {
    return ApiErrors.complete(StatusCodes.NOT_FOUND, "dead letter " + id + " does not exist");
  }

  /** The body as text if it is UTF-8 (a cut body may end in half a character), else null. */
  private static String utf8(byte[] bytes, boolean truncated) {
    for (int cut = 0; cut <= (truncated ? Math.min(3, bytes.length) : 0); cut++) {
      try {
        return UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT)
            .decode(ByteBuffer.wrap(bytes, 0, bytes.length - cut))
            .toString();
      } catch (CharacterCodingException e) {
        // try without the last byte: it may be the start of a character that was cut off
      }
    }
    return null;
  }

  private static JsonNode parse(String json) {
    try {
      return Json.MAPPER.readTree(json);
    } catch (Exception e) {
      return Json.MAPPER.getNodeFactory().textNode(json);
    }
  }
}
