package org.example.helpdesk.platform.db;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.time.Duration;

/**
 * Where a node keeps its data: a database and, in it, the node's own schema; and how long anything
 * may wait for that database (see {@code helpdesk.database} in helpdesk-node.conf).
 *
 * @param connectionTimeout the longest a call waits for a JDBC thread and a pooled connection
 *     together (also the pool's own wait for a connection)
 * @param connectTimeout a new connection: TCP connect and login each (pgjdbc {@code connectTimeout}
 *     and {@code loginTimeout}); whole seconds
 * @param socketTimeout a connection that does not answer a statement for this long is taken for
 *     dead (pgjdbc {@code socketTimeout}); whole seconds, 0 for never
 * @param statementTimeout the server cancels a statement that runs longer ({@code
 *     statement_timeout}); whole seconds, 0 for never
 * @param callTimeout the longest {@code Database.run} keeps its caller waiting, waiting for a
 *     connection included; a statement still running on a dead connection is left to its thread,
 *     which the socket timeout frees
 * @param queueSize calls that may wait for a JDBC thread; more fail at once
 */
public record DatabaseSettings(
    String url,
    String user,
    String password,
    String schema,
    int poolSize,
    Duration connectionTimeout,
    int connectRetries,
    int connectTimeout,
    int socketTimeout,
    int statementTimeout,
    Duration callTimeout,
    int queueSize) {

  /** The defaults of helpdesk-node.conf, for the constructors that do not name them. */
  public static final int DEFAULT_CONNECT_TIMEOUT = 5;

  public static final int DEFAULT_SOCKET_TIMEOUT = 30;
  public static final int DEFAULT_STATEMENT_TIMEOUT = 15;
  public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(8);
  public static final int DEFAULT_QUEUE_SIZE = 1_000;

  public DatabaseSettings {
    if (queueSize < 1) {
      throw new IllegalArgumentException(
          "DATABASE_QUEUE_SIZE must be at least 1, not " + queueSize);
    }
    if (connectTimeout < 1) {
      throw new IllegalArgumentException(
          "DATABASE_CONNECT_TIMEOUT must be at least 1 (second), not " + connectTimeout);
    }
    if (socketTimeout < 0 || statementTimeout < 0) {
      throw new IllegalArgumentException(
          "DATABASE_SOCKET_TIMEOUT and DATABASE_STATEMENT_TIMEOUT must not be negative");
    }
    if (socketTimeout > 0 && (statementTimeout == 0 || statementTimeout >= socketTimeout)) {
      // otherwise a statement that is merely slow would be taken for a dead connection
      throw new IllegalArgumentException(
          "DATABASE_STATEMENT_TIMEOUT ("
              + statementTimeout
              + " s) must be set and shorter than DATABASE_SOCKET_TIMEOUT ("
              + socketTimeout
              + " s)");
    }
    if (callTimeout.isNegative() || callTimeout.isZero()) {
      throw new IllegalArgumentException(
          "DATABASE_CALL_TIMEOUT must be positive, not " + callTimeout);
    }
  }

  /**
   * Settings for tools and tests: the default timeouts of helpdesk-node.conf, and no waiting for a
   * database that is not there (see {@link #withConnectRetries}).
   */
  public DatabaseSettings(
      String url,
      String user,
      String password,
      String schema,
      int poolSize,
      Duration connectionTimeout) {
    this(
        url,
        user,
        password,
        schema,
        poolSize,
        connectionTimeout,
        0,
        DEFAULT_CONNECT_TIMEOUT,
        DEFAULT_SOCKET_TIMEOUT,
        DEFAULT_STATEMENT_TIMEOUT,
        DEFAULT_CALL_TIMEOUT,
        DEFAULT_QUEUE_SIZE);
  }

  public static DatabaseSettings from(Config config) {
    Config db = config.getConfig("helpdesk.database");
    String schema = db.getString("schema");
    if (!schema.matches("[a-z_][a-z0-9_]{0,62}")) {
      throw new IllegalArgumentException(
          "DATABASE_SCHEMA '" + schema + "' must be a lower-case SQL identifier");
    }
    return new DatabaseSettings(
        db.getString("url"),
        db.getString("user"),
        db.getString("password"),
        schema,
        db.getInt("pool-size"),
        db.getDuration("connection-timeout"),
        db.getInt("connect-retries"),
        wholeSeconds(db, "connect-timeout", "DATABASE_CONNECT_TIMEOUT"),
        wholeSeconds(db, "socket-timeout", "DATABASE_SOCKET_TIMEOUT"),
        wholeSeconds(db, "statement-timeout", "DATABASE_STATEMENT_TIMEOUT"),
        db.getDuration("call-timeout"),
        db.getInt("queue-size"));
  }

  /**
   * A setting the driver takes in whole seconds; the journal's pool gets it from the configuration
   * as it is, so a unit ("30s") would break it there: refused here, when the node starts.
   */
  private static int wholeSeconds(Config db, String path, String variable) {
    try {
      return db.getInt(path);
    } catch (ConfigException.WrongType e) {
      throw new IllegalArgumentException(
          variable
              + " (helpdesk.database."
              + path
              + ") must be a whole number of seconds, without a unit, not '"
              + db.getValue(path).unwrapped()
              + "'",
          e);
    }
  }

  /** The same database with another pool size (e.g. the durable state store's lanes). */
  public DatabaseSettings withPoolSize(int size) {
    return with(size, connectRetries);
  }

  /** The same database, tried {@code retries} more times when it does not answer at start. */
  public DatabaseSettings withConnectRetries(int retries) {
    return with(poolSize, retries);
  }

  private DatabaseSettings with(int size, int retries) {
    return new DatabaseSettings(
        url,
        user,
        password,
        schema,
        size,
        connectionTimeout,
        retries,
        connectTimeout,
        socketTimeout,
        statementTimeout,
        callTimeout,
        queueSize);
  }

  @Override
  public String toString() {
    return "DatabaseSettings["
        + org.example.helpdesk.platform.support.Secrets.redact(url)
        + ", user="
        + user
        + ", schema="
        + schema
        + ", pool="
        + poolSize
        + ", timeouts: connection "
        + connectionTimeout.toMillis()
        + " ms, connect "
        + connectTimeout
        + " s, socket "
        + socketTimeout
        + " s, statement "
        + statementTimeout
        + " s, call "
        + callTimeout.toMillis()
        + " ms, queue "
        + queueSize
        + "]";
  }
}
