package org.example.helpdesk.platform.projection.admin;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;
import org.apache.pekko.projection.HandlerRecoveryStrategy;
import org.apache.pekko.projection.ProjectionId;
import org.apache.pekko.projection.StatusObserver;

/**
 * What this node saw of its projection instances, from their {@link StatusObserver}: when each last
 * stored an offset, and its last error (a failure of its stream, which then restarts with backoff,
 * or of its handler). One per actor system; a projection joins with {@code
 * .withStatusObserver(ProjectionObservations.get(system).observer())}.
 *
 * <p>Only the instances that run on this node are observed (a sharded daemon process spreads them
 * over the cluster): the admin API shows the error of another node's instance as unknown.
 */
public final class ProjectionObservations implements Extension {

  /** One instance as last seen. */
  public record Observation(
      boolean running, Instant lastProgress, Instant lastFailure, String lastError) {
    static final Observation NONE = new Observation(false, null, null, null);

    /** It failed after it last stored an offset (and so may be failing still). */
    public boolean failedSinceProgress() {
      return lastFailure != null && (lastProgress == null || lastFailure.isAfter(lastProgress));
    }
  }

  private static final ExtensionId<ProjectionObservations> ID =
      new ExtensionId<>() {
        @Override
        public ProjectionObservations createExtension(ActorSystem<?> system) {
          return new ProjectionObservations(Clock.systemUTC());
        }
      };

  private final Clock clock;
  private final Map<ProjectionId, Observation> seen = new ConcurrentHashMap<>();

  ProjectionObservations(Clock clock) {
    this.clock = clock;
  }

  public static ProjectionObservations get(ActorSystem<?> system) {
    return ID.apply(system);
  }

  public Optional<Observation> of(ProjectionId id) {
    return Optional.ofNullable(seen.get(id));
  }

  /** An observer that records into this. */
  public <E> StatusObserver<E> observer() {
    return new StatusObserver<>() {
      @Override
      public void started(ProjectionId id) {
        update(id, o -> new Observation(true, o.lastProgress(), o.lastFailure(), o.lastError()));
      }

      @Override
      public void failed(ProjectionId id, Throwable cause) {
        failure(id, cause);
      }

      @Override
      public void stopped(ProjectionId id) {
        update(id, o -> new Observation(false, o.lastProgress(), o.lastFailure(), o.lastError()));
      }

      @Override
      public void beforeProcess(ProjectionId id, E envelope) {}

      @Override
      public void afterProcess(ProjectionId id, E envelope) {}

      @Override
      public void offsetProgress(ProjectionId id, E envelope) {
        Instant now = clock.instant();
        update(id, o -> new Observation(true, now, o.lastFailure(), o.lastError()));
      }

      @Override
      public void error(
          ProjectionId id, E envelope, Throwable cause, HandlerRecoveryStrategy recovery) {
        failure(id, cause);
      }
    };
  }

  private void failure(ProjectionId id, Throwable cause) {
    Instant now = clock.instant();
    update(id, o -> new Observation(o.running(), o.lastProgress(), now, String.valueOf(cause)));
  }

  private void update(ProjectionId id, java.util.function.UnaryOperator<Observation> change) {
    seen.compute(id, (k, o) -> change.apply(o == null ? Observation.NONE : o));
  }
}
