package org.example.helpdesk.platform.projection.admin;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.net.InetAddress;
import java.security.MessageDigest;
import java.util.Optional;
import org.apache.pekko.http.javadsl.model.AttributeKeys;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.RemoteAddress;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.example.helpdesk.platform.http.ApiErrors;

/**
 * The admin credential of a node without sign-in ({@code ADMIN_TOKEN}), sent as {@code
 * Authorization: Bearer <token>} and compared in constant time. Loopback is no credential: a TLS
 * proxy or a sidecar on the same host makes everyone's request come from loopback. Without a
 * configured token the admin routes are off: 404, as if they did not exist (nothing to guess at),
 * with a message that says how to turn them on. A browser never sends a Bearer token by itself, so
 * no other site can make it act with one.
 */
public final class AdminToken {

  private static final AllDirectives D = new AllDirectives() {};

  private final byte[] token;

  /**
   * @param token the configured token; empty turns the admin routes off
   */
  public AdminToken(String token) {
    this.token = token == null || token.isEmpty() ? null : token.getBytes(UTF_8);
  }

  public boolean isOn() {
    return token != null;
  }

  /** Admin routes: the token, or 401; 404 when no token is configured. */
  public Route guard(Route inner) {
    if (token == null) {
      return ApiErrors.complete(
          StatusCodes.NOT_FOUND,
          "the admin API is off on this node: set ADMIN_TOKEN to turn it on");
    }
    return D.extractRequest(request -> presents(request) ? inner : unauthorized());
  }

  /**
   * As {@link #guard}, naming who asks for the log (the token is all a node without sign-in has).
   */
  public Route operator(java.util.function.Function<String, Route> inner) {
    return guard(inner.apply("the admin token"));
  }

  /**
   * {@code /metrics}: open on the loopback address (a local scraper: reading them changes nothing
   * and costs no query), else the token (401 without it, also when none is configured).
   */
  public Route loopbackOrToken(Route inner) {
    return D.extractRequest(
        request ->
            isLoopback(request) || (token != null && presents(request)) ? inner : unauthorized());
  }

  private boolean presents(HttpRequest request) {
    Optional<String> bearer =
        request
            .getHeader("Authorization")
            .map(HttpHeader::value)
            .filter(v -> v.regionMatches(true, 0, "Bearer ", 0, 7))
            .map(v -> v.substring(7).strip());
    return bearer.isPresent() && MessageDigest.isEqual(bearer.get().getBytes(UTF_8), token);
  }

  private static Route unauthorized() {
    return D.respondWithHeader(
        RawHeader.create("WWW-Authenticate", "Bearer realm=\"helpdesk admin\""),
        () ->
            ApiErrors.complete(
                StatusCodes.UNAUTHORIZED,
                "this needs the node's admin token (Authorization: Bearer <ADMIN_TOKEN>)"));
  }

  /** The connection's peer, never {@code X-Forwarded-For}, which any client can send. */
  private static boolean isLoopback(HttpRequest request) {
    return request
        .getAttribute(AttributeKeys.remoteAddress)
        .flatMap(RemoteAddress::getAddress)
        .map(InetAddress::isLoopbackAddress)
        .orElse(false);
  }
}
