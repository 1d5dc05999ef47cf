package org.example.helpdesk.testsupport;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * The PostgreSQL the integration tests use. Each test gets a schema of its own, so tests never see
 * each other's rows and a schema can be dropped when its test is done.
 */
public final class TestPostgres {

  private static final String URL =
      env("TEST_DATABASE_URL", "jdbc:postgresql://127.0.0.1:5432/test");
  private static final String USER = env("TEST_DATABASE_USER", "postgres");
  private static final String PASSWORD = env("TEST_DATABASE_PASSWORD", "");

  private TestPostgres() {}

  public static String jdbcUrl() {
    return URL;
  }

  public static String user() {
    return USER;
  }

  public static String password() {
    return PASSWORD;
  }

  /** A fresh, empty schema name; the code under test creates it (as it would in production). */
  public static String newSchemaName(String prefix) {
    return prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
  }

  public static Connection connect() throws SQLException {
    return DriverManager.getConnection(URL, USER, PASSWORD);
  }

  public static void dropSchema(String schema) {
    try (Connection c = connect();
        Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS \"" + schema + "\" CASCADE");
    } catch (SQLException e) {
      throw new IllegalStateException("could not drop schema " + schema, e);
    }
  }

  static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }
}
