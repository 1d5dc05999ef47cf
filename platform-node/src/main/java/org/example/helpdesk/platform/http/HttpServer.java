package org.example.helpdesk.platform.http;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.settings.ServerSettings;
import org.example.helpdesk.platform.tracing.HttpTracing;
import org.example.helpdesk.platform.tracing.Tracing;
import org.example.helpdesk.platform.web.WebRoutes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Binds a node's routes; coordinated shutdown unbinds them and drains requests in flight. */
public final class HttpServer {

  private static final Logger log = LoggerFactory.getLogger(HttpServer.class);

  private HttpServer() {}

  /**
   * The server settings of the configuration (pekko.http.server in helpdesk-node.conf), and one the
   * configuration cannot hold: {@code application/json} is read with the charset its Content-Type
   * names. Pekko's own {@code application/json} is always UTF-8 and drops a {@code charset}
   * parameter, so a body declared as ISO-8859-1 would be read as UTF-8 (and refused as "not valid
   * UTF-8") instead of getting the 415 of {@link ApiDirectives#jsonBody}.
   */
  static ServerSettings settings(ActorSystem<?> system) {
    ServerSettings settings = ServerSettings.create(system.classicSystem());
    return settings.withParserSettings(
        settings.getParserSettings().withCustomMediaTypes(ApiDirectives.JSON_ANY_CHARSET));
  }

  /**
   * @param maxBodyBytes a request that declares a larger body gets a 413 before any route sees it,
   *     also on routes that read no body
   */
  public static CompletionStage<ServerBinding> start(
      ActorSystem<?> system, String host, int port, long maxBodyBytes, Route routes) {
    return start(system, host, port, maxBodyBytes, routes, Tracing.off());
  }

  /** As {@link #start(ActorSystem, String, int, long, Route)}, with a server span per request. */
  public static CompletionStage<ServerBinding> start(
      ActorSystem<?> system,
      String host,
      int port,
      long maxBodyBytes,
      Route routes,
      Tracing tracing) {
    return start(system, host, port, maxBodyBytes, routes, tracing, r -> r);
  }

  /**
   * @param measured wraps the routes with their error handling, to see every response as the client
   *     gets it (request metrics)
   */
  public static CompletionStage<ServerBinding> start(
      ActorSystem<?> system,
      String host,
      int port,
      long maxBodyBytes,
      Route routes,
      Tracing tracing,
      java.util.function.UnaryOperator<Route> measured) {
    return start(system, host, port, maxBodyBytes, List.of(), routes, tracing, measured);
  }

  /** As above, with larger body limits for some routes ({@link RequestRules.LargerBody}). */
  public static CompletionStage<ServerBinding> start(
      ActorSystem<?> system,
      String host,
      int port,
      long maxBodyBytes,
      List<RequestRules.LargerBody> larger,
      Route routes,
      Tracing tracing,
      java.util.function.UnaryOperator<Route> measured) {
    return Http.get(system)
        .newServerAt(host, port)
        .withSettings(settings(system))
        .bind(
            HttpTracing.traced(
                tracing,
                WebRoutes.withSecurityHeaders(
                    measured.apply(
                        ApiErrors.handled(RequestRules.apply(maxBodyBytes, larger, routes))))))
        .thenApply(
            binding -> {
              binding.addToCoordinatedShutdown(Duration.ofSeconds(5), system);
              log.info("{} serves HTTP on {}", system.name(), binding.localAddress());
              return binding;
            });
  }
}
