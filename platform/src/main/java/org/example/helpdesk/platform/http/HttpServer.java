package org.example.helpdesk.platform.http;

import java.time.Duration;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.example.helpdesk.platform.tracing.HttpTracing;
import org.example.helpdesk.platform.tracing.Tracing;
import org.example.helpdesk.platform.web.WebRoutes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Binds a node's routes; coordinated shutdown unbinds them and drains requests in flight. */
public final class HttpServer {

  private static final Logger log = LoggerFactory.getLogger(HttpServer.class);

  private HttpServer() {}

  private static Route limitingBodies(long maxBodyBytes, Route routes) {
    AllDirectives d = new AllDirectives() {};
    return d.extractRequestEntity(
        entity ->
            entity.getContentLengthOption().orElse(0) > maxBodyBytes
                ? ApiErrors.complete(StatusCodes.PAYLOAD_TOO_LARGE, "request body is too large")
                : d.withSizeLimit(maxBodyBytes, () -> routes));
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
    return Http.get(system)
        .newServerAt(host, port)
        .bind(
            HttpTracing.traced(
                tracing,
                WebRoutes.withSecurityHeaders(
                    ApiErrors.handled(limitingBodies(maxBodyBytes, routes)))))
        .thenApply(
            binding -> {
              binding.addToCoordinatedShutdown(Duration.ofSeconds(5), system);
              log.info("{} serves HTTP on {}", system.name(), binding.localAddress());
              return binding;
            });
  }
}
