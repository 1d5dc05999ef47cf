package org.example.helpdesk.platform.http;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.HttpCharsets;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.MediaType;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.Location;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.server.directives.RouteAdapter;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;
import org.example.helpdesk.platform.logging.LogContext;
import org.example.helpdesk.protocol.JsonFieldErrors;
import org.example.helpdesk.protocol.TextRules;

/** Directives every JSON API of the nodes uses: strict bodies, ids in paths, replies. */
public abstract class ApiDirectives extends AllDirectives {

  /**
   * {@code application/json} as the server parses it (see {@link HttpServer}): with the charset the
   * client names, so that {@link #jsonBody} can refuse one that is not UTF-8.
   */
  static final MediaType.WithOpenCharset JSON_ANY_CHARSET =
      MediaTypes.customWithOpenCharset("application", "json", Map.of(), false);

  private static final AllDirectives D = new AllDirectives() {};

  private final long maxBodyBytes;

  protected ApiDirectives(long maxBodyBytes) {
    this.maxBodyBytes = maxBodyBytes;
  }

  /**
   * The request body as {@code type}: 415 unless it is JSON in UTF-8, 413 over the size limit, 400
   * naming the field when it does not fit the type (unknown, missing, wrong type, invalid value).
   */
  protected <T> Route jsonBody(Class<T> type, Function<T, Route> inner) {
    return extractRequestEntity(
        entity -> {
          String unsupported = unsupportedContentType(entity.getContentType());
          if (unsupported != null) {
            return ApiErrors.complete(StatusCodes.UNSUPPORTED_MEDIA_TYPE, unsupported);
          }
          return withSizeLimit(
              maxBodyBytes,
              () ->
                  entity(
                      Unmarshaller.entityToByteString(),
                      bytes -> {
                        T value;
                        try {
                          value = parse(bytes.toArray(), type);
                        } catch (InvalidRequestException e) {
                          return ApiErrors.complete(StatusCodes.BAD_REQUEST, e.getMessage());
                        }
                        return inner.apply(value);
                      }));
        });
  }

  /** Why a body of this type is not read as JSON, or null when it is. */
  static String unsupportedContentType(ContentType contentType) {
    MediaType media = contentType.mediaType();
    if (!media.mainType().equals("application") || !media.subType().equals("json")) {
      return "Content-Type must be application/json";
    }
    // JSON is UTF-8 (RFC 8259); US-ASCII is a subset of it
    return contentType
        .getCharsetOption()
        .filter(c -> !c.equals(HttpCharsets.UTF_8) && !c.equals(HttpCharsets.US_ASCII))
        .map(
            c ->
                "Content-Type must be application/json in UTF-8, not charset " + shorten(c.value()))
        .orElse(null);
  }

  /**
   * A query parameter that may be given at most once ({@code status}, {@code limit}, ...): its
   * value, if any, or a 400 naming it when the query repeats it, rather than silently using one of
   * the values.
   */
  protected Route singleParameter(String name, Function<Optional<String>, Route> inner) {
    return singleParameter(
        name, problem -> ApiErrors.complete(StatusCodes.BAD_REQUEST, problem), inner);
  }

  /**
   * As {@link #singleParameter(String, Function)}, for routes that answer otherwise than in JSON
   * (the console's pages): {@code repeated} gets the message naming the parameter.
   */
  public static Route singleParameter(
      String name, Function<String, Route> repeated, Function<Optional<String>, Route> inner) {
    return D.parameterList(
        name,
        values ->
            values.size() > 1
                ? repeated.apply(
                    "invalid query parameter '"
                        + name
                        + "': given "
                        + values.size()
                        + " times, at most once allowed")
                : inner.apply(values.stream().findFirst()));
  }

  /** A path segment that must be a UUID; 400 otherwise. */
  protected Route uuid(String raw, String what, Function<UUID, Route> inner) {
    UUID id;
    try {
      id = parseUuid(raw);
    } catch (IllegalArgumentException e) {
      return ApiErrors.complete(
          StatusCodes.BAD_REQUEST, what + " must be a UUID, got '" + shorten(raw) + "'");
    }
    // (every line logged while handling the request names the id: "issueId", "ticketId")
    return withLogContext(what, id, inner.apply(id));
  }

