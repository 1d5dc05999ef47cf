package org.example.helpdesk.platform.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.example.helpdesk.platform.concurrent.Futures;
import org.example.helpdesk.platform.http.ApiErrors;
import org.example.helpdesk.testsupport.TcpProxy;
import org.example.helpdesk.testsupport.TestPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bounds of {@link Database} on the real PostgreSQL: the queue, the wait for a connection, the
 * wait for an answer, the server's statement timeout and the driver's socket timeout (through a
 * proxy that black-holes the connection).
 */
class DatabaseTimeoutsTest {

  private static DatabaseSettings settings(
      String url,
      int poolSize,
      Duration connectionTimeout,
      int socketTimeout,
      int statementTimeout,
      Duration callTimeout,
      int queueSize) {
    return new DatabaseSettings(
        url,
        TestPostgres.user(),
        TestPostgres.password(),
        "public",
        poolSize,
        connectionTimeout,
        0,
        2,
        socketTimeout,
        statementTimeout,
        callTimeout,
        queueSize);
  }

  private static Throwable failure(CompletionStage<?> stage) {
    CompletionException e =
        assertThrows(CompletionException.class, () -> stage.toCompletableFuture().join());
    return Futures.unwrap(e);
  }

  @Test
  void aFullQueueRefusesAtOnceAndTheExecutorSaysSoToo() throws Exception {
    try (Database db =
        Database.connect(
            settings(
                TestPostgres.jdbcUrl(),
                1,
                Duration.ofSeconds(5),
                30,
                15,
                Duration.ofSeconds(10),
                2),
            "queue-test")) {
      CountDownLatch release = new CountDownLatch(1);
      CountDownLatch started = new CountDownLatch(1);
      CompletionStage<Integer> busy =
          db.run(
              c -> {
                started.countDown();
                await(release);
                return 1;
              });
      assertTrue(started.await(5, TimeUnit.SECONDS));
      CompletionStage<Integer> second = db.run(c -> 2);
      CompletionStage<Integer> third = db.run(c -> 3);
      assertEquals(2, db.waitingCalls());

      long start = System.nanoTime();
      CompletionStage<Integer> refused = db.run(c -> 4);
      Throwable t = failure(refused);
      assertTrue(System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(100), "refused at once");
      assertInstanceOf(Database.DatabaseBusyException.class, t);
      assertEquals(1, db.refusedCalls());
      assertEquals(2, db.waitingCalls(), "the queue did not grow");

      RejectedExecutionException rejected =
          assertThrows(RejectedExecutionException.class, () -> db.executor().execute(() -> {}));
      assertInstanceOf(Database.DatabaseBusyException.class, rejected.getCause());

      release.countDown();
      assertEquals(1, busy.toCompletableFuture().get(5, TimeUnit.SECONDS));
      assertEquals(2, second.toCompletableFuture().get(5, TimeUnit.SECONDS));
      assertEquals(3, third.toCompletableFuture().get(5, TimeUnit.SECONDS));
    }
  }

  @Test
  void aCallThatGetsNoConnectionInTimeFailsAndItsWorkIsNeverDone() throws Exception {
    try (Database db =
        Database.connect(
            settings(
                TestPostgres.jdbcUrl(),
                1,
                Duration.ofMillis(500),
                30,
                15,
                Duration.ofSeconds(10),
                10),
            "acquire-test")) {
      CountDownLatch release = new CountDownLatch(1);
      CompletionStage<Integer> busy =
          db.run(
              c -> {
                await(release);
                return 1;
              });
      AtomicBoolean ran = new AtomicBoolean();
      long start = System.nanoTime();
      CompletionStage<Integer> waiting =
          db.run(
              c -> {
                ran.set(true);
                return 2;
              });
      Throwable t = failure(waiting);
      long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertInstanceOf(Database.DatabaseBusyException.class, t);
      assertTrue(took >= 400 && took < 2_000, "failed after " + took + " ms");
      assertEquals(0, db.waitingCalls(), "it left the queue");
      release.countDown();
      assertEquals(1, busy.toCompletableFuture().get(5, TimeUnit.SECONDS));
      Thread.sleep(200);
      assertFalse(ran.get(), "the work of a call given up on is not done");
      assertEquals(3, db.run(c -> 3).toCompletableFuture().get(5, TimeUnit.SECONDS));
    }
  }

  @Test
  void aCallWithoutAnAnswerInTimeFailsWhileItsStatementRunsOn() throws Exception {
    try (Database db =
        Database.connect(
            settings(
                TestPostgres.jdbcUrl(),
                2,
                Duration.ofMillis(500),
                30,
                15,
                Duration.ofSeconds(1),
                10),
            "call-test")) {
      long start = System.nanoTime();
      Throwable t = failure(db.run(c -> query(c, "SELECT pg_sleep(3)")));
      long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertInstanceOf(Database.DatabaseBusyException.class, t);
      assertTrue(took >= 900 && took < 2_500, "failed after " + took + " ms");
      // the other thread still serves
      assertEquals(
          1, db.run(c -> query(c, "SELECT 1")).toCompletableFuture().get(5, TimeUnit.SECONDS));
    }
  }

  @Test
  void theServerCancelsAStatementAfterTheStatementTimeout() {
    try (Database db =
        Database.connect(
            settings(
                TestPostgres.jdbcUrl(), 1, Duration.ofSeconds(5), 5, 1, Duration.ofSeconds(10), 10),
            "statement-test")) {
      long start = System.nanoTime();
      Throwable t = failure(db.run(c -> query(c, "SELECT pg_sleep(4)")));
      long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertInstanceOf(Database.DatabaseException.class, t);
      assertEquals("57014", ((SQLException) t.getCause()).getSQLState(), "query_canceled: " + t);
      assertTrue(took < 3_000, "failed after " + took + " ms");
    }
  }

