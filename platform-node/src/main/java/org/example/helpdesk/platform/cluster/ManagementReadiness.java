package org.example.helpdesk.platform.cluster;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.apache.pekko.actor.ActorSystem;

/**
 * The node's own readiness (database, broker, the service's checks: {@link HealthRoutes}) as a
 * readiness check of Pekko Management, so that its {@code /ready} on the management port answers
 * what the node's {@code /health/ready} answers, together with Management's cluster-membership
 * check. Not ready until the node serves HTTP. Pekko Management makes this check itself (given the
 * actor system); the node registers its readiness for that system when it starts serving.
 */
public final class ManagementReadiness implements Supplier<CompletionStage<Boolean>> {

  private static final ConcurrentHashMap<ActorSystem, Supplier<CompletionStage<Boolean>>> NODES =
      new ConcurrentHashMap<>();

  private final ActorSystem system;

  public ManagementReadiness(ActorSystem system) {
    this.system = system;
  }

  /** The node's readiness, for Management's check; dropped when the system terminates. */
  public static void register(ActorSystem system, Supplier<CompletionStage<Boolean>> readiness) {
    NODES.put(system, readiness);
    system.registerOnTermination(() -> NODES.remove(system));
  }

  @Override
  public CompletionStage<Boolean> get() {
    Supplier<CompletionStage<Boolean>> readiness = NODES.get(system);
    return readiness == null ? CompletableFuture.completedFuture(false) : readiness.get();
  }
}