  /**
   * The inner route with {@code key=value} in the MDC of what it logs (see {@link LogContext}),
   * also in the completions of {@link #onReply} it started.
   */
  protected static Route withLogContext(String key, Object value, Route inner) {
    scala.Function1<
            org.apache.pekko.http.scaladsl.server.RequestContext,
            scala.concurrent.Future<org.apache.pekko.http.scaladsl.server.RouteResult>>
        route = inner.asScala();
    return RouteAdapter.asJava(
        ctx -> {
          try (LogContext ignored = LogContext.put(key, value)) {
            return route.apply(ctx);
          }
        });
  }

  /**
   * The W3C {@code traceparent} of this request's server span, or null when tracing is off, for
   * what the route asks of an entity to carry on (see {@code HttpTracing}).
   */
  protected Route traceparent(Function<String, Route> inner) {
    return org.example.helpdesk.platform.tracing.HttpTracing.traceparent(inner);
  }

  /** Completes with the reply, or with the error status its failure maps to. */
  protected <T> Route onReply(CompletionStage<T> reply, Function<T, Route> onSuccess) {
    // the reply completes on another thread: the request's log context goes along
    LogContext.Captured context = LogContext.capture();
    return onComplete(
        reply,
        result ->
            context.call(
                () ->
                    result.isSuccess()
                        ? onSuccess.apply(result.get())
                        : complete(ApiErrors.responseFor(result.failed().get()))));
  }

  protected <T> Route json(StatusCode status, T body) {
    return complete(status, body, Json.marshaller());
  }

  protected <T> Route created(String location, T body) {
    return respondWithHeader(
        (HttpHeader) Location.create(location), () -> json(StatusCodes.CREATED, body));
  }

  private static final java.util.regex.Pattern UUID_SHAPE =
      java.util.regex.Pattern.compile(
          "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

  /** Strict UUID parsing: {@link UUID#fromString} accepts forms such as "1-2-3-4-5". */
  public static UUID parseUuid(String raw) {
    if (raw == null || !UUID_SHAPE.matcher(raw).matches()) {
      throw new IllegalArgumentException("not a UUID: " + raw);
    }
    return UUID.fromString(raw);
  }

  static <T> T parse(byte[] bytes, Class<T> type) {
    if (bytes.length == 0) {
      throw new InvalidRequestException("a JSON request body is required");
    }
    if (!TextRules.isWellFormedUtf8(bytes)) {
      throw new InvalidRequestException("malformed JSON: the body is not valid UTF-8");
    }
    try {
      T value = Json.MAPPER.readValue(bytes, type);
      if (value == null) {
        throw new InvalidRequestException("the request body must be a JSON object");
      }
      return value;
    } catch (UnrecognizedPropertyException e) {
      throw new InvalidRequestException("unknown field '" + JsonFieldErrors.field(e) + "'");
    } catch (ValueInstantiationException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw new InvalidRequestException(cause.getMessage());
    } catch (MismatchedInputException e) {
      throw new InvalidRequestException(JsonFieldErrors.describe(e));
    } catch (StreamConstraintsException e) {
      throw new InvalidRequestException(
          "malformed JSON: " + JsonFieldErrors.firstLine(e.getOriginalMessage()));
    } catch (JsonParseException e) {
      throw new InvalidRequestException(
          "malformed JSON: " + JsonFieldErrors.firstLine(e.getOriginalMessage()));
    } catch (JsonProcessingException e) {
      throw new InvalidRequestException(
          "malformed JSON: " + JsonFieldErrors.firstLine(e.getOriginalMessage()));
    } catch (IOException e) {
      throw new InvalidRequestException("unreadable request body");
    }
  }

  private static String shorten(String raw) {
    return raw.length() > 60 ? raw.substring(0, 60) + "..." : raw;
  }
}
