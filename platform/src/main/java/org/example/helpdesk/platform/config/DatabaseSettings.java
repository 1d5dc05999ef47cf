package org.example.helpdesk.platform.config;

import com.typesafe.config.Config;
import java.time.Duration;

/** Where a node keeps its data: a database and, in it, the node's own schema. */
public record DatabaseSettings(
    String url,
    String user,
    String password,
    String schema,
    int poolSize,
    Duration connectionTimeout,
    int connectRetries) {

  /** Settings for tools and tests: no waiting for a database that is not there. */
  public DatabaseSettings(String url, String user, String password, String schema, int poolSize, Duration connectionTimeout) {
    this(url, user, password, schema, poolSize, connectionTimeout, 0);
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
        db.getInt("connect-retries"));
  }

  @Override
  public String toString() {
    return "DatabaseSettings[" + url + ", user=" + user + ", schema=" + schema + ", pool=" + poolSize + "]";
  }
}
