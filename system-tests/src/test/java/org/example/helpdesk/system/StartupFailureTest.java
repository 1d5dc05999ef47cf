package org.example.helpdesk.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;
import org.example.helpdesk.testsupport.NodeProcess;
import org.example.helpdesk.testsupport.TestBroker;
import org.example.helpdesk.testsupport.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A node that cannot start ends at once, loudly and without a secret: each packaged node, started
 * as a process with one bad setting (or a port in use, or a database that refuses it), must exit
 * with a non-zero status within seconds, say in its output what is wrong (the variable, or host and
 * port), print no stack trace, and print none of the marker passwords it was given in every place a
 * password can go (DATABASE_PASSWORD, DATABASE_URL's {@code ?password=}, AMQP_URI, SESSION_SECRET).
 *
 * <p>The nodes run from their jars ({@code <module>/target/<module>.jar}, built before this
 * module), as an operator runs them. Those that must fail run with a {@link ProcessBuilder} of the
 * test's own, not {@link NodeProcess}: the test needs the exit status, which NodeProcess does not
 * give; the one that starts runs as a NodeProcess. The time each took to exit is printed at the
 * end.
 */
class StartupFailureTest {

  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Path LOGS = ROOT.resolve("system-tests/target/startup-failures");
  private static final String RUN = UUID.randomUUID().toString().substring(0, 8);

  /** The marker passwords: none of them may appear in any output. */
  private static final String DB_PASSWORD = "Mk-dbpw-" + RUN;

  private static final String URL_PASSWORD = "Mk-urlpw-" + RUN;
  private static final String AMQP_PASSWORD = "Mk-mqpw-" + RUN;
  private static final String SESSION_SECRET = "Mk-session-" + RUN + "-0123456789abcdef0123";
  private static final List<String> MARKERS =
      List.of(DB_PASSWORD, URL_PASSWORD, AMQP_PASSWORD, SESSION_SECRET, "Mk-");

  private static final int INVALID_SETTINGS = 2;
  private static final int COULD_NOT_START = 1;

  private static final List<String> times = new ArrayList<>();

  /** A port someone else listens on, for the "in use" cases. */
  private static final ServerSocket takenAny = listen("0.0.0.0");

  private static final ServerSocket takenLocal = listen("127.0.0.1");

  record Case(
      String module,
      Function<Map<String, String>, Map<String, String>> settings,
      int status,
      List<String> says) {}

  static Stream<Arguments> cases() {
    String db = TestPostgres.jdbcUrl();
    String dbBase = db.contains("?") ? db.substring(0, db.indexOf('?')) : db;
    String dbHostPort = dbBase.substring("jdbc:postgresql://".length(), dbBase.lastIndexOf('/'));
    int any = takenAny.getLocalPort();
    int local = takenLocal.getLocalPort();
    return Stream.of(
        named(
            "HTTP_PORT in use",
            "customer-node",
            env -> put(env, "HTTP_PORT", any),
            COULD_NOT_START,
            "HTTP_PORT",
            "127.0.0.1:" + any,
            "in use"),
        named(
            "HTTP_PORT=abc",
            "customer-node",
            env -> put(env, "HTTP_PORT", "abc"),
            INVALID_SETTINGS,
            "HTTP_PORT='abc'",
            "not a port number"),
        named(
            "HTTP_PORT=99999",
            "backoffice-node",
            env -> put(env, "HTTP_PORT", "99999"),
            INVALID_SETTINGS,
            "HTTP_PORT='99999'",
            "not a port"),
        named(
            "HTTP_HOST=999.1.1.1",
            "customer-node",
            env -> put(env, "HTTP_HOST", "999.1.1.1"),
            INVALID_SETTINGS,
            "HTTP_HOST='999.1.1.1'",
            "not an IPv4 address"),
        named(
            "cluster port in use",
            "backoffice-node",
            env -> put(env, "CLUSTER_PORT", local),
            COULD_NOT_START,
            "CLUSTER_PORT",
            "127.0.0.1:" + local,
            "in use"),
        named(
            "HTTP_ASK_TIMEOUT=abc",
            "customer-node",
            env -> put(env, "HTTP_ASK_TIMEOUT", "abc"),
            INVALID_SETTINGS,
            "HTTP_ASK_TIMEOUT='abc'",
            "not a duration"),
        named(
            "malformed AMQP_URI",
            "customer-node",
            env ->
                put(
                    env,
                    "AMQP_URI",
                    "amqp://probeuser:" + AMQP_PASSWORD + "@127.0.0.1:notaport/probe_vh"),
            INVALID_SETTINGS,
            "AMQP_URI='amqp://probeuser:***@127.0.0.1:notaport/probe_vh'",
            "the port 'notaport' is not a number"),
        named(
            "postgres:// DATABASE_URL with a password",
            "customer-node",
            env ->
                put(
                    env,
                    "DATABASE_URL",
                    "postgres://helpdesk:" + URL_PASSWORD + "@" + dbHostPort + "/postgres"),
            INVALID_SETTINGS,
            "DATABASE_URL='postgres://helpdesk:***@",
            "jdbc:postgresql://host:port/database"),
        named(
            "unknown database",
            "customer-node",
            env ->
                put(
                    env,
                    "DATABASE_URL",
                    "jdbc:postgresql://"
                        + dbHostPort
                        + "/no_such_db_"
                        + RUN.replace('-', '_')
                        + "?password="
                        + URL_PASSWORD),
            COULD_NOT_START,
            "the database refuses the node",
            "does not exist"),
        named(
            "wrong database user and password",
            "backoffice-node",
            env -> {
              put(env, "DATABASE_URL", dbBase);
              put(env, "DATABASE_USER", "no_such_role_" + RUN.replace('-', '_'));
              return put(env, "DATABASE_PASSWORD", DB_PASSWORD);
            },
            COULD_NOT_START,
            "the database refuses the node",
            "no_such_role_"),
        named(
            "several bad settings at once",
            "backoffice-node",
            env -> {
              put(env, "HTTP_PORT", "abc");
              put(env, "CLUSTER_HOST", "999.1.1.1");
              put(env, "SESSION_SECRET", "Mk-short");
              return put(env, "AMQP_URI", "amqp://u:" + AMQP_PASSWORD + "@host:port/vh");
            },
            INVALID_SETTINGS,
            "4 invalid settings",
            "HTTP_PORT='abc'",
            "CLUSTER_HOST='999.1.1.1'",
            "SESSION_SECRET (helpdesk.auth.session-secret): too short",
            "AMQP_URI='amqp://u:***@host:port/vh'"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void aNodeThatCannotStartExitsAtOnceSayingWhyWithoutSecrets(String name, Case c)
      throws Exception {
    Map<String, String> env = c.settings().apply(markedEnvironment());
    Path log = LOGS.resolve(name.replaceAll("[^A-Za-z0-9_.-]+", "_") + ".log");
    Files.createDirectories(LOGS);
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.add("-Xmx256m");
    command.add("-jar");
    command.add(ROOT.resolve(c.module() + "/target/" + c.module() + ".jar").toString());
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().putAll(env);

    long start = System.nanoTime();
    Process process = builder.start();
    boolean exited = process.waitFor(60, TimeUnit.SECONDS);
    double seconds = (System.nanoTime() - start) / 1e9;
    if (!exited) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    String output = Files.readString(log, StandardCharsets.UTF_8);
    times.add(
        String.format(
            "%-45s %5.1f s, status %s", name, seconds, exited ? process.exitValue() : "none"));

    assertTrue(exited, name + ": still running after 60 s:\n" + output);
    assertEquals(c.status(), process.exitValue(), output);
    assertTrue(seconds < 20, name + ": took " + seconds + " s to exit");
    assertTrue(output.contains("The node could not start: "), output);
    for (String said : c.says()) {
      assertTrue(output.contains(said), "'" + said + "' not in:\n" + output);
    }
    assertFalse(output.contains("\tat "), "a stack trace:\n" + output);
    assertFalse(output.contains("Exception in thread"), output);
    for (String marker : MARKERS) {
      assertFalse(output.contains(marker), "the secret " + marker + " printed:\n" + output);
    }
  }

  /**
   * The other side: a node that can start says the true version of its schema (also when there was
   * nothing to migrate) and prints no library debugging line ("# stop ...") when it stops.
   */
  @Test
  void aNodeThatStartsSaysItsSchemaVersionAndStopsWithoutNoise() throws Exception {
    String schema = TestPostgres.newSchemaName("startup");
    try {
      String first = startAndStop(schema, "first-start");
      String second = startAndStop(schema, "second-start");
      assertTrue(
          first.matches(
              "(?s).*Schema "
                  + schema
                  + " is at version \\d+ \\([1-9]\\d* migrations applied now\\).*"),
          first);
      assertTrue(
          second.matches(
              "(?s).*Schema " + schema + " is at version \\d+ \\(0 migrations applied now\\).*"),
          second);
      for (String output : List.of(first, second)) {
        assertFalse(output.contains("version null"), output);
        assertFalse(output.contains("# stop "), output);
      }
    } finally {
      TestPostgres.dropSchema(schema);
    }
  }

  private static String startAndStop(String schema, String name) throws IOException {
    int httpPort = freePort();
    Map<String, String> env = new HashMap<>();
    env.put("DATABASE_URL", TestPostgres.jdbcUrl());
    env.put("DATABASE_USER", TestPostgres.user());
    env.put("DATABASE_PASSWORD", TestPostgres.password());
    env.put("DATABASE_SCHEMA", schema);
    env.put("AMQP_URI", TestBroker.amqpUri());
    env.put("HTTP_HOST", "127.0.0.1");
    env.put("HTTP_PORT", String.valueOf(httpPort));
    env.put("CLUSTER_HOST", "127.0.0.1");
    env.put("CLUSTER_PORT", String.valueOf(freePort()));
    Path log = LOGS.resolve(name + ".log");
    Files.deleteIfExists(log);
    try (NodeProcess node =
        new NodeProcess(name, ROOT, "customer-node", httpPort, List.of("-Xmx256m"), env, log)) {
      node.start().awaitHealthy(Duration.ofSeconds(90));
      node.stop();
    }
    return Files.readString(log, StandardCharsets.UTF_8);
  }

  @AfterAll
  static void report() throws IOException {
    takenAny.close();
    takenLocal.close();
    System.out.println("[StartupFailureTest] time to exit:\n  " + String.join("\n  ", times));
  }

  /** A node's environment with marker passwords wherever a password can go, and free ports. */
  private static Map<String, String> markedEnvironment() {
    String db = TestPostgres.jdbcUrl();
    Map<String, String> env = new HashMap<>();
    env.put("DATABASE_URL", db + (db.contains("?") ? "&" : "?") + "password=" + URL_PASSWORD);
    env.put("DATABASE_USER", TestPostgres.user());
    env.put("DATABASE_PASSWORD", DB_PASSWORD);
    env.put("DATABASE_SCHEMA", "startup_failure_test");
    env.put("DATABASE_CONNECT_RETRIES", "0");
    env.put("AMQP_URI", "amqp://guest:" + AMQP_PASSWORD + "@127.0.0.1:5672/%2f");
    env.put("SESSION_SECRET", SESSION_SECRET);
    env.put("HTTP_HOST", "127.0.0.1");
    env.put("HTTP_PORT", String.valueOf(freePort()));
    env.put("CLUSTER_HOST", "127.0.0.1");
    env.put("CLUSTER_PORT", String.valueOf(freePort()));
    env.put("SEED_NODES", "");
    return env;
  }

  private static Arguments named(
      String name,
      String module,
      Function<Map<String, String>, Map<String, String>> settings,
      int status,
      String... says) {
    return Arguments.of(name, new Case(module, settings, status, List.of(says)));
  }

  private static Map<String, String> put(Map<String, String> env, String name, Object value) {
    env.put(name, String.valueOf(value));
    return env;
  }

  private static int freePort() {
    return org.example.helpdesk.testsupport.FreePorts.next();
  }

  private static ServerSocket listen(String host) {
    try {
      ServerSocket socket = new ServerSocket();
      socket.bind(new InetSocketAddress(host, 0));
      return socket;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
