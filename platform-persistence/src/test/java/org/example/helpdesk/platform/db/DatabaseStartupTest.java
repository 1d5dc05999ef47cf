package org.example.helpdesk.platform.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.sql.SQLException;
import java.time.Duration;
import java.util.stream.Stream;
import org.example.helpdesk.platform.support.StartupFailure;
import org.example.helpdesk.testsupport.TestPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A node's wait for its database at start ({@link Database#awaitReachable}): a database that
 * refuses the node ends the start at once, one that does not answer is tried again exactly {@code
 * connect-retries} times; and no password in any of the messages.
 */
class DatabaseStartupTest {

  private static DatabaseSettings settings(String url, String user, String password, int retries) {
    return new DatabaseSettings(url, user, password, "public", 2, Duration.ofSeconds(5))
        .withConnectRetries(retries);
  }

  private static String base() {
    String url = TestPostgres.jdbcUrl();
    return url.contains("?") ? url.substring(0, url.indexOf('?')) : url;
  }

  private static String server() {
    String base = base();
    return base.substring(0, base.lastIndexOf('/'));
  }

  @Test
  void aReachableDatabaseIsNoProblem() {
    Database.awaitReachable(
        settings(TestPostgres.jdbcUrl(), TestPostgres.user(), TestPostgres.password(), 0));
  }

  @Test
  void anUnknownDatabaseEndsTheStartAtOnceWithItsReason() {
    long start = System.nanoTime();
    StartupFailure failure =
        assertThrows(
            StartupFailure.class,
            () ->
                Database.awaitReachable(
                    settings(
                        server() + "/no_such_database_4711?password=S3cret-url",
                        TestPostgres.user(),
                        TestPostgres.password(),
                        5)));
    assertTrue(System.nanoTime() - start < Duration.ofSeconds(3).toNanos(), "not retried");
    assertEquals(StartupFailure.COULD_NOT_START, failure.exitStatus());
    assertTrue(
        failure.getMessage().contains("the database refuses the node"), failure.getMessage());
    assertTrue(failure.getMessage().contains("does not exist"), failure.getMessage());
    assertTrue(failure.getMessage().contains("?password=***"), failure.getMessage());
    assertFalse(failure.getMessage().contains("S3cret"), failure.getMessage());
  }

  @Test
  void anUnknownRoleEndsTheStartAtOnce() {
    StartupFailure failure =
        assertThrows(
            StartupFailure.class,
            () -> Database.awaitReachable(settings(base(), "no_such_role_4711", "S3cret-pw", 5)));
    assertTrue(failure.getMessage().contains("no_such_role_4711"), failure.getMessage());
    assertFalse(failure.getMessage().contains("S3cret"), failure.getMessage());
  }

  @Test
  void aDatabaseThatDoesNotAnswerIsTriedAgainConnectRetriesTimes() throws IOException {
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    long start = System.nanoTime();
    StartupFailure failure =
        assertThrows(
            StartupFailure.class,
            () ->
                Database.awaitReachable(
                    settings("jdbc:postgresql://127.0.0.1:" + port + "/x", "u", "S3cret-pw", 2)));
    long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();
    // 3 attempts, 1 s and 2 s apart
    assertTrue(millis >= 3_000 && millis < 10_000, millis + " ms");
    assertTrue(
        failure.getMessage().contains("did not answer in 3 attempts (DATABASE_CONNECT_RETRIES=2)"),
        failure.getMessage());
    assertFalse(failure.getMessage().contains("S3cret"), failure.getMessage());
  }

  @Test
  void aUrlOfAnotherFormIsRefusedAtOnceAndItsPasswordMasked() {
    StartupFailure failure =
        assertThrows(
            StartupFailure.class,
            () ->
                Database.awaitReachable(
                    settings("postgres://u:S3cret-url@127.0.0.1/x", "u", "", 5)));
    assertTrue(failure.getMessage().contains("jdbc:postgresql://"), failure.getMessage());
    assertFalse(failure.getMessage().contains("S3cret"), failure.getMessage());
    // the pool's own complaint ("Failed to get driver instance for jdbcUrl=<the URL>") as well
    IllegalArgumentException pool =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                Database.connect(settings("postgres://u:S3cret-url@127.0.0.1/x", "u", "", 0), "t"));
    assertTrue(pool.getMessage().contains("postgres://u:***@127.0.0.1/x"), pool.getMessage());
    assertTrue(pool.getMessage().contains("jdbc:postgresql://"), pool.getMessage());
    assertFalse(pool.getMessage().contains("S3cret"), pool.getMessage());
  }

  static Stream<Arguments> sqlStates() {
    return Stream.of(
        Arguments.of("28P01", "password authentication failed", true),
        Arguments.of("28000", "role does not exist / no pg_hba.conf entry", true),
        Arguments.of("3D000", "database does not exist", true),
        Arguments.of("42501", "no CONNECT privilege", true),
        Arguments.of("08001", "connection refused, connect timeout", false),
        Arguments.of("08006", "connection failure", false),
        Arguments.of("57P03", "the database system is starting up", false),
        Arguments.of("53300", "too many connections", false),
        Arguments.of(null, "no SQLSTATE", false));
  }

  @ParameterizedTest(name = "{0} ({1}): permanent {2}")
  @MethodSource("sqlStates")
  void permanentAndTransientFailures(String state, String what, boolean permanent) {
    assertEquals(permanent, DatabaseStartup.isPermanent(new SQLException(what, state)));
  }
}
