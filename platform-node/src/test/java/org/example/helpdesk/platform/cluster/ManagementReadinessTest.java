package org.example.helpdesk.platform.cluster;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.management.HealthCheckSettings;
import org.apache.pekko.management.javadsl.HealthChecks;
import org.apache.pekko.testkit.javadsl.TestKit;
import org.junit.jupiter.api.Test;

/**
 * Pekko Management's readiness, as the node's configuration sets it up, answers what the node's own
 * readiness answers: not ready before the node registered it, then whatever it says, and nothing of
 * a node that is gone.
 */
class ManagementReadinessTest {

  @Test
  void managementsReadyIsTheNodesOwnReadiness() throws Exception {
    Config config =
        ConfigFactory.parseString(
                "pekko.actor.provider = local\n"
                    // (Management's cluster-membership check needs a cluster: not this test's)
                    + "pekko.management.health-checks.readiness-checks.cluster-membership = \"\"\n"
                    + "pekko.management.health-checks.readiness-checks.node ="
                    + " \"org.example.helpdesk.platform.cluster.ManagementReadiness\"")
            .withFallback(ConfigFactory.load());
    ActorSystem system = ActorSystem.create("management-readiness-test", config);
    try {
      HealthChecks checks =
          new HealthChecks(
              (ExtendedActorSystem) system,
              HealthCheckSettings.create(config.getConfig("pekko.management.health-checks")));
      assertFalse(ready(checks), "not ready before the node serves");

      AtomicBoolean dependencies = new AtomicBoolean(true);
      ManagementReadiness.register(
          system, () -> CompletableFuture.completedFuture(dependencies.get()));
      assertTrue(ready(checks));
      dependencies.set(false); // the database went away
      assertFalse(ready(checks));
      dependencies.set(true);
      assertTrue(ready(checks));
    } finally {
      TestKit.shutdownActorSystem(system, scala.concurrent.duration.Duration.create(10, "s"), true);
    }
    assertFalse(
        new ManagementReadiness(system).get().toCompletableFuture().get(5, TimeUnit.SECONDS),
        "a terminated node's readiness is dropped");
  }

  private static boolean ready(HealthChecks checks) throws Exception {
    return checks.ready().toCompletableFuture().get(5, TimeUnit.SECONDS);
  }
}
