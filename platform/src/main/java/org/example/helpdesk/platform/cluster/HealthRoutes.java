package org.example.helpdesk.platform.cluster;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.Route;
import org.example.helpdesk.platform.http.ApiDirectives;
import org.example.helpdesk.protocol.amqp.AmqpConnector;

/**
 * {@code /health}: the node is an Up member of its cluster, so it can serve. {@code /health/live}:
 * the process answers. {@code /health/ready}: it can serve and its dependencies answer.
 */
public final class HealthRoutes extends ApiDirectives {

  private final ActorSystem<?> system;
  private final List<Check> readinessChecks;

  public HealthRoutes(ActorSystem<?> system, List<Check> readinessChecks) {
    super(0);
    this.system = system;
    this.readinessChecks = readinessChecks;
  }

  /** A named dependency check; it completes with true when the dependency answers. */
  public record Check(String name, Supplier<CompletionStage<Boolean>> probe) {

    /** The broker accepts a connection. */
    public static Check broker(AmqpConnector connector) {
      return new Check(
          "broker",
          () ->
              CompletableFuture.supplyAsync(
                  () -> {
                    try {
                      connector.withChannel(channel -> {});
                      return true;
                    } catch (Exception e) {
                      return false;
                    }
                  }));
    }
  }

  public Route routes() {
    return pathPrefix(
        "health",
        () ->
            concat(
                pathEnd(() -> get(this::health)),
                path("live", () -> get(() -> json(StatusCodes.OK, Map.of("status", "UP")))),
                path("ready", () -> get(this::ready))));
  }

  private Route health() {
    boolean up = isUp();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", up ? "UP" : "DOWN");
    body.put("service", system.name());
    body.put("member", Cluster.get(system).selfMember().status().toString());
    return json(up ? StatusCodes.OK : StatusCodes.SERVICE_UNAVAILABLE, body);
  }

  private Route ready() {
    return onReply(
        readiness(),
        body ->
            json(
                "UP".equals(body.get("status")) ? StatusCodes.OK : StatusCodes.SERVICE_UNAVAILABLE,
                body));
  }

  /** Whether the node can serve: an Up member whose dependencies answer. */
  public CompletionStage<Boolean> isReady() {
    return readiness().thenApply(body -> "UP".equals(body.get("status")));
  }

  private CompletionStage<Map<String, Object>> readiness() {
    List<CompletableFuture<Boolean>> probes =
        readinessChecks.stream()
            .map(
                c ->
                    c.probe()
                        .get()
                        .toCompletableFuture()
                        .completeOnTimeout(false, 2, java.util.concurrent.TimeUnit.SECONDS)
                        .exceptionally(e -> false))
            .toList();
    return CompletableFuture.allOf(probes.toArray(CompletableFuture[]::new))
        .thenApply(
            ignored -> {
              Map<String, Object> checks = new LinkedHashMap<>();
              checks.put("cluster", isUp() ? "UP" : "DOWN");
              for (int i = 0; i < readinessChecks.size(); i++) {
                checks.put(readinessChecks.get(i).name(), probes.get(i).join() ? "UP" : "DOWN");
              }
              Map<String, Object> body = new LinkedHashMap<>();
              body.put("status", checks.containsValue("DOWN") ? "DOWN" : "UP");
              body.put("checks", checks);
              return body;
            });
  }

  private boolean isUp() {
    return Cluster.get(system).selfMember().status() == MemberStatus.up();
  }
}
