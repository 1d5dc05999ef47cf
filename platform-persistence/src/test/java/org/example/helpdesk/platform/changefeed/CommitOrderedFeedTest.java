package org.example.helpdesk.platform.changefeed;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.stream.KillSwitches;
import org.apache.pekko.stream.UniqueKillSwitch;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.example.helpdesk.platform.changefeed.CommitOrderedFeed.Change;
import org.example.helpdesk.platform.db.Database;
import org.example.helpdesk.platform.db.DatabaseSettings;
import org.example.helpdesk.testsupport.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The commit-ordered feed against the real PostgreSQL, tried the ways an offset-ordered, clock-
 * trusting feed breaks: commits out of offset order, a transaction held open, writer clocks that
 * disagree, rolled-back writes, unreadable rows, many writers at once.
 */
class CommitOrderedFeedTest {

  private static final String SCHEMA = TestPostgres.newSchemaName("feed");
  private static final String TAG = "t";

  private static ActorTestKit testKit;
  private static Database database;
  private static ChangeNotifications notifications;

  /** The writers here notify as the durable state store does: after each commit. */
  private static ChangeNotifier writers;

  private static PrometheusRegistry registry;
  private static ChangeFeedMetrics metrics;

  private final List<
          org.apache.pekko.japi.Pair<
              UniqueKillSwitch, java.util.concurrent.CompletionStage<org.apache.pekko.Done>>>
      running = new ArrayList<>();

  /** Values are UTF-8 text; a value starting with "garbage" cannot be read. */
  private static final CommitOrderedFeed.Table<String> TABLE =
      new CommitOrderedFeed.Table<>() {
        @Override
        public String name() {
          return DurableStateTable.TABLE;
        }

        @Override
        public String sql() {
          return DurableStateTable.FEED_SQL;
        }

        @Override
        public String decode(ResultSet row) throws Exception {
          String value = new String(row.getBytes(7), UTF_8);
          if (value.startsWith("garbage")) {
            throw new IllegalArgumentException("not a value: " + value);
          }
          return value;
        }
      };

