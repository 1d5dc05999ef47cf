package org.example.helpdesk.platform.http;

import java.time.Duration;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.server.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Binds a node's routes; coordinated shutdown unbinds them and drains requests in flight. */
public final class HttpServer {

  private static final Logger log = LoggerFactory.getLogger(HttpServer.class);

  private HttpServer() {}

  public static CompletionStage<ServerBinding> start(
      ActorSystem<?> system, String host, int port, Route routes) {
    return Http.get(system)
        .newServerAt(host, port)
        .bind(ApiErrors.handled(routes))
        .thenApply(
            binding -> {
              binding.addToCoordinatedShutdown(Duration.ofSeconds(5), system);
              log.info("{} serves HTTP on {}", system.name(), binding.localAddress());
              return binding;
            });
  }
}
