package org.example.helpdesk.backoffice.inbox;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.function.Function;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.example.helpdesk.platform.http.ApiDirectives;
import org.example.helpdesk.platform.http.ApiErrors;
import org.example.helpdesk.platform.http.Json;

/** The operators' console for messages the inbox gave up on: list, replay, delete. */
public final class DeadLetterRoutes extends ApiDirectives {

  private static final int MAX_LIMIT = 500;

  private final DeadLetterStore store;
  private final CommandHandling handling;

  public DeadLetterRoutes(DeadLetterStore store, CommandHandling handling) {
    super(0);
    this.store = store;
    this.handling = handling;
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
      int attempts) {

    static DeadLetterView of(DeadLetter d) {
      boolean truncated = d.body().length < d.bodySize();
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
          d.attempts());
    }
  }

  public Route routes() {
    return pathPrefix(
        "dead-letters",
        () ->
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
                                    path("replay", () -> post(() -> replay(id))))))));
  }

  private Route list() {
    return parameterOptional(
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
    return onReply(
        store.delete(id),
        deleted -> deleted ? complete(StatusCodes.NO_CONTENT) : notFound(id));
  }

  /** Runs the message through the inbox's handling again. */
  private Route replay(long id) {
    return onReply(
        store.find(id),
        found ->
            found
                .map(
                    d ->
                        onReply(
                            handling.handle(InboundMessage.replayed(d.messageId(), d.type(), d.body(), d.headersJson())),
                            outcome -> {
                              if (outcome instanceof CommandHandling.Rejected rejected) {
                                return onReply(
                                    store.replayFailed(id, rejected.error()),
                                    done -> ApiErrors.complete(StatusCodes.CONFLICT, rejected.error()));
                              }
                              return onReply(
                                  store.delete(id),
                                  deleted ->
                                      json(StatusCodes.OK, Map.of("id", id, "messageId", d.messageId(), "status", "replayed")));
                            }))
                .orElseGet(() -> notFound(id)));
  }

  private Route id(String raw, Function<Long, Route> inner) {
    try {
      return inner.apply(Long.parseLong(raw));
    } catch (NumberFormatException e) {
      return ApiErrors.complete(StatusCodes.BAD_REQUEST, "dead letter id must be a number");
    }
  }

  private static Route notFound(long id) {
    return ApiErrors.complete(StatusCodes.NOT_FOUND, "dead letter " + id + " does not exist");
  }

  private static String utf8(byte[] bytes, boolean truncated) {
    try {
      return UTF_8
          .newDecoder()
          .onMalformedInput(truncated ? CodingErrorAction.REPLACE : CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  private static JsonNode parse(String json) {
    try {
      return Json.MAPPER.readTree(json);
    } catch (Exception e) {
      return Json.MAPPER.getNodeFactory().textNode(json);
    }
  }
}