  @BeforeAll
  static void start() throws SQLException {
    DatabaseSettings settings =
        new DatabaseSettings(
            TestPostgres.jdbcUrl(),
            TestPostgres.user(),
            TestPostgres.password(),
            SCHEMA,
            16,
            Duration.ofSeconds(5));
    database = Database.connect(settings, "feed-test");
    try (Connection c = TestPostgres.connect();
        Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + SCHEMA);
      s.execute("SET search_path TO " + SCHEMA);
      // the durable state table as the customer schema has it (V1_2 and V3)
      s.execute(
          "CREATE TABLE durable_state (global_offset BIGSERIAL, persistence_id VARCHAR(255) PRIMARY KEY,"
              + " revision BIGINT NOT NULL, state_payload BYTEA NOT NULL, state_serial_id INTEGER NOT NULL,"
              + " state_serial_manifest VARCHAR(255), tag VARCHAR, state_timestamp BIGINT NOT NULL,"
              + " tx_id xid8 NOT NULL DEFAULT pg_current_xact_id())");
      s.execute("CREATE INDEX ON durable_state (tag, tx_id, global_offset)");
    }
    notifications = ChangeNotifications.start(settings, "feed-test", DurableStateTable.TABLE);
    writers = ChangeNotifier.start(settings, "feed-test", DurableStateTable.TABLE);
    registry = new PrometheusRegistry();
    metrics =
        new ChangeFeedMetrics(
            registry,
            new org.example.helpdesk.platform.db.SqlMetrics(
                database.dataSource(), java.time.Duration.ofSeconds(5), "test"));
    testKit = ActorTestKit.create();
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
    notifications.close();
    writers.close();
    database.close();
    TestPostgres.dropSchema(SCHEMA);
  }

  @AfterEach
  void stopFeeds() throws SQLException {
    running.forEach(r -> r.first().shutdown());
    running.forEach(r -> r.second().toCompletableFuture().join());
    try (Connection c = connect();
        Statement s = c.createStatement()) {
      s.execute("DELETE FROM durable_state");
    }
  }

  @Test
  void aRowThatCommitsLateIsDeliveredBeforeTheRowsThatCommittedWhileItWasOpen()
      throws SQLException {
    List<Change<String>> seen = follow(feed(Duration.ofSeconds(60)));
    try (Connection early = connect()) {
      early.setAutoCommit(false);
      insert(early, "early", "written first, committed last");
      // later writes take later offsets and commit at once, while the first stays open
      try (Connection c = connect()) {
        insert(c, "late-1", "a");
        insert(c, "late-2", "b");
      }
      await().during(Duration.ofMillis(800)).atMost(Duration.ofSeconds(2)).until(seen::isEmpty);
      early.commit();
      writers.changed();
    }
    await().atMost(Duration.ofSeconds(2)).until(() -> seen.size() == 3);
    assertEquals(List.of("early", "late-1", "late-2"), ids(seen));
  }

  @Test
  void writerClocksDoNotMatter() throws SQLException {
    List<Change<String>> seen = follow(feed(Duration.ofSeconds(60)));
    long now = System.currentTimeMillis();
    try (Connection c = connect()) {
      insert(c, "ahead", "a writer whose clock runs a minute ahead", now + 60_000);
      insert(c, "behind", "a writer whose clock runs an hour behind", now - 3_600_000);
      insert(c, "right", "a writer with the right time", now);
    }
    await().atMost(Duration.ofSeconds(1)).until(() -> seen.size() == 3);
    assertEquals(List.of("ahead", "behind", "right"), ids(seen));
  }

  @Test
  void aNotificationWakesTheFeedLongBeforeItWouldPoll() throws SQLException {
    List<Change<String>> seen = follow(feed(Duration.ofSeconds(60)));
    try (Connection c = connect()) {
      insert(c, "warm-up", "x");
      await().atMost(Duration.ofSeconds(2)).until(() -> seen.size() == 1);
      long start = System.nanoTime();
      insert(c, "woken", "y");
      await()
          .atMost(Duration.ofSeconds(1))
          .pollInterval(Duration.ofMillis(5))
          .until(() -> seen.size() == 2);
      System.out.println(
          "[feed] commit to delivery: " + (System.nanoTime() - start) / 1_000_000 + " ms");
    }
  }

  @Test
  void anUpdateDeliversTheRowAgainAtItsNewTransaction() throws SQLException {
    List<Change<String>> seen = follow(feed(Duration.ofSeconds(60)));
    try (Connection c = connect()) {
      insert(c, "a", "first");
      await().atMost(Duration.ofSeconds(2)).until(() -> seen.size() == 1);
      insert(c, "b", "other");
      update(c, "a", 2, "second");
    }
    await().atMost(Duration.ofSeconds(2)).until(() -> seen.size() == 3);
    assertEquals(List.of("a", "b", "a"), ids(seen));
    assertEquals("second", seen.get(2).value());
    assertEquals(2, seen.get(2).revision());
  }

  @Test
  void anUnreadableRowIsPassedNamedAndCountedAndTheTagFlowsOn() throws SQLException {
    List<Change<String>> seen = follow(feed(Duration.ofSeconds(60)));
    double before = unreadableCount();
    try (Connection c = connect()) {
      insert(c, "before", "fine");
      insert(c, "broken", "garbage \u0000\u0001");
      insert(c, "after", "fine too");
    }
    await().atMost(Duration.ofSeconds(2)).until(() -> seen.size() == 3);
    assertEquals(List.of("before", "broken", "after"), ids(seen));
    assertNull(seen.get(1).value(), "an unreadable row comes without a value");
    assertEquals("fine too", seen.get(2).value());
    assertEquals(before + 1, unreadableCount());
  }

  @Test
  void theFeedStartsAfterTheStoredPosition() throws SQLException {
    try (Connection c = connect()) {
      insert(c, "one", "1");
      insert(c, "two", "2");
      insert(c, "three", "3");
    }
    List<Change<String>> all = follow(feed(Duration.ofSeconds(60)));
    await().atMost(Duration.ofSeconds(2)).until(() -> all.size() == 3);
    FeedPosition afterOne = all.get(0).position();
    assertEquals(afterOne, FeedPosition.parse(afterOne.toString()));

    List<Change<String>> rest = follow(feed(Duration.ofSeconds(60)), afterOne);
    await().atMost(Duration.ofSeconds(2)).until(() -> rest.size() == 2);
    assertEquals(List.of("two", "three"), ids(rest));
  }

  /**
   * Many writers, each transaction held open a random while, some rolled back, rows inserted and
   * updated: the feed delivers every committed row's last revision, nothing rolled back, and its
   * positions only ever grow.
   */
  @Test
  void manyWritersCommittingInRandomOrderNeverMakeItSkipAnything() throws Exception {
    List<Change<String>> seen = follow(feed(Duration.ofSeconds(60)));
    Map<String, Long> committed = new ConcurrentHashMap<>();
    ExecutorService threads = Executors.newFixedThreadPool(8);
    List<java.util.concurrent.Future<?>> work = new ArrayList<>();
    for (int w = 0; w < 8; w++) {
      work.add(
          threads.submit(
              () -> {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                Map<String, Long> mine = new HashMap<>();
                try (Connection c = connect()) {
                  c.setAutoCommit(false);
                  for (int i = 0; i < 40; i++) {
                    Map<String, Long> written = new HashMap<>();
                    for (int r = 0; r < 1 + random.nextInt(3); r++) {
                      if (!mine.isEmpty() && random.nextBoolean()) {
                        String id = new ArrayList<>(mine.keySet()).get(random.nextInt(mine.size()));
                        if (!written.containsKey(id)) {
                          long revision = mine.get(id) + 1;
                          update(c, id, revision, "r" + revision);
                          written.put(id, revision);
                        }
                      } else {
                        String id = UUID.randomUUID().toString();
                        insert(c, id, "r1");
                        written.put(id, 1L);
                      }
                    }
                    Thread.sleep(random.nextInt(25));
                    if (random.nextInt(6) == 0) {
                      c.rollback();
                    } else {
                      c.commit();
                      writers.changed();
                      mine.putAll(written);
                      committed.putAll(written);
                    }
                  }
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
                return null;
              }));
    }
    for (var f : work) {
      f.get(60, TimeUnit.SECONDS);
    }
    threads.shutdown();

    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> {
              Map<String, Long> last = new HashMap<>();
              seen.forEach(c -> last.put(c.persistenceId(), c.revision()));
              return last.equals(committed);
            });
    for (int i = 1; i < seen.size(); i++) {
      assertTrue(
          seen.get(i - 1).position().compareTo(seen.get(i).position()) < 0,
          "positions grow at " + i);
    }
    assertTrue(
        seen.stream().allMatch(c -> committed.containsKey(c.persistenceId())),
        "nothing rolled back is delivered");
    System.out.println(
        "[feed] " + committed.size() + " rows, " + seen.size() + " changes delivered");
  }

  // ---- helpers --------------------------------------------------------------------------------

  private static CommitOrderedFeed<String> feed(Duration fallbackPoll) {
    return new CommitOrderedFeed<>(
        testKit.system(),
        database,
        TABLE,
        notifications.signal(DurableStateTable.TABLE),
        new CommitOrderedFeed.Settings(
            50, Duration.ofMillis(10), fallbackPoll, Duration.ofMillis(10), Duration.ofMillis(100)),
        metrics);
  }

  private List<Change<String>> follow(CommitOrderedFeed<String> feed) {
    return follow(feed, FeedPosition.START);
  }

  private List<Change<String>> follow(CommitOrderedFeed<String> feed, FeedPosition after) {
    List<Change<String>> seen = new CopyOnWriteArrayList<>();
    running.add(
        feed.changes(TAG, after)
            .viaMat(KillSwitches.single(), Keep.right())
            .toMat(Sink.foreach(seen::add), Keep.both())
            .run(testKit.system()));
    return seen;
  }

  private static List<String> ids(List<Change<String>> changes) {
    return changes.stream().map(Change::persistenceId).toList();
  }

  private static Connection connect() throws SQLException {
    Connection c = TestPostgres.connect();
    c.setSchema(SCHEMA);
    return c;
  }

  private static void insert(Connection c, String id, String value) throws SQLException {
    insert(c, id, value, System.currentTimeMillis());
  }

  private static void insert(Connection c, String id, String value, long timestamp)
      throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "INSERT INTO durable_state (persistence_id, revision, state_payload, state_serial_id, tag, state_timestamp)"
                + " VALUES (?, 1, ?, 0, ?, ?)")) {
      s.setString(1, id);
      s.setBytes(2, value.getBytes(UTF_8));
      s.setString(3, TAG);
      s.setLong(4, timestamp);
      s.executeUpdate();
    }
    writers.changed();
  }

  /** As the durable state store writes an update: a new offset and the writing transaction. */
  private static void update(Connection c, String id, long revision, String value)
      throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "UPDATE durable_state SET revision = ?, state_payload = ?, global_offset = nextval('durable_state_global_offset_seq'),"
                + " tx_id = pg_current_xact_id() WHERE persistence_id = ?")) {
      s.setLong(1, revision);
      s.setBytes(2, value.getBytes(UTF_8));
      s.setString(3, id);
      s.executeUpdate();
    }
    writers.changed();
  }

  private static double unreadableCount() {
    var snapshots =
        registry.scrape().stream()
            .filter(m -> m.getMetadata().getName().equals("helpdesk_change_feed_unreadable_rows"))
            .toList();
    if (snapshots.isEmpty()) {
      return 0;
    }
    return snapshots.get(0).getDataPoints().stream()
        .mapToDouble(
            d ->
                ((io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot) d)
                    .getValue())
        .sum();
  }
}
