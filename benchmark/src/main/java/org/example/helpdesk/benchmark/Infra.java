package org.example.helpdesk.benchmark;

import java.io.IOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.URI;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.example.helpdesk.testsupport.TestBroker;
import org.example.helpdesk.testsupport.TestPostgres;

/** The PostgreSQL and broker under test: configured, or local, or embedded in this JVM. */
record Infra(String databaseUrl, String user, String password, String amqpUri, String description) {

  static Infra choose() {
    String url = System.getenv("DATABASE_URL");
    String db;
    Infra infra;
    if (url != null && !url.isBlank()) {
      db = url;
      infra =
          new Infra(
              url, env("DATABASE_USER", "postgres"), env("DATABASE_PASSWORD", ""), null, null);
    } else {
      db = TestPostgres.endpoint().kind() + " " + TestPostgres.jdbcUrl();
      infra =
          new Infra(
              TestPostgres.jdbcUrl(), TestPostgres.user(), TestPostgres.password(), null, null);
    }
    String amqp = env("AMQP_URI", null);
    if (amqp == null) {
      amqp = TestBroker.amqpUri();
    }
    return new Infra(
        infra.databaseUrl(),
        infra.user(),
        infra.password(),
        amqp,
        "PostgreSQL " + db + "; broker " + amqp.replaceAll(":[^:@/]*@", ":***@"));
  }

  /** Where PostgreSQL runs, from the JDBC URL (jdbc:postgresql://host:port/db); null if unknown. */
  String databaseHost() {
    try {
      return URI.create(databaseUrl.substring("jdbc:".length())).getHost();
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** PostgreSQL's port, from the JDBC URL (5432 where it names none; -1 if unreadable). */
  int databasePort() {
    try {
      int port = URI.create(databaseUrl.substring("jdbc:".length())).getPort();
      return port > 0 ? port : 5432;
    } catch (RuntimeException e) {
      return -1;
    }
  }

  String brokerHost() {
    return URI.create(amqpUri).getHost();
  }

  int brokerPort() {
    URI uri = URI.create(amqpUri);
    return uri.getPort() > 0 ? uri.getPort() : "amqps".equals(uri.getScheme()) ? 5671 : 5672;
  }

  /**
   * Whether this JVM itself listens on the broker's port: then the broker is the embedded one, and
   * its CPU is this JVM's.
   */
  boolean brokerInThisJvm() {
    int port = brokerPort();
    Set<String> listening = new HashSet<>();
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      try {
        for (String line : Files.readAllLines(Path.of(table))) {
          // "sl local_address(hex ip:hex port) rem_address st ... inode": st 0A is LISTEN
          String[] f = line.trim().split("\\s+");
          if (f.length > 9 && f[3].equals("0A") && f[1].endsWith(String.format(":%04X", port))) {
            listening.add("socket:[" + f[9] + "]");
          }
        }
      } catch (IOException e) {
        // no IPv6, or not Linux
      }
    }
    try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
      for (Path fd : fds) {
        try {
          if (listening.contains(Files.readSymbolicLink(fd).toString())) {
            return true;
          }
        } catch (IOException e) {
          // closed meanwhile
        }
      }
    } catch (IOException e) {
      // not Linux
    }
    return false;
  }

  /** Whether a host is this machine, so that its processes are in this machine's /proc. */
  static boolean onThisMachine(String host) {
    if (host == null) {
      return false;
    }
    try {
      InetAddress address = InetAddress.getByName(host);
      return address.isLoopbackAddress()
          || address.isAnyLocalAddress()
          || NetworkInterface.getByInetAddress(address) != null;
    } catch (IOException e) {
      return false;
    }
  }

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }
}
