package org.example.helpdesk.platform.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import javax.sql.DataSource;
import org.example.helpdesk.platform.support.Secrets;
import org.example.helpdesk.platform.support.StartupFailure;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's own connection pool, in its schema, with a thread pool of the same size for the blocking
 * JDBC calls so that they never run on the actors' dispatcher.
 *
 * <p>Nothing here waits without a bound when the database stops answering (down, or black-holed:
 * connections open, nothing comes back): a call waits at most {@code connection-timeout} for a
 * thread and a connection, and its caller at most {@code call-timeout} in all; at most {@code
 * queue-size} calls wait for a thread, and a call beyond that fails at once. Each of these fails
 * with a {@link DatabaseBusyException}, which the HTTP API answers with a 503. A statement on a
 * dead connection fails after {@code socket-timeout}, which frees its thread; the server cancels
 * one that runs longer than {@code statement-timeout}.
 *
 * <p>The threads and the bounds on every wait are {@link JdbcCalls}'; the wait for the database at
 * a node's start is {@link DatabaseStartup}'s.
 */
public final class Database implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Database.class);

  private final DatabaseSettings settings;
  private final HikariDataSource dataSource;
  private final JdbcCalls calls;

  private Database(DatabaseSettings settings, String poolName) {
    this.settings = settings;
    HikariConfig config = new HikariConfig();
    config.setPoolName(poolName);
    config.setJdbcUrl(settings.url());
    config.setUsername(settings.user());
    config.setPassword(settings.password());
    config.setSchema(settings.schema());
    config.setMaximumPoolSize(settings.poolSize());
    config.setMinimumIdle(Math.min(2, settings.poolSize()));
    config.setConnectionTimeout(settings.connectionTimeout().toMillis());
    // a connection idle for more than 0.5 s is checked before it is handed out; the check itself
    // must not hang on a dead one
    config.setValidationTimeout(
        Math.max(250, Math.min(2_000, settings.connectionTimeout().toMillis() - 1)));
    // idle connections are checked every 30 s (within the validation timeout), so that dead ones
    // are replaced before anyone asks for them; maxLifetime (30 min) only retires connections
    // that are given back, it never waits on one
    config.setKeepaliveTime(30_000);
    config.setLeakDetectionThreshold(0);
    driverProperties(settings).forEach((k, v) -> config.addDataSourceProperty((String) k, v));
    // start without a database; the pool connects when first used and after outages
    config.setInitializationFailTimeout(-1);
    try {
      this.dataSource = new HikariDataSource(config);
    } catch (RuntimeException e) {
      // e.g. Hikari's "Failed to get driver instance for jdbcUrl=<the URL, password and all>"
      throw new IllegalArgumentException(
          "cannot use the database URL "
              + Secrets.redact(settings.url())
              + " (it must be of the form jdbc:postgresql://host:port/database): "
              + Secrets.redact(String.valueOf(e.getMessage()))
              + (e.getCause() == null ? "" : " (" + Secrets.redact(e.getCause().toString()) + ")"));
    }
    this.calls = new JdbcCalls(dataSource, settings, poolName);
  }

  public static Database connect(DatabaseSettings settings, String poolName) {
    return new Database(settings, poolName);
  }

  /**
   * The pgjdbc properties that bound every wait on the wire: connect and login, every read of a
   * statement's answer (socket timeout), and, on the server, the statement itself. Properties of
   * the URL (e.g. an {@code options} there) take precedence.
   */
  public static Properties driverProperties(DatabaseSettings settings) {
    Properties props = new Properties();
    props.setProperty("connectTimeout", String.valueOf(settings.connectTimeout()));
    props.setProperty("loginTimeout", String.valueOf(settings.connectTimeout()));
    props.setProperty("socketTimeout", String.valueOf(settings.socketTimeout()));
    props.setProperty("tcpKeepAlive", "true");
    if (settings.statementTimeout() > 0) {
      props.setProperty("options", "-c statement_timeout=" + settings.statementTimeout() + "s");
    }
    return props;
  }

  /** Creates the schema if needed and applies the node's migrations (idempotent). */
  public void migrate(String... locations) {
    // (a migration whose statements need longer than statement-timeout sets its own, with
    // SET LOCAL statement_timeout, in its transaction)
    var result =
        Flyway.configure()
            .dataSource(dataSource)
            .schemas(settings.schema())
            .defaultSchema(settings.schema())
            .createSchemas(true)
            // (a node waits for its database before, see awaitReachable)
            .locations(locations)
            .load()
            .migrate();
    // (Flyway's target version is null when there was nothing to apply)
    log.info(
        "Schema {} is at version {} ({} migrations applied now)",
        settings.schema(),
        result.targetSchemaVersion != null
            ? result.targetSchemaVersion
            : result.initialSchemaVersion,
        result.migrationsExecuted);
  }

  /**
   * Waits for the database at a node's start: a database that does not answer yet (connection
   * refused, timeout, starting up) is tried again, {@code connect-retries} times, 1 s, 2 s, 4 s ...
   * up to 10 s apart; one that answers and refuses the node (unknown database, authentication
   * failed, no such role, not allowed to connect) or a URL no driver takes ends the start at once
   * with the database's reason: waiting would change nothing.
   *
   * @throws StartupFailure when the database refuses the node, or never answered
   */
  public static void awaitReachable(DatabaseSettings settings) {
    DatabaseStartup.awaitReachable(settings);
  }

  public DataSource dataSource() {
    return dataSource;
  }

  public DatabaseSettings settings() {
    return settings;
  }

  /**
   * The threads for blocking JDBC work, behind the same bounded queue as {@link #run}: when it is
   * full, {@code execute} throws a {@link RejectedExecutionException} caused by a {@link
   * DatabaseBusyException} (the HTTP API answers either with a 503).
   */
  public Executor executor() {
    return calls.executor();
  }

  /** Calls waiting for a JDBC thread now (at most {@code queue-size}). */
  public int waitingCalls() {
    return calls.waiting();
  }

  /** How many calls may wait for a JDBC thread ({@code queue-size}). */
  public int queueCapacity() {
    return settings.queueSize();
  }

  /** Calls refused so far because the queue was full. */
  public long refusedCalls() {
    return calls.refused();
  }

  /**
   * Runs blocking JDBC work with a connection in auto-commit mode. The stage fails with a {@link
   * DatabaseBusyException} at once when {@code queue-size} calls are waiting already, after {@code
   * connection-timeout} when no connection could be had by then (the work is not done), and after
   * {@code call-timeout} when the work has not finished by then (its outcome is unknown: the
   * statement may yet complete, as with any connection lost in the middle).
   */
  public <T> CompletionStage<T> run(SqlWork<T> work) {
    return calls.run(work);
  }

  /** Runs blocking JDBC work in one transaction (failures and timeouts as {@link #run}). */
  public <T> CompletionStage<T> transact(SqlWork<T> work) {
    return run(
        connection -> {
          connection.setAutoCommit(false);
          try {
            T result = work.apply(connection);
            connection.commit();
            return result;
          } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
          } finally {
            connection.setAutoCommit(true);
          }
        });
  }

  /** True when a connection can be had and answers within a second. */
  public boolean isReachable() {
    try (Connection connection = dataSource.getConnection()) {
      return connection.isValid(1);
    } catch (SQLException e) {
      return false;
    }
  }

  @Override
  public void close() {
    calls.close();
    dataSource.close();
  }

  /** JDBC work on a connection. */
  @FunctionalInterface
  public interface SqlWork<T> {
    T apply(Connection connection) throws SQLException;
  }

  /** A JDBC failure: transient as far as the callers know (database down, connection cut). */
  public static class DatabaseException extends RuntimeException {
    public DatabaseException(SQLException cause) {
      super(cause.getMessage(), cause);
    }

    protected DatabaseException(String message) {
      super(message);
    }
  }

  /**
   * The database does not answer in time, or too many calls wait for it already: the call was given
   * up on (or never started). Transient: the HTTP API answers it with a 503.
   */
  public static final class DatabaseBusyException extends DatabaseException {
    public DatabaseBusyException(String message) {
      super(message);
    }
  }
}
