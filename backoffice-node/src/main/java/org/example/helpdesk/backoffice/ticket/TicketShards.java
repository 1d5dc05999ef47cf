package org.example.helpdesk.backoffice.ticket;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.external.ExternalShardAllocation;
import org.apache.pekko.cluster.sharding.external.ExternalShardAllocationStrategy;
import org.apache.pekko.cluster.sharding.typed.ShardingEnvelope;
import org.apache.pekko.cluster.sharding.typed.ShardingMessageExtractor;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.typed.Cluster;
import org.example.helpdesk.protocol.AmqpTopology;

/**
 * Where Tickets live: one shard per slot of the protocol ({@link AmqpTopology#slotOf}), placed on
 * the node that consumes the inbox partition of that slot. The partition's consumer claims its
 * slots when it starts ({@link #claim}); sharding then moves those shards to it (external shard
 * allocation, as Pekko does for Kafka partitions). So a command from the broker reaches its Ticket
 * without crossing to another node. A shard nobody claimed goes where it is first asked for.
 */
public final class TicketShards {

  private TicketShards() {}

  static Entity<TicketEntity.Envelope, ShardingEnvelope<TicketEntity.Envelope>> placed(
      ActorSystem<?> system,
      Entity<TicketEntity.Envelope, ShardingEnvelope<TicketEntity.Envelope>> entity) {
    return entity
        .withMessageExtractor(new BySlot())
        .withAllocationStrategy(
            ExternalShardAllocationStrategy.create(
                system, TicketEntity.TYPE.name(), Duration.ofSeconds(5)));
  }

  /** Asks sharding to keep these slots' tickets on this node from now on. */
  public static CompletionStage<Done> claim(ActorSystem<?> system, List<Integer> slots) {
    Address self = Cluster.get(system).selfMember().address();
    Map<String, Address> locations = new HashMap<>();
    slots.forEach(slot -> locations.put(Integer.toString(slot), self));
    return ExternalShardAllocation.get(system)
        .getClient(TicketEntity.TYPE.name())
        .setShardLocations(locations);
  }

  /** The shard of a ticket is its slot. */
  private static final class BySlot
      extends ShardingMessageExtractor<
          ShardingEnvelope<TicketEntity.Envelope>, TicketEntity.Envelope> {
    @Override
    public String entityId(ShardingEnvelope<TicketEntity.Envelope> envelope) {
      return envelope.entityId();
    }

    @Override
    public String shardId(String entityId) {
      return Integer.toString(AmqpTopology.slotOf(UUID.fromString(entityId)));
    }

    @Override
    public TicketEntity.Envelope unwrapMessage(ShardingEnvelope<TicketEntity.Envelope> envelope) {
      return envelope.message();
    }
  }
}
