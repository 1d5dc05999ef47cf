package org.example.helpdesk.platform.cluster;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.Route;
import org.example.helpdesk.platform.http.ApiDirectives;

/**
 * {@code /health}: the node is an Up member of its cluster, so it can serve. {@code /health/live}:
 * the process answers. {@code /health/ready}: it can serve and its dependencies answer — found at
 * most once per {@link #READY_FOR} and shared by every probe meanwhile, so that a flood of probes
 * costs one database round trip a second and no thread or connection of its own.
 */
public final class HealthRoutes extends ApiDirectives {

  /** How long a readiness answer is given to every probe that asks. */
  static final long READY_FOR = 1_000_000_000L;

  private final ActorSystem<?> system;
  private final List<Check> readinessChecks;

  private record Answer(long atNanos, CompletableFuture<Map<String, Object>> body) {}

  private final AtomicReference<Answer> lastAnswer = new AtomicReference<>();

  public HealthRoutes(ActorSystem<?> system, List<Check> readinessChecks) {
    super(0);
    this.system = system;
    this.readinessChecks = readinessChecks;
  }

  /** A named dependency check; it completes with true when the dependency answers. */
  public record Check(String name, Supplier<CompletionStage<Boolean>> probe) {

    /** The broker answers, as the node's {@link BrokerLink} last saw (no connection per probe). */
    public static Check broker(BrokerLink link) {
      return new Check("broker", () -> CompletableFuture.completedFuture(link.isUp()));
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

  /** The last answer if it is fresh or still being found, else a new one (one at a time). */
  private CompletionStage<Map<String, Object>> readiness() {
    long now = System.nanoTime();
    Answer last = lastAnswer.get();
    if (last != null && (!last.body().isDone() || now - last.atNanos() < READY_FOR)) {
      return last.body();
    }
    Answer fresh = new Answer(now, new CompletableFuture<>());
    if (!lastAnswer.compareAndSet(last, fresh)) {
      return lastAnswer.get().body();
    }
    CompletionStage<Map<String, Object>> found;
    try {
      found = find();
    } catch (RuntimeException e) {
      found = CompletableFuture.failedFuture(e);
    }
    found.whenComplete(
        (body, failure) -> {
          if (failure != null) {
            fresh.body().complete(Map.of("status", "DOWN", "checks", Map.of()));
          } else {
            fresh.body().complete(body);
          }
        });
    return fresh.body();
  }

  private CompletionStage<Map<String, Object>> find() {
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
    CompletionStage<Map<String, Object>> result =
        CompletableFuture.allOf(probes.toArray(CompletableFuture[]::new))
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
    return result;
  }

  private boolean isUp() {
    return Cluster.get(system).selfMember().status() == MemberStatus.up();
  }
}
