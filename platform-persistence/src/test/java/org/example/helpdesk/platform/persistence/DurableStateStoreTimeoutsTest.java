package org.example.helpdesk.platform.persistence;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.serialization.SerializationExtension;
import org.example.helpdesk.platform.concurrent.Futures;
import org.example.helpdesk.platform.db.Database;
import org.example.helpdesk.platform.db.DatabaseSettings;
import org.example.helpdesk.testsupport.TcpProxy;
import org.example.helpdesk.testsupport.TestPostgres;
import org.junit.jupiter.api.Test;

/** The durable state store in front of a database that stops answering: nothing waits unbounded. */
class DurableStateStoreTimeoutsTest {

  @Test
  void aBlackHoledDatabaseFailsWhatWaitsAndWhatRunsAndRefusesBeyondTheBound() throws Exception {
    java.net.URI uri = java.net.URI.create(TestPostgres.jdbcUrl().substring("jdbc:".length()));
    ActorTestKit testKit = ActorTestKit.create();
    try (TcpProxy proxy = new TcpProxy(uri.getHost(), uri.getPort());
        Database database =
            Database.connect(
                new DatabaseSettings(
                    TestPostgres.jdbcUrl()
                        .replaceFirst("//[^/]+/", "//127.0.0.1:" + proxy.port() + "/"),
                    TestPostgres.user(),
                    TestPostgres.password(),
                    "public",
                    1,
                    Duration.ofSeconds(1)),
                "state-timeouts-test");
        PostgresDurableStateStore store =
            new PostgresDurableStateStore(
                database.dataSource(),
                SerializationExtension.get(testKit.system()),
                1,
                256,
                Duration.ofMillis(1),
                tags -> {},
                "timeouts",
                1,
                Duration.ofMillis(500),
                Duration.ofSeconds(1))) {
      // a connection in the pool (the table need not exist)
      assertThrows(ExecutionException.class, () -> store.get("warm-up").get(10, TimeUnit.SECONDS));
      proxy.blackHole();
      long start = System.nanoTime();
      CompletableFuture<?> running = store.get("a");
      Thread.sleep(100);
      CompletableFuture<?> waiting = store.get("b");
      CompletableFuture<?> refused = store.upsert("c", 1, "state", "t");
      assertBusy(refused);
      assertTrue(millisSince(start) < 500, "refused at once");
      assertBusy(waiting);
      assertTrue(
          millisSince(start) < 1_000,
          "what waits fails after the wait timeout: " + millisSince(start) + " ms");
      Throwable t = assertThrows(ExecutionException.class, () -> running.get(3, TimeUnit.SECONDS));
      assertInstanceOf(Database.DatabaseException.class, Futures.unwrap(t));
      assertTrue(
          millisSince(start) < 1_600,
          "what runs fails after the call timeout: " + millisSince(start) + " ms");
      proxy.restore();
    } finally {
      testKit.shutdownTestKit();
    }
  }

  private static void assertBusy(CompletableFuture<?> f) {
    Throwable t = assertThrows(ExecutionException.class, () -> f.get(3, TimeUnit.SECONDS));
    assertInstanceOf(Database.DatabaseBusyException.class, Futures.unwrap(t), t.toString());
  }

  private static long millisSince(long start) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
  }
}
