package org.example.helpdesk.platform.domain;

import java.util.UUID;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.cluster.sharding.typed.ShardingEnvelope;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;

/**
 * The entities of one type in the cluster, each known by its UUID, wherever their shards live.
 *
 * @param <C> the entities' commands
 */
public final class ShardedEntities<C> {

  private final ClusterSharding sharding;
  private final EntityTypeKey<C> type;

  private ShardedEntities(ClusterSharding sharding, EntityTypeKey<C> type) {
    this.sharding = sharding;
    this.type = type;
  }

  /**
   * Shards the type on this node.
   *
   * @param create an entity's behaviour from its id, where its shard lives
   */
  public static <C> ShardedEntities<C> init(
      ActorSystem<?> system, EntityTypeKey<C> type, Function<UUID, Behavior<C>> create) {
    return init(system, type, create, UnaryOperator.identity());
  }

  /**
   * Shards the type on this node, with its own shard ids or allocation.
   *
   * @param placed sets how entities map to shards and where shards go
   */
  public static <C> ShardedEntities<C> init(
      ActorSystem<?> system,
      EntityTypeKey<C> type,
      Function<UUID, Behavior<C>> create,
      UnaryOperator<Entity<C, ShardingEnvelope<C>>> placed) {
    ClusterSharding sharding = ClusterSharding.get(system);
    sharding.init(
        placed.apply(Entity.of(type, ctx -> create.apply(UUID.fromString(ctx.getEntityId())))));
    return new ShardedEntities<>(sharding, type);
  }

  /** The entity with this id, to send or ask commands. */
  public EntityRef<C> ref(UUID id) {
    return sharding.entityRefFor(type, id.toString());
  }
}
