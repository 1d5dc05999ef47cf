package org.example.helpdesk.platform.http;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.apache.pekko.http.javadsl.coding.Coder;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.Uri;
import org.apache.pekko.http.javadsl.model.headers.ContentEncoding;
import org.apache.pekko.http.javadsl.model.headers.HttpEncoding;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * Rules every request of both nodes goes through before any route sees it, so that each route
 * answers the same way to the same oddity:
 *
 * <ul>
 *   <li>a trailing slash is ignored: {@code /tickets/} is {@code /tickets}, {@code /issues/{id}/}
 *       is {@code /issues/{id}} (one rule for every route; a client that adds the slash gets what
 *       it meant rather than a 404 or 405 that depends on the route);
 *   <li>a body sent with {@code Content-Encoding: gzip} or {@code deflate} is decoded, and the size
 *       limit then applies to the decoded bytes (a small "gzip bomb" gets the 413 of a large body);
 *       any other coding, or more than one, is a 415 naming it: never read as if it were plain.
 * </ul>
 */
public final class RequestRules {

  /** The codings a body may come in, besides none ({@code identity}). */
  public static final String ACCEPTED_ENCODINGS = "gzip, deflate, identity";

  private static final AllDirectives D = new AllDirectives() {};

  private RequestRules() {}

  /**
   * @param maxBodyBytes a body (as declared, and as decoded) over this gets a 413, also on routes
   *     that read no body
   */
  public static Route apply(long maxBodyBytes, Route routes) {
    return apply(maxBodyBytes, List.of(), routes);
  }

  /**
   * A route that takes larger bodies than the others: a form whose every valid entry must fit,
   * percent-encoded (up to 9 bytes a character). Only requests of this method, a path the regular
   * expression {@code path} matches whole, and this media type get {@code maxBytes} instead of the
   * node's limit.
   */
  public record LargerBody(String method, String path, String mediaType, long maxBytes) {}

  /** As {@link #apply(long, Route)}, with {@code larger} limits for some routes. */
  public static Route apply(long maxBodyBytes, List<LargerBody> larger, Route routes) {
    return withoutTrailingSlash(
        () ->
            D.extractRequest(
                request -> {
                  long limit = limitFor(request, maxBodyBytes, larger);
                  return declaredSizeLimited(
                      limit, () -> decoded(() -> D.withSizeLimit(limit, () -> routes)));
                }));
  }

  private static long limitFor(
      org.apache.pekko.http.javadsl.model.HttpRequest request,
      long maxBodyBytes,
      List<LargerBody> larger) {
    for (LargerBody l : larger) {
      if (request.method().name().equals(l.method())
          && request.getUri().path().matches(l.path())
          && request.entity().getContentType().mediaType().toString().equals(l.mediaType())) {
        return Math.max(maxBodyBytes, l.maxBytes());
      }
    }
    return maxBodyBytes;
  }

  /**
   * The request as if its path had no trailing slash ("/" itself stays): the path the routes match
   * and the request's URI (which routes that check the path themselves, and the logs, see).
   */
  static Route withoutTrailingSlash(Supplier<Route> inner) {
    return D.extractRequest(
        request -> {
          org.apache.pekko.http.scaladsl.model.Uri uri = request.getUri().asScala();
          String path = uri.path().toString();
          String stripped = stripTrailingSlashes(path);
          if (stripped.equals(path)) {
            return inner.get();
          }
          Uri without =
              Uri.create(
                  uri.withPath(
                          org.apache.pekko.http.scaladsl.model.Uri.Path$.MODULE$.apply(
                              stripped, StandardCharsets.UTF_8))
                      .toString());
          return D.mapRequest(
              r -> r.withUri(without),
              () -> D.mapUnmatchedPath(RequestRules::stripTrailingSlashes, inner));
        });
  }

  static String stripTrailingSlashes(String path) {
    int end = path.length();
    while (end > 1 && path.charAt(end - 1) == '/') {
      end--;
    }
    return path.substring(0, end);
  }

  /** A declared Content-Length over the limit is refused before the body is read. */
  private static Route declaredSizeLimited(long maxBodyBytes, Supplier<Route> inner) {
    return D.extractRequestEntity(
        entity ->
            entity.getContentLengthOption().orElse(0) > maxBodyBytes
                ? ApiErrors.complete(StatusCodes.PAYLOAD_TOO_LARGE, "request body is too large")
                : inner.get());
  }

  /** The body decoded from its Content-Encoding; 415 for a coding this server does not read. */
  static Route decoded(Supplier<Route> inner) {
    return D.extractRequest(
        request -> {
          List<String> codings = new ArrayList<>();
          for (HttpHeader header : request.getHeaders()) {
            if (header instanceof ContentEncoding contentEncoding) {
              for (HttpEncoding encoding : contentEncoding.getEncodings()) {
                String name = encoding.value().toLowerCase(Locale.ROOT);
                if (!name.equals("identity")) {
                  codings.add(name);
                }
              }
            }
          }
          if (codings.isEmpty()) {
            return inner.get();
          }
          if (codings.size() == 1 && codings.get(0).equals("gzip")) {
            return D.decodeRequestWith(Coder.Gzip, inner);
          }
          if (codings.size() == 1 && codings.get(0).equals("deflate")) {
            return D.decodeRequestWith(Coder.Deflate, inner);
          }
          return unsupportedEncoding(String.join(", ", codings));
        });
  }

  static Route unsupportedEncoding(String codings) {
    // RFC 7694: a 415 for a content coding names the codings the server does accept
    return D.respondWithHeader(
        RawHeader.create("Accept-Encoding", ACCEPTED_ENCODINGS),
        () ->
            ApiErrors.complete(
                StatusCodes.UNSUPPORTED_MEDIA_TYPE,
                "Content-Encoding '"
                    + codings
                    + "' is not supported; send the body as it is, or as gzip or deflate"));
  }
}
