package org.example.helpdesk.testsupport;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.example.helpdesk.embedded.EmbeddedPostgres;

/**
 * The PostgreSQL the integration tests use: the one {@code TEST_DATABASE_URL} names, else a local
 * one on 127.0.0.1:5432 if it lets us in, else an embedded one started for this JVM. Each test
 * gets a schema of its own, so tests never see each other's rows.
 */
public final class TestPostgres {

  private static volatile Endpoint endpoint;

  /** Where the tests' database is. */
  public record Endpoint(String url, String user, String password, String kind) {}

  private TestPostgres() {}

  public static Endpoint endpoint() {
    if (endpoint == null) {
      synchronized (TestPostgres.class) {
        if (endpoint == null) {
          endpoint = choose();
          System.out.println("[test-support] PostgreSQL: " + endpoint.kind() + " " + endpoint.url());
        }
      }
    }
    return endpoint;
  }

  public static String jdbcUrl() {
    return endpoint().url();
  }

  public static String user() {
    return endpoint().user();
  }

  public static String password() {
    return endpoint().password();
  }

  public static boolean isEmbedded() {
    return endpoint().kind().equals("embedded");
  }

  /** A fresh, empty schema name; the code under test creates it (as it would in production). */
  public static String newSchemaName(String prefix) {
    return prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
  }

  public static Connection connect() throws SQLException {
    Endpoint e = endpoint();
    return DriverManager.getConnection(e.url(), e.user(), e.password());
  }

  public static void dropSchema(String schema) {
    try (Connection c = connect();
        Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS \"" + schema + "\" CASCADE");
    } catch (SQLException e) {
      throw new IllegalStateException("could not drop schema " + schema, e);
    }
  }

  /** Starts an embedded PostgreSQL of its own, whatever else is around. */
  public static EmbeddedPostgres startEmbedded() {
    try {
      return EmbeddedPostgres.start(Files.createTempDirectory("helpdesk-test-pg"), 0);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Endpoint choose() {
    String url = env("TEST_DATABASE_URL", null);
    if (url != null) {
      return new Endpoint(url, env("TEST_DATABASE_USER", "postgres"), env("TEST_DATABASE_PASSWORD", ""), "configured");
    }
    if (!Boolean.getBoolean("helpdesk.test.embedded")) {
      Endpoint local = new Endpoint("jdbc:postgresql://127.0.0.1:5432/postgres", "postgres", "", "local");
      if (TestBroker.listening(5432)) {
        try (Connection c = DriverManager.getConnection(local.url(), local.user(), local.password())) {
          return local;
        } catch (SQLException e) {
          System.out.println("[test-support] local PostgreSQL refused us (" + e.getMessage() + "), using an embedded one");
        }
      }
    }
    EmbeddedPostgres embedded = startEmbedded();
    Runtime.getRuntime().addShutdownHook(new Thread(embedded::close));
    return new Endpoint(embedded.jdbcUrl(), embedded.user(), embedded.password(), "embedded");
  }

  static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }

}
