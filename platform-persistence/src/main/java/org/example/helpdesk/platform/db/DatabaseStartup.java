package org.example.helpdesk.platform.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;
import org.example.helpdesk.platform.support.Secrets;
import org.example.helpdesk.platform.support.StartupFailure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's wait for its database at start ({@link Database#awaitReachable}): apart from {@link
 * Database} because it runs before any pool exists, on the driver alone, and decides only whether
 * to wait on or give up.
 */
final class DatabaseStartup {

  // (logged as the Database, where operators have always looked for it)
  private static final Logger log = LoggerFactory.getLogger(Database.class);

  private DatabaseStartup() {}

  /** See {@link Database#awaitReachable}. */
  static void awaitReachable(DatabaseSettings settings) {
    int attempts = 1 + Math.max(0, settings.connectRetries());
    long pauseMillis = 1_000;
    for (int attempt = 1; ; attempt++) {
      SQLException failure = tryConnect(settings);
      if (failure == null) {
        return;
      }
      String reason = Secrets.redact(describe(failure));
      String where = Secrets.redact(settings.url()) + " as " + settings.user();
      if (isPermanent(failure)) {
        throw new StartupFailure(
            "the database refuses the node: " + reason + " (DATABASE_URL " + where + ")",
            StartupFailure.COULD_NOT_START);
      }
      if (attempt >= attempts) {
        throw new StartupFailure(
            "the database did not answer in "
                + attempts
                + (attempts == 1 ? " attempt" : " attempts")
                + " (DATABASE_CONNECT_RETRIES="
                + settings.connectRetries()
                + "): "
                + reason
                + " ("
                + where
                + ")",
            StartupFailure.COULD_NOT_START);
      }
      log.warn(
          "The database does not answer yet (attempt {} of {}): {}; trying again in {} s",
          attempt,
          attempts,
          reason,
          pauseMillis / 1_000);
      try {
        Thread.sleep(pauseMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new StartupFailure("interrupted while waiting for the database", 1);
      }
      pauseMillis = Math.min(10_000, pauseMillis * 2);
    }
  }

  /** One connection, straight from the driver (the pool would wait its connection-timeout). */
  private static SQLException tryConnect(DatabaseSettings settings) {
    Properties props = Database.driverProperties(settings);
    if (settings.user() != null && !settings.user().isEmpty()) {
      props.setProperty("user", settings.user());
    }
    if (settings.password() != null && !settings.password().isEmpty()) {
      props.setProperty("password", settings.password());
    }
    try {
      java.sql.Driver driver = new org.postgresql.Driver();
      if (!driver.acceptsURL(settings.url())) {
        return new SQLException(
            "not a PostgreSQL JDBC URL (jdbc:postgresql://host:port/database)", "08P01");
      }
      try (Connection c = driver.connect(settings.url(), props)) {
        return null;
      }
    } catch (SQLException e) {
      return e;
    }
  }

  /**
   * The database answered and said no, or the URL is unusable: trying again changes nothing.
   * SQLSTATE class 28 (invalid authorization: wrong password, no such role, no pg_hba entry), 3D000
   * (no such database), 42501 (no CONNECT privilege), 08P01 (unusable URL); everything else (08001
   * connection refused, 08006, 57P03 starting up, 53300 too many connections, timeouts) may pass.
   */
  static boolean isPermanent(SQLException e) {
    String state = e.getSQLState();
    if (state == null) {
      return false;
    }
    return state.startsWith("28")
        || state.equals("3D000")
        || state.equals("42501")
        || state.equals("08P01");
  }

  private static String describe(SQLException e) {
    String message = String.valueOf(e.getMessage());
    Throwable cause = e.getCause();
    if (cause != null && cause.getMessage() != null && !message.contains(cause.getMessage())) {
      message += " (" + cause.getMessage() + ")";
    }
    return message;
  }
}
