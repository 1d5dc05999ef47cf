package org.example.helpdesk.platform.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.serialization.SerializationExtension;
import org.example.helpdesk.platform.db.Database;
import org.example.helpdesk.platform.db.DatabaseSettings;
import org.example.helpdesk.testsupport.Sql;
import org.example.helpdesk.testsupport.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The durable state store on the real PostgreSQL: revisions, batches, and what its rows hold. */
class PostgresDurableStateStoreTest {

  private static final String SCHEMA = TestPostgres.newSchemaName("state");
  private static final Sql sql = new Sql(SCHEMA);
  private static final AtomicInteger commits = new AtomicInteger();

  private static ActorTestKit testKit;
  private static Database database;
  private static PostgresDurableStateStore store;

  @BeforeAll
  static void start() throws SQLException {
    testKit = ActorTestKit.create();
    database =
        Database.connect(
            new DatabaseSettings(
                TestPostgres.jdbcUrl(),
                TestPostgres.user(),
                TestPostgres.password(),
                SCHEMA,
                4,
                Duration.ofSeconds(5)),
            "state-test");
    try (Connection c = TestPostgres.connect();
        Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + SCHEMA);
      s.execute("SET search_path TO " + SCHEMA);
      s.execute(
          "CREATE TABLE durable_state (global_offset BIGSERIAL, persistence_id VARCHAR(255) PRIMARY KEY,"
              + " revision BIGINT NOT NULL, state_payload BYTEA NOT NULL, state_serial_id INTEGER NOT NULL,"
              + " state_serial_manifest VARCHAR(255), tag VARCHAR, state_timestamp BIGINT NOT NULL,"
              + " tx_id xid8 NOT NULL DEFAULT pg_current_xact_id())");
    }
    store =
        new PostgresDurableStateStore(
            database.dataSource(),
            SerializationExtension.get(testKit.system()),
            2,
            256,
            Duration.ofMillis(1),
            tags -> commits.incrementAndGet(),
            "test",
            Integer.MAX_VALUE, // (no limit on waiting operations, and no timeouts)
            null,
            null);
  }

  @AfterAll
  static void stop() {
    store.close();
    database.close();
    testKit.shutdownTestKit();
    TestPostgres.dropSchema(SCHEMA);
  }

  @Test
  void anUnknownEntityHasNoStateAndRevisionZero() {
    PostgresDurableStateStore.Stored stored = store.get("nobody").join();
    assertEquals(0, stored.revision());
    assertNull(stored.value());
  }

  @Test
  void revisionsFollowEachOtherAndAStaleOneIsRefused() {
    store.upsert("a", 1, "first", "t").join();
    store.upsert("a", 2, "second", "t").join();
    assertEquals(new PostgresDurableStateStore.Stored(2, "second"), store.get("a").join());

    // another incarnation of the entity, still at revision 1, must not overwrite revision 2
    CompletionException stale =
        assertThrows(CompletionException.class, () -> store.upsert("a", 2, "stale", "t").join());
    assertInstanceOf(IllegalStateException.class, stale.getCause());
    CompletionException again =
        assertThrows(CompletionException.class, () -> store.upsert("a", 1, "again", "t").join());
    assertInstanceOf(IllegalStateException.class, again.getCause());
    assertEquals(new PostgresDurableStateStore.Stored(2, "second"), store.get("a").join());
  }

  @Test
  void everyWriteTakesANewOffsetAndItsTransactionInTheSameStatement() {
    store.upsert("b", 1, "one", "t").join();
    var first =
        sql.rows(
                "SELECT global_offset, tx_id::text AS tx, tag FROM durable_state WHERE persistence_id = 'b'")
            .get(0);
    store.upsert("b", 2, "two", "u").join();
    var second =
        sql.rows(
                "SELECT global_offset, tx_id::text AS tx, tag FROM durable_state WHERE persistence_id = 'b'")
            .get(0);
    assertTrue((Long) second.get("global_offset") > (Long) first.get("global_offset"));
    assertTrue(
        Long.parseLong((String) second.get("tx")) > Long.parseLong((String) first.get("tx")));
    assertEquals("u", second.get("tag"));
  }

  @Test
  void concurrentWritesOfManyEntitiesShareTransactionsAndAllLand() {
    int before = commits.get();
    List<CompletableFuture<Done>> writes = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      writes.add(store.upsert("many-" + i, 1, "value " + i, "t"));
    }
    CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).join();
    int transactions = commits.get() - before;
    assertEquals(
        500, sql.count("SELECT count(*) FROM durable_state WHERE persistence_id LIKE 'many-%'"));
    assertTrue(transactions < 500, "500 writes in " + transactions + " transactions");
    System.out.println("[state] 500 concurrent writes in " + transactions + " transactions");

    List<CompletableFuture<PostgresDurableStateStore.Stored>> reads = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      reads.add(store.get("many-" + i));
    }
    for (int i = 0; i < 500; i++) {
      assertEquals(new PostgresDurableStateStore.Stored(1, "value " + i), reads.get(i).join());
    }
  }

  @Test
  void aValueThatCannotBeSerializedFailsOnlyItsOwnWrite() {
    CompletableFuture<Done> bad = store.upsert("d", 1, new Object(), "t");
    assertThrows(CompletionException.class, bad::join);
    store.upsert("e", 1, "fine", "t").join();
  }
}
