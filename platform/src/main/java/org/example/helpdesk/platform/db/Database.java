package org.example.helpdesk.platform.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.example.helpdesk.platform.config.DatabaseSettings;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's own connection pool, in its schema, with a thread pool of the same size for the
 * blocking JDBC calls so that they never run on the actors' dispatcher.
 */
public final class Database implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Database.class);

  private final DatabaseSettings settings;
  private final HikariDataSource dataSource;
  private final ExecutorService executor;

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
    config.setValidationTimeout(Math.min(2_000, settings.connectionTimeout().toMillis() - 1));
    // start without a database; the pool connects when first used and after outages
    config.setInitializationFailTimeout(-1);
    this.dataSource = new HikariDataSource(config);
    AtomicInteger threads = new AtomicInteger();
    this.executor =
        Executors.newFixedThreadPool(
            settings.poolSize(),
            r -> {
              Thread t = new Thread(r, poolName + "-jdbc-" + threads.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
  }

  public static Database connect(DatabaseSettings settings, String poolName) {
    return new Database(settings, poolName);
  }

  /** Creates the schema if needed and applies the node's migrations (idempotent). */
  public void migrate(String... locations) {
    var result =
        Flyway.configure()
            .dataSource(dataSource)
            .schemas(settings.schema())
            .defaultSchema(settings.schema())
            .createSchemas(true)
            // a node may start before its database; wait for it (1 s, 2 s, 4 s ... up to 10 s apart)
            .connectRetries(settings.connectRetries())
            .connectRetriesInterval(10)
            .locations(locations)
            .load()
            .migrate();
    log.info(
        "Schema {} is at version {} ({} migrations applied now)",
        settings.schema(),
        result.targetSchemaVersion,
        result.migrationsExecuted);
  }

  public DataSource dataSource() {
    return dataSource;
  }

  public DatabaseSettings settings() {
    return settings;
  }

  /** The threads for blocking JDBC work. */
  public java.util.concurrent.Executor executor() {
    return executor;
  }

  /** Runs blocking JDBC work with a connection in auto-commit mode. */
  public <T> CompletionStage<T> run(SqlWork<T> work) {
    return CompletableFuture.supplyAsync(
        () -> {
          try (Connection connection = dataSource.getConnection()) {
            return work.apply(connection);
          } catch (SQLException e) {
            throw new DatabaseException(e);
          }
        },
        executor);
  }

  /** Runs blocking JDBC work in one transaction. */
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
    executor.shutdown();
    dataSource.close();
  }

  /** JDBC work on a connection. */
  @FunctionalInterface
  public interface SqlWork<T> {
    T apply(Connection connection) throws SQLException;
  }

  /** A JDBC failure: transient as far as the callers know (database down, connection cut). */
  public static final class DatabaseException extends RuntimeException {
    public DatabaseException(SQLException cause) {
      super(cause.getMessage(), cause);
    }
  }
}
