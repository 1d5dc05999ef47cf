package org.example.helpdesk.platform.http;

import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.ExceptionHandler;
import org.apache.pekko.http.javadsl.server.MalformedQueryParamRejection;
import org.apache.pekko.http.javadsl.server.MalformedRequestContentRejection;
import org.apache.pekko.http.javadsl.server.MethodRejection;
import org.apache.pekko.http.javadsl.server.MissingQueryParamRejection;
import org.apache.pekko.http.javadsl.server.RejectionHandler;
import org.apache.pekko.http.javadsl.server.RequestEntityExpectedRejection;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.server.UnsupportedRequestContentTypeRejection;
import org.apache.pekko.http.javadsl.server.UnsupportedRequestEncodingRejection;
import org.apache.pekko.http.javadsl.server.ValidationRejection;
import org.apache.pekko.http.scaladsl.model.EntityStreamSizeException;
import org.apache.pekko.http.scaladsl.model.IllegalRequestException;
import org.apache.pekko.pattern.AskTimeoutException;
import org.example.helpdesk.platform.concurrent.Futures;
import org.example.helpdesk.platform.db.Database;
import org.example.helpdesk.platform.domain.ConflictException;
import org.example.helpdesk.platform.domain.InvalidCommandInputException;
import org.example.helpdesk.platform.domain.NotFoundException;
import org.example.helpdesk.protocol.InvalidValueException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns every failure into a JSON {@code {"error": ...}} with the status the API documents: bad
 * input is a 4xx naming the problem, a dependency that is down is a 503, and only a bug is a 500.
 */
public final class ApiErrors {

  private static final Logger log = LoggerFactory.getLogger(ApiErrors.class);
  private static final AllDirectives D = new AllDirectives() {};

  private ApiErrors() {}

  /** Wraps a node's routes so that nothing leaves without a JSON body. */
  public static Route handled(Route routes) {
    return D.handleExceptions(EXCEPTIONS, () -> D.handleRejections(REJECTIONS, () -> routes));
  }

  public static HttpResponse response(StatusCode status, String message) {
    return HttpResponse.create()
        .withStatus(status)
        .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, toJson(message)));
  }

  public static Route complete(StatusCode status, String message) {
    return D.complete(response(status, message));
  }

  /** The response for a failed command or query. */
  public static HttpResponse responseFor(Throwable failure) {
    Throwable t = Futures.unwrap(failure);
    if (t instanceof NotFoundException) {
      return response(StatusCodes.NOT_FOUND, t.getMessage());
    }
    if (t instanceof ConflictException) {
      return response(StatusCodes.CONFLICT, t.getMessage());
    }
    if (t instanceof InvalidCommandInputException
        || t instanceof InvalidRequestException
        || t instanceof InvalidValueException) {
      return response(StatusCodes.BAD_REQUEST, t.getMessage());
    }
    if (causedBy(t, Database.DatabaseBusyException.class)) {
      // (also a RejectedExecutionException of Database.executor() caused by one)
      log.warn("Database not answering: {}", t.getMessage());
      return response(
          StatusCodes.SERVICE_UNAVAILABLE, "the database is not answering; try again later");
    }
    if (t instanceof TimeoutException || t instanceof AskTimeoutException) {
      log.warn("Request timed out: {}", t.getMessage());
      return response(
          StatusCodes.SERVICE_UNAVAILABLE, "the service could not answer in time, try again");
    }
    if (t instanceof Database.DatabaseException) {
      log.warn("Database unavailable: {}", t.getMessage());
      return response(StatusCodes.SERVICE_UNAVAILABLE, "the database is unavailable, try again");
    }
    log.error("Unexpected failure", t);
    return response(StatusCodes.INTERNAL_SERVER_ERROR, "internal error");
  }

  private static boolean causedBy(Throwable t, Class<? extends Throwable> type) {
    for (int depth = 0; t != null && depth < 10; depth++, t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  private static final RejectionHandler REJECTIONS =
      RejectionHandler.newBuilder()
          .handle(
              MalformedRequestContentRejection.class,
              r ->
                  Futures.unwrap(r.getCause()) instanceof EntityStreamSizeException
                      ? complete(StatusCodes.PAYLOAD_TOO_LARGE, "request body is too large")
                      : complete(StatusCodes.BAD_REQUEST, "malformed request body: " + r.message()))
          .handle(
              UnsupportedRequestContentTypeRejection.class,
              r ->
                  complete(
                      StatusCodes.UNSUPPORTED_MEDIA_TYPE, "Content-Type must be application/json"))
          .handle(
              UnsupportedRequestEncodingRejection.class,
              r ->
                  complete(
                      StatusCodes.UNSUPPORTED_MEDIA_TYPE,
                      "Content-Encoding not supported; send the body as it is, or as gzip or"
                          + " deflate"))
          .handle(
              RequestEntityExpectedRejection.class,
              r -> complete(StatusCodes.BAD_REQUEST, "a JSON request body is required"))
          .handle(
              MalformedQueryParamRejection.class,
              r ->
                  complete(
                      StatusCodes.BAD_REQUEST,
                      "invalid query parameter '" + r.parameterName() + "': " + r.errorMsg()))
          .handle(
              MissingQueryParamRejection.class,
              r ->
                  complete(
                      StatusCodes.BAD_REQUEST,
                      "missing query parameter '" + r.parameterName() + "'"))
          .handle(ValidationRejection.class, r -> complete(StatusCodes.BAD_REQUEST, r.message()))
          .handleAll(
              MethodRejection.class,
              rs ->
                  complete(
                      StatusCodes.METHOD_NOT_ALLOWED,
                      "method not allowed here; allowed: "
                          + rs.stream()
                              .map(r -> r.supported().name())
                              .distinct()
                              .collect(Collectors.joining(", "))))
          .handleNotFound(complete(StatusCodes.NOT_FOUND, "no such resource"))
          .build()
          .withFallback(RejectionHandler.defaultHandler())
          .mapRejectionResponse(ApiErrors::asJson);

  private static final ExceptionHandler EXCEPTIONS =
      ExceptionHandler.newBuilder()
          .match(
              EntityStreamSizeException.class,
              e -> complete(StatusCodes.PAYLOAD_TOO_LARGE, "request body is too large"))
          .match(IllegalRequestException.class, e -> complete(e.status(), e.info().summary()))
          .matchAny(e -> D.complete(responseFor(e)))
          .build();

  /** Responses of the default handler (a rejection not listed above) get a JSON body too. */
  private static HttpResponse asJson(HttpResponse response) {
    if (response.entity().getContentType().equals(ContentTypes.APPLICATION_JSON)) {
      return response;
    }
    String text =
        response.entity() instanceof org.apache.pekko.http.javadsl.model.HttpEntity.Strict strict
            ? strict.getData().utf8String()
            : response.status().reason();
    return response.withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, toJson(text)));
  }

  static String toJson(String message) {
    try {
      return Json.MAPPER.writeValueAsString(Map.of("error", message == null ? "error" : message));
    } catch (Exception e) {
      return "{\"error\":\"error\"}";
    }
  }
}
