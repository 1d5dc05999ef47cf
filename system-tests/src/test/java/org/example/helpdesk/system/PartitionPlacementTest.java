package org.example.helpdesk.system;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.sharding.ShardRegion.ClusterShardingStats;
import org.apache.pekko.cluster.sharding.typed.ClusterShardingQuery;
import org.apache.pekko.cluster.sharding.typed.GetClusterShardingStats;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.example.helpdesk.amqp.CommandMessage;
import org.example.helpdesk.backoffice.BackofficeNode;
import org.example.helpdesk.backoffice.ticket.TicketEntity;
import org.example.helpdesk.protocol.AmqpTopology;
import org.example.helpdesk.protocol.Description;
import org.example.helpdesk.protocol.PrepareTicket;
import org.example.helpdesk.protocol.TicketType;
import org.example.helpdesk.testsupport.FreePorts;
import org.example.helpdesk.testsupport.Sql;
import org.example.helpdesk.testsupport.TestBroker;
import org.example.helpdesk.testsupport.TestNodes;
import org.example.helpdesk.testsupport.TestPostgres;
import org.junit.jupiter.api.Test;

/**
 * The inbox's partitions spread over the backoffice's nodes, and each partition's tickets live on
 * the node that consumes it: a command from the broker is handled where it arrives.
 */
class PartitionPlacementTest {

  private static final int PARTITIONS = 8;

  @Test
  void partitionsSpreadOverTwoNodesAndEachPartitionsTicketsLiveWhereItIsConsumed()
      throws Exception {
    String schema = TestPostgres.newSchemaName("backoffice");
    Sql sql = new Sql(schema);
    TestBroker.deleteQueuesAndExchanges(InboxQueues.all(), List.of());
    int first = FreePorts.next();
    int second = FreePorts.next();
    String seeds = "127.0.0.1:" + first + ",127.0.0.1:" + second;
    BackofficeNode a = BackofficeNode.start(config(schema, first, seeds));
    BackofficeNode b = BackofficeNode.start(config(schema, second, seeds));
    try {
      // both nodes consume partitions (the daemon process spreads its instances)
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  stats(a, inbox()).getRegions().values().stream()
                          .filter(r -> !r.getStats().isEmpty())
                          .count()
                      == 2);

      List<UUID> tickets = new ArrayList<>();
      TestBroker.withChannel(
          channel -> {
            InboxQueues.declare(channel);
            channel.confirmSelect();
            for (int i = 0; i < 256; i++) {
              UUID id = UUID.randomUUID();
              tickets.add(id);
              var m =
                  CommandMessage.toBackoffice(
                      new PrepareTicket(id, TicketType.CUSTOMER_ISSUE, new Description("t " + i)),
                      id + ":1",
                      id.toString(),
                      Instant.now());
              channel.basicPublish(m.exchange(), m.routingKey(), true, m.properties(), m.body());
            }
            channel.waitForConfirmsOrDie(10_000);
          });
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> sql.count("SELECT count(*) FROM tickets") == tickets.size());

      // every slot's shard lives on the node that consumes the slot's partition
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                Map<String, Address> partitionAt = placement(stats(a, inbox()));
                Map<String, Address> slotAt = placement(stats(a, TicketEntity.TYPE));
                assertEquals(PARTITIONS, partitionAt.size(), partitionAt::toString);
                assertTrue(slotAt.size() > 32, "tickets in most slots: " + slotAt);
                slotAt.forEach(
                    (slot, address) ->
                        assertEquals(
                            partitionAt.get(
                                Integer.toString(
                                    AmqpTopology.partitionOf(Integer.parseInt(slot), PARTITIONS))),
                            address,
                            "slot " + slot + " lives with its partition"));
                assertEquals(2, new java.util.HashSet<>(slotAt.values()).size(), "both nodes");
              });
      assertEquals(0L, sql.count("SELECT count(*) FROM dead_letters"));
    } finally {
      b.node().stop().toCompletableFuture().join();
      a.node().stop().toCompletableFuture().join();
      TestPostgres.dropSchema(schema);
    }
  }

  private static EntityTypeKey<?> inbox() {
    // the sharded daemon process "inbox" runs as entities of this type, one shard per instance
    return EntityTypeKey.create(Object.class, "sharded-daemon-process-inbox");
  }

  private static Map<String, Address> placement(ClusterShardingStats stats) {
    Map<String, Address> at = new HashMap<>();
    stats
        .getRegions()
        .forEach(
            (address, region) ->
                region.getStats().keySet().forEach(shard -> at.put(shard, address)));
    return at;
  }

  private static ClusterShardingStats stats(BackofficeNode node, EntityTypeKey<?> type)
      throws Exception {
    return AskPattern.<ClusterShardingQuery, ClusterShardingStats>ask(
            ClusterSharding.get(node.node().system()).shardState(),
            replyTo -> new GetClusterShardingStats(type, Duration.ofSeconds(3), replyTo),
            Duration.ofSeconds(5),
            node.node().system().scheduler())
        .toCompletableFuture()
        .get();
  }

  private static com.typesafe.config.Config config(String schema, int clusterPort, String seeds) {
    return ConfigFactory.parseMap(
            Map.of(
                "helpdesk.cluster.port", clusterPort,
                "helpdesk.cluster.seed-nodes", seeds,
                "helpdesk.inbox.partitions", PARTITIONS,
                "pekko.cluster.jmx.multi-mbeans-in-same-jvm", "on"))
        .withFallback(TestNodes.config(schema));
  }
}
