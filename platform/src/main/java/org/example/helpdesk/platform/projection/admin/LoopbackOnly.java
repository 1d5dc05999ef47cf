package org.example.helpdesk.platform.projection.admin;

import java.net.InetAddress;
import java.util.Optional;
import org.apache.pekko.http.javadsl.model.AttributeKeys;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.RemoteAddress;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.example.helpdesk.platform.http.ApiErrors;

/**
 * Routes for the loopback address only: a node without sign-in opens its admin API to its own host
 * and nobody else (403). The address is the connection's peer ({@code
 * pekko.http.server.remote-address-attribute = on}), never {@code X-Forwarded-For}, which any
 * client can send.
 */
public final class LoopbackOnly {

  private static final AllDirectives D = new AllDirectives() {};

  private LoopbackOnly() {}

  public static Route guard(Route inner) {
    return D.extractRequest(
        request ->
            peer(request).map(InetAddress::isLoopbackAddress).orElse(false)
                ? inner
                : ApiErrors.complete(
                    StatusCodes.FORBIDDEN,
                    "the admin API answers requests from this host (loopback) only"));
  }

  /**
   * As {@link #guard}, naming who asks for the log: "loopback" and the address (a node without
   * sign-in knows no more).
   */
  public static Route operator(java.util.function.Function<String, Route> inner) {
    return D.extractRequest(
        request ->
            guard(
                inner.apply(
                    "loopback "
                        + peer(request).map(InetAddress::getHostAddress).orElse("(unknown)"))));
  }

  private static Optional<InetAddress> peer(HttpRequest request) {
    return request.getAttribute(AttributeKeys.remoteAddress).flatMap(RemoteAddress::getAddress);
  }
}
