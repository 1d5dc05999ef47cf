package org.example.helpdesk.platform.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
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
 */
public final class Database implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Database.class);

  private final DatabaseSettings settings;
  private final HikariDataSource dataSource;
  private final ThreadPoolExecutor executor;
  private final ScheduledThreadPoolExecutor deadlines;
  private final long acquireNanos;
  private final long callNanos;
  private final AtomicLong refused = new AtomicLong();

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
    AtomicInteger threads = new AtomicInteger();
    this.executor =
        new ThreadPoolExecutor(
            settings.poolSize(),
            settings.poolSize(),
            0,
            TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(settings.queueSize()),
            r -> {
              Thread t = new Thread(r, poolName + "-jdbc-" + threads.incrementAndGet());
              t.setDaemon(true);
              return t;
            },
            new ThreadPoolExecutor.AbortPolicy());
    this.deadlines =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, poolName + "-jdbc-deadlines");
              t.setDaemon(true);
              return t;
            });
    // a call that ends in time takes its deadline out of the queue
    this.deadlines.setRemoveOnCancelPolicy(true);
    this.callNanos = settings.callTimeout().toNanos();
    this.acquireNanos = Math.min(settings.connectionTimeout().toNanos(), callNanos);
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
    Properties props = driverProperties(settings);
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
    return command -> {
      try {
        executor.execute(command);
      } catch (RejectedExecutionException e) {
        throw new RejectedExecutionException(e.getMessage(), refusal());
      }
    };
  }

  /** Calls waiting for a JDBC thread now (at most {@code queue-size}). */
  public int waitingCalls() {
    return executor.getQueue().size();
  }

  /** How many calls may wait for a JDBC thread ({@code queue-size}). */
  public int queueCapacity() {
    return settings.queueSize();
  }

  /** Calls refused so far because the queue was full. */
  public long refusedCalls() {
    return refused.get();
  }

  /**
   * Runs blocking JDBC work with a connection in auto-commit mode. The stage fails with a {@link
   * DatabaseBusyException} at once when {@code queue-size} calls are waiting already, after {@code
   * connection-timeout} when no connection could be had by then (the work is not done), and after
   * {@code call-timeout} when the work has not finished by then (its outcome is unknown: the
   * statement may yet complete, as with any connection lost in the middle).
   */
  public <T> CompletionStage<T> run(SqlWork<T> work) {
    Call<T> call = new Call<>(work);
    try {
      executor.execute(call);
    } catch (RejectedExecutionException e) {
      return CompletableFuture.failedFuture(new CompletionException(refusal()));
    }
    call.start();
    return call.result;
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

  private DatabaseBusyException refusal() {
    if (executor.isShutdown()) {
      return new DatabaseBusyException("the database pool is closed");
    }
    long n = refused.incrementAndGet();
    if (n == 1 || n % 1_000 == 0) {
      log.warn(
          "The database is not answering: {} calls are waiting already; {} refused so far",
          settings.queueSize(),
          n);
    }
    return new DatabaseBusyException(
        "the database is not answering: "
            + settings.queueSize()
            + " calls are waiting for it already");
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
    executor.shutdown();
    deadlines.shutdownNow();
    dataSource.close();
  }

  /** One call of {@link #run}: waiting for a thread and a connection, then running, then done. */
  private final class Call<T> implements Runnable {
    private static final int WAITING = 0;
    private static final int RUNNING = 1;
    private static final int ABANDONED = 2;

    final CompletableFuture<T> result = new CompletableFuture<>();
    private final SqlWork<T> work;
    private final long submitted = System.nanoTime();
    private final AtomicInteger state = new AtomicInteger(WAITING);
    private volatile ScheduledFuture<?> deadline;

    Call(SqlWork<T> work) {
      this.work = work;
    }

    /** Arms the deadline of waiting (the call is in the executor). */
    void start() {
      try {
        deadline = deadlines.schedule(this::waitedTooLong, acquireNanos, TimeUnit.NANOSECONDS);
      } catch (RejectedExecutionException e) {
        return; // closed meanwhile: the call fails on the closed pool
      }
      result.whenComplete((value, failure) -> deadline.cancel(false));
    }

    @Override
    public void run() {
      if (state.get() != WAITING) {
        return; // its caller was answered while it waited
      }
      Connection connection;
      try {
        connection = dataSource.getConnection();
      } catch (SQLException e) {
        if (state.compareAndSet(WAITING, ABANDONED)) {
          result.completeExceptionally(new CompletionException(new DatabaseException(e)));
        }
        return;
      } catch (Throwable e) {
        result.completeExceptionally(new CompletionException(e));
        return;
      }
      if (!state.compareAndSet(WAITING, RUNNING)) {
        close(connection); // too late: its caller was answered meanwhile
        return;
      }
      try (connection) {
        result.complete(work.apply(connection));
      } catch (SQLException e) {
        result.completeExceptionally(new CompletionException(new DatabaseException(e)));
      } catch (Throwable e) {
        result.completeExceptionally(
            e instanceof CompletionException ? e : new CompletionException(e));
      }
    }

    private void waitedTooLong() {
      if (state.compareAndSet(WAITING, ABANDONED)) {
        executor.remove(this); // its place in the queue is free again
        result.completeExceptionally(
            new CompletionException(
                new DatabaseBusyException(
                    "the database is not answering: no connection within "
                        + millis(acquireNanos)
                        + " ms")));
        return;
      }
      long rest = callNanos - (System.nanoTime() - submitted);
      if (state.get() == RUNNING && !result.isDone()) {
        if (rest <= 0) {
          ranTooLong();
          return;
        }
        deadline = deadlines.schedule(this::ranTooLong, rest, TimeUnit.NANOSECONDS);
        if (result.isDone()) {
          deadline.cancel(false);
        }
      }
    }

    private void ranTooLong() {
      if (result.completeExceptionally(
          new CompletionException(
              new DatabaseBusyException(
                  "the database is not answering: no answer within "
                      + millis(callNanos)
                      + " ms")))) {
        log.warn(
            "A database call got no answer within {} ms; its thread waits on (at most the socket timeout)",
            millis(callNanos));
      }
    }
  }

  private static long millis(long nanos) {
    return Duration.ofNanos(nanos).toMillis();
  }

  private static void close(Connection connection) {
    try {
      connection.close();
    } catch (SQLException ignored) {
      // given back anyway
    }
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
