package org.example.helpdesk.system;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.example.helpdesk.amqp.CommandMessage;
import org.example.helpdesk.amqp.OutboundMessage;
import org.example.helpdesk.backoffice.BackofficeNode;
import org.example.helpdesk.backoffice.ticket.TicketEntity;
import org.example.helpdesk.customer.issue.IssueEntity;
import org.example.helpdesk.protocol.Description;
import org.example.helpdesk.protocol.PrepareTicket;
import org.example.helpdesk.protocol.TicketType;
import org.example.helpdesk.testsupport.HttpTestClient.Response;
import org.example.helpdesk.testsupport.Sql;
import org.example.helpdesk.testsupport.TestBroker;
import org.example.helpdesk.testsupport.TestNodes;
import org.example.helpdesk.testsupport.TestPostgres;
import org.junit.jupiter.api.Test;

/**
 * The two read sides (outbox relay, tickets read model) against what made the offset-ordered,
 * clock-trusting ones skip or stall: a writer whose clock runs ahead, a write whose transaction
 * stays open while later ones commit, two nodes writing the journal at once.
 */
class CommitOrderTest {

  /** Holds the inserting transaction of a row whose payload contains HOLD-OPEN for 3 s. */
  private static final String HOLD_OPEN =
      "CREATE FUNCTION hold_open() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
          + " IF position('HOLD-OPEN' in convert_from(NEW.%s, 'UTF8')) > 0 THEN PERFORM pg_sleep(3); END IF;"
          + " RETURN NEW; END $$;"
          + " CREATE TRIGGER hold_open BEFORE INSERT ON %s FOR EACH ROW EXECUTE FUNCTION hold_open()";

  @Test
  void aWriterWhoseClockRunsAMinuteAheadDoesNotDelayItsTag() {
    try (TwoServices services = new TwoServices()) {
      String tag = IssueEntity.tagFor(UUID.randomUUID());
      UUID ahead = report(services, idInTag(tag), "written by a node whose clock runs ahead");
      awaitTicket(services, ahead, Duration.ofSeconds(10));
      // the issue written again, as a node whose clock is a minute ahead writes it
      services.customerSql.execute(
          "UPDATE durable_state SET state_timestamp = state_timestamp + 60000,"
              + " global_offset = nextval('durable_state_global_offset_seq'), tx_id = pg_current_xact_id()"
              + " WHERE persistence_id = 'Issue|"
              + ahead
              + "'");

      long start = System.nanoTime();
      UUID next = report(services, idInTag(tag), "reported right after, same tag");
      awaitTicket(services, next, Duration.ofSeconds(1));
      System.out.println(
          "[commit-order] report to ticket after a row stamped 60 s ahead: "
              + (System.nanoTime() - start) / 1_000_000
              + " ms");
    }
  }

