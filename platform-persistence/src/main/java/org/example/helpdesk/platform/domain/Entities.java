package org.example.helpdesk.platform.domain;

import java.time.Duration;
import java.util.UUID;
import org.apache.pekko.actor.typed.BackoffSupervisorStrategy;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.PersistenceId;

/** What the sharded, persistent entities of this system have in common. */
public final class Entities {

  private Entities() {}

  /** An entity whose store failed starts again after a backoff of 0.2 up to 5 seconds. */
  public static final BackoffSupervisorStrategy RESTART_AFTER_STORE_FAILURE =
      SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(5), 0.1);

  /** The id an entity of this type is stored under: {@code <type>|<id>}. */
  public static PersistenceId persistenceId(EntityTypeKey<?> type, UUID id) {
    return PersistenceId.of(type.name(), id.toString());
  }

  /** The id of the entity a persistence id is of. */
  public static UUID entityId(PersistenceId persistenceId) {
    return UUID.fromString(persistenceId.entityId());
  }
}
