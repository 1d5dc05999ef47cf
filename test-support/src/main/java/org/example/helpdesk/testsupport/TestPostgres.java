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
 * one on 127.0.0.1:5432 if it lets us in, else an embedded one started for this JVM. Each test gets
 * a schema of its own, so tests never see each other's rows.
 */
public final class TestPostgres {

  private static volatile Endpoint endpoint;
  private static EmbeddedPostgres embedded;
  private static java.nio.file.Path embeddedData;
  private static int embeddedPort;

  /** Where the tests' database is. */
  public record Endpoint(String url, String user, String password, String kind) {}

  private TestPostgres() {}

  public static Endpoint endpoint() {
    if (endpoint == null) {
      synchronized (TestPostgres.class) {
        if (endpoint == null) {
          endpoint = choose();
          System.out.println(
              "[test-support] PostgreSQL: " + endpoint.kind() + " " + endpoint.url());
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

  /**
   * Writes out what the server holds dirty now, so that the disk work a large test left behind is
   * not paid for by the test after it. Best effort: only a superuser may.
   */
  public static void checkpoint() {
    try (Connection c = connect();
        Statement s = c.createStatement()) {
      s.execute("CHECKPOINT");
    } catch (SQLException e) {
      System.out.println("[test-support] no checkpoint: " + e.getMessage());
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
      return new Endpoint(
          url,
          env("TEST_DATABASE_USER", "postgres"),
          env("TEST_DATABASE_PASSWORD", ""),
          "configured");
    }
    if (!Boolean.getBoolean("helpdesk.test.embedded")) {
      Endpoint local =
          new Endpoint("jdbc:postgresql://127.0.0.1:5432/postgres", "postgres", "", "local");
      if (TestBroker.listening(5432)) {
        try (Connection c =
            DriverManager.getConnection(local.url(), local.user(), local.password())) {
          return local;
        } catch (SQLException e) {
          System.out.println(
              "[test-support] local PostgreSQL refused us ("
                  + e.getMessage()
                  + "), using an embedded one");
        }
      }
    }
    try {
      embeddedData = Files.createTempDirectory("helpdesk-test-pg");
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
    embedded = EmbeddedPostgres.start(embeddedData, 0);
    embeddedPort = embedded.port();
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  synchronized (TestPostgres.class) {
                    embedded.close();
                  }
                }));
    return new Endpoint(embedded.jdbcUrl(), embedded.user(), embedded.password(), "embedded");
  }

  /**
   * Restarts the database server (every connection is lost), where this test run owns it: the
   * embedded one, or the machine's own cluster through pg_ctlcluster.
   *
   * @return whether it could
   */
  public static synchronized boolean restart() {
    Endpoint e = endpoint();
    if (e.kind().equals("embedded")) {
      embedded.close();
      embedded = EmbeddedPostgres.start(embeddedData, embeddedPort);
      return true;
    }
    java.io.File clusters = new java.io.File("/etc/postgresql");
    String[] versions = clusters.list();
    if (!e.kind().equals("local") || versions == null || versions.length != 1) {
      return false;
    }
    try {
      Process p =
          new ProcessBuilder(
                  "pg_ctlcluster", "--skip-systemctl-redirect", versions[0], "main", "restart")
              .redirectErrorStream(true)
              .start();
      String output = new String(p.getInputStream().readAllBytes());
      if (!p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS) || p.exitValue() != 0) {
        System.out.println("[test-support] pg_ctlcluster restart failed: " + output);
        return false;
      }
      return true;
    } catch (java.io.IOException ex) {
      return false;
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }
}