  @Test
  void aReportWhoseTransactionStaysOpenWhileLaterOnesCommitIsPublishedAndProjected()
      throws Exception {
    try (TwoServices services = new TwoServices()) {
      services.customerSql.execute(String.format(HOLD_OPEN, "state_payload", "durable_state"));
      String tag = IssueEntity.tagFor(UUID.randomUUID());
      UUID held = idInTag(tag);
      CompletableFuture<Instant> heldAnswered =
          CompletableFuture.supplyAsync(
              () -> {
                report(
                    services, held, "HOLD-OPEN: committed three seconds after it took its offset");
                return Instant.now();
              });
      await().atMost(Duration.ofSeconds(5)).until(() -> sleepingBackends(services.customerSql) > 0);

      List<UUID> later = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        later.add(report(services, idInTag(tag), "committed while the first was open " + i));
      }
      Instant laterAnswered = Instant.now();
      assertTrue(
          !heldAnswered.isDone(), "the later reports committed while the first was still open");

      assertTrue(heldAnswered.get().isAfter(laterAnswered));
      awaitTicket(services, held, Duration.ofSeconds(10));
      for (UUID id : later) {
        awaitTicket(services, id, Duration.ofSeconds(10));
      }
      assertEquals(0L, services.backofficeSql.count("SELECT count(*) FROM dead_letters"));
    }
  }

  @Test
  void twoBackofficeNodesAndAJournalWriteHeldOpenLoseNoTicket() throws Exception {
    String schema = TestPostgres.newSchemaName("backoffice");
    Sql sql = new Sql(schema);
    TestBroker.deleteQueuesAndExchanges(InboxQueues.all(), List.of());
    int first = freePort();
    int second = freePort();
    String seeds = "127.0.0.1:" + first + ",127.0.0.1:" + second;
    BackofficeNode a = BackofficeNode.start(twoNodeConfig(schema, first, seeds));
    BackofficeNode b = BackofficeNode.start(twoNodeConfig(schema, second, seeds));
    try {
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  java.util.stream.StreamSupport.stream(
                              org.apache.pekko.cluster.typed.Cluster.get(a.node().system())
                                  .state()
                                  .getMembers()
                                  .spliterator(),
                              false)
                          .filter(m -> m.status() == org.apache.pekko.cluster.MemberStatus.up())
                          .count()
                      == 2);
      // a region registers with the coordinator a moment after its node is Up; shards allocated
      // before that all go to the other node
      await().atMost(Duration.ofSeconds(30)).until(() -> regionsKnownToTheCoordinator(a) == 2);
      // the inbox's partitions, and with them the tickets they take, spread over both nodes
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  shardingStats(a, INBOX).getRegions().values().stream()
                          .filter(r -> !r.getStats().isEmpty())
                          .count()
                      == 2);
      // (a read of the locations may time out while the cluster settles: asked again)
      await()
          .atMost(Duration.ofSeconds(45))
          .ignoreExceptions()
          .until(
              () ->
                  org.apache.pekko.cluster.sharding.external.ExternalShardAllocation.get(
                              a.node().system())
                          .getClient(TicketEntity.TYPE.name())
                          .getShardLocations()
                          .toCompletableFuture()
                          .get()
                          .getShardLocations()
                          .values()
                          .stream()
                          .map(l -> l.address())
                          .distinct()
                          .count()
                      == 2);
      sql.execute(String.format(HOLD_OPEN, "event_payload", "event_journal"));
      TestBroker.withChannel(InboxQueues::declare);
      List<UUID> tickets = new ArrayList<>();
      TestBroker.withChannel(
          channel -> {
            for (int i = 0; i < 80; i++) {
              UUID id = UUID.randomUUID();
              tickets.add(id);
              String description =
                  i == 10
                      ? "HOLD-OPEN: its journal write commits three seconds late"
                      : "ticket " + i;
              OutboundMessage m =
                  CommandMessage.toBackoffice(
                      new PrepareTicket(
                          id, new TicketType("internal"), new Description(description)),
                      id + ":1",
                      id.toString(),
                      Instant.now());
              channel.basicPublish(m.exchange(), m.routingKey(), true, m.properties(), m.body());
            }
          });

      await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> sql.count("SELECT count(*) FROM tickets") == tickets.size());
      assertEquals(
          1L, sql.count("SELECT count(*) FROM tickets WHERE ticket_id = ?", tickets.get(10)));
      var stats = shardingStats(a);
      assertEquals(
          2, stats.getRegions().size(), "both nodes hold tickets (and so both write the journal)");
      stats
          .getRegions()
          .values()
          .forEach(
              region ->
                  assertTrue(
                      region.getStats().values().stream()
                              .mapToInt(v -> ((Number) v).intValue())
                              .sum()
                          > 0,
                      stats::toString));
    } finally {
      b.node().stop().toCompletableFuture().join();
      a.node().stop().toCompletableFuture().join();
      TestPostgres.dropSchema(schema);
    }
  }

  // ---- helpers --------------------------------------------------------------------------------

  private static int regionsKnownToTheCoordinator(BackofficeNode node) throws Exception {
    var system = org.apache.pekko.actor.typed.javadsl.Adapter.toClassic(node.node().system());
    var region =
        org.apache.pekko.cluster.sharding.ClusterSharding.get(system)
            .shardRegion(TicketEntity.TYPE.name());
    var regions =
        (org.apache.pekko.cluster.sharding.ShardRegion.CurrentRegions)
            org.apache.pekko.pattern.Patterns.ask(
                    region,
                    org.apache.pekko.cluster.sharding.ShardRegion.getCurrentRegionsInstance(),
                    Duration.ofSeconds(5))
                .toCompletableFuture()
                .get();
    return regions.getRegions().size();
  }

  /** The sharded daemon process "inbox" runs as entities of this type, a shard per partition. */
  private static final org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey<?> INBOX =
      org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey.create(
          Object.class, "sharded-daemon-process-inbox");

  private static org.apache.pekko.cluster.sharding.ShardRegion.ClusterShardingStats shardingStats(
      BackofficeNode node) throws Exception {
    return shardingStats(node, TicketEntity.TYPE);
  }

  private static org.apache.pekko.cluster.sharding.ShardRegion.ClusterShardingStats shardingStats(
      BackofficeNode node, org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey<?> type)
      throws Exception {
    return org.apache.pekko.actor.typed.javadsl.AskPattern
        .<org.apache.pekko.cluster.sharding.typed.ClusterShardingQuery,
            org.apache.pekko.cluster.sharding.ShardRegion.ClusterShardingStats>
            ask(
                org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding.get(
                        node.node().system())
                    .shardState(),
                replyTo ->
                    new org.apache.pekko.cluster.sharding.typed.GetClusterShardingStats(
                        type, Duration.ofSeconds(3), replyTo),
                Duration.ofSeconds(5),
                node.node().system().scheduler())
        .toCompletableFuture()
        .get();
  }

  private static com.typesafe.config.Config twoNodeConfig(
      String schema, int clusterPort, String seeds) {
    return ConfigFactory.parseMap(
            Map.of(
                "helpdesk.cluster.port", clusterPort,
                "helpdesk.cluster.seed-nodes", seeds,
                "pekko.cluster.jmx.multi-mbeans-in-same-jvm", "on"))
        .withFallback(TestNodes.config(schema));
  }

  private static UUID report(TwoServices services, UUID id, String content) {
    Response r =
        services.customer.postJson(
            "/issues",
            "{\"issueId\":\""
                + id
                + "\",\"email\":\"jane@example.com\",\"content\":\""
                + content
                + "\"}");
    assertEquals(201, r.status(), r.toString());
    return id;
  }

  private static void awaitTicket(TwoServices services, UUID id, Duration within) {
    await()
        .atMost(within)
        .pollInterval(Duration.ofMillis(20))
        .until(
            () ->
                services.backofficeSql.count("SELECT count(*) FROM tickets WHERE ticket_id = ?", id)
                    == 1);
  }

  private static long sleepingBackends(Sql sql) {
    return sql.count("SELECT count(*) FROM pg_stat_activity WHERE wait_event = 'PgSleep'");
  }

  private static UUID idInTag(String tag) {
    UUID id;
    do {
      id = UUID.randomUUID();
    } while (!IssueEntity.tagFor(id).equals(tag));
    return id;
  }

  private static int freePort() {
    return org.example.helpdesk.testsupport.FreePorts.next();
  }
}