  @Test
  void aBlackHoledConnectionFailsAfterTheSocketTimeoutAndANewOneAfterTheConnectTimeout()
      throws Exception {
    try (TcpProxy proxy = proxy()) {
      DatabaseSettings s =
          settings(viaProxy(proxy), 1, Duration.ofSeconds(5), 2, 1, Duration.ofSeconds(10), 10);
      Properties props = Database.driverProperties(s);
      props.setProperty("user", s.user());
      props.setProperty("password", s.password());
      Connection c = DriverManager.getConnection(s.url(), props);
      try {
        assertEquals(1, query(c, "SELECT 1"));
        proxy.blackHole();
        long start = System.nanoTime();
        SQLException e = assertThrows(SQLException.class, () -> query(c, "SELECT 1"));
        long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(took >= 1_500 && took < 4_000, "failed after " + took + " ms: " + e);

        start = System.nanoTime();
        assertThrows(SQLException.class, () -> DriverManager.getConnection(s.url(), props).close());
        took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(took < 4_000, "a new connection failed after " + took + " ms");
      } finally {
        try {
          c.close();
        } catch (SQLException ignored) {
          // it is dead
        }
      }
      proxy.restore();
      try (Connection again = DriverManager.getConnection(s.url(), props)) {
        assertEquals(1, query(again, "SELECT 1"));
      }
    }
  }

  @Test
  void aBlackHoledPoolAnswersEveryCallInBoundedTime() throws Exception {
    try (TcpProxy proxy = proxy();
        Database db =
            Database.connect(
                settings(
                    viaProxy(proxy),
                    2,
                    Duration.ofMillis(1_000),
                    30,
                    15,
                    Duration.ofSeconds(2),
                    20),
                "blackhole-test")) {
      assertEquals(
          1, db.run(c -> query(c, "SELECT 1")).toCompletableFuture().get(10, TimeUnit.SECONDS));
      proxy.blackHole();
      long start = System.nanoTime();
      List<CompletableFuture<Integer>> calls = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        calls.add(db.run(c -> query(c, "SELECT 1")).toCompletableFuture());
        assertTrue(db.waitingCalls() <= 20);
      }
      for (CompletableFuture<Integer> call : calls) {
        Throwable t = assertThrows(Exception.class, () -> call.get(3, TimeUnit.SECONDS));
        assertInstanceOf(Database.DatabaseException.class, Futures.unwrap(t), t.toString());
      }
      long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertTrue(took < 3_000, "all answered after " + took + " ms");
      assertTrue(db.refusedCalls() >= 50 - 20 - 2, "refused " + db.refusedCalls());
      proxy.restore();
      CompletableFuture<Integer> back = new CompletableFuture<>();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
      while (!back.isDone() && System.nanoTime() < deadline) {
        db.run(c -> query(c, "SELECT 1"))
            .whenComplete(
                (v, e) -> {
                  if (v != null) {
                    back.complete(v);
                  }
                });
        Thread.sleep(200);
      }
      assertEquals(1, back.get(1, TimeUnit.SECONDS));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("busy")
  void theApiAnswersABusyDatabaseWithA503AndAJsonError(String name, Throwable t) {
    HttpResponse response = ApiErrors.responseFor(t);
    assertEquals(503, response.status().intValue());
    String body = ((HttpEntity.Strict) response.entity()).getData().utf8String();
    assertEquals("{\"error\":\"the database is not answering; try again later\"}", body);
  }

  static Stream<Arguments> busy() {
    return Stream.of(
        Arguments.of(
            "no connection in time (a failed call)",
            new CompletionException(
                new Database.DatabaseBusyException("no connection within 5000 ms"))),
        Arguments.of(
            "a full queue (a refused call)",
            new RejectedExecutionException(
                "full", new Database.DatabaseBusyException("1000 calls wait"))));
  }

  @Test
  void settingsWithUnitsWhereTheDriverTakesSecondsAreRefused() {
    com.typesafe.config.Config config =
        com.typesafe.config.ConfigFactory.parseString(
            "helpdesk.database { url = \"jdbc:postgresql://x/y\", user = u, password = p, schema = s, pool-size = 2,"
                + " connection-timeout = 5s, connect-retries = 0, connect-timeout = 5, socket-timeout = \"30s\","
                + " statement-timeout = 15, call-timeout = 8s, queue-size = 10 }");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> DatabaseSettings.from(config));
    assertTrue(e.getMessage().contains("DATABASE_SOCKET_TIMEOUT"), e.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () ->
            settings(
                "jdbc:postgresql://x/y",
                1,
                Duration.ofSeconds(5),
                10,
                10,
                Duration.ofSeconds(8),
                10),
        "a statement timeout not below the socket timeout");
  }

  private static TcpProxy proxy() {
    java.net.URI db = java.net.URI.create(TestPostgres.jdbcUrl().substring("jdbc:".length()));
    return new TcpProxy(db.getHost(), db.getPort());
  }

  private static String viaProxy(TcpProxy proxy) {
    return TestPostgres.jdbcUrl().replaceFirst("//[^/]+/", "//127.0.0.1:" + proxy.port() + "/");
  }

  private static int query(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(sql);
      return 1;
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
