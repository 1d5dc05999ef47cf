package org.example.helpdesk.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The one-command path with nothing configured: embedded PostgreSQL and broker, both nodes in one
 * JVM, the seed's scenario end to end, a clean stop, and the data still there on the next start.
 */
class HelpdeskTest {

  @TempDir Path home;

  @Test
  void withNothingConfiguredItRunsTheScenarioOnEmbeddedInfrastructureAndKeepsTheData()
      throws Exception {
    Map<String, String> env = freePorts();

    String first = runScenario(env);
    String second = runScenario(env);

    assertTrue(first.contains("PostgreSQL : embedded"), first);
    assertTrue(first.contains("AMQP broker: embedded"), first);
    assertTrue(first.contains("SMTP server: embedded"), first);
    assertTrue(first.contains("ticket prepared") || first.contains("status awaiting"), first);
    assertTrue(first.contains("status cancelled"), first);
    assertTrue(first.contains("Scenario passed"), first);
    assertTrue(first.contains("Stopped."), first);
    assertTrue(
        Files.isDirectory(home.resolve("postgres")),
        "the database keeps its data under the home folder");
    assertTrue(second.contains("Scenario passed"), second);
  }

  @Test
  void aDatabaseThatCannotBeReachedFailsLoudlyWithAStatus() throws Exception {
    Map<String, String> env = freePorts();
    env.put("DATABASE_URL", "jdbc:postgresql://127.0.0.1:" + freePort() + "/nothing");
    env.put("AMQP_URI", "amqp://guest:guest@127.0.0.1:" + freePort() + "/%2f");
    env.put("DATABASE_CONNECT_RETRIES", "0");
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    int status =
        Helpdesk.run(home, true, new PrintStream(buffer, true, StandardCharsets.UTF_8), env::get);

    String output = buffer.toString(StandardCharsets.UTF_8);
    assertEquals(2, status, output);
    assertTrue(output.contains("PostgreSQL : jdbc:postgresql://127.0.0.1:"), output);
    assertTrue(output.contains("Could not start the nodes"), output);
  }

  @ParameterizedTest(name = "{0} in use")
  @ValueSource(
      strings = {
        "EMBEDDED_AMQP_PORT",
        "EMBEDDED_POSTGRES_PORT",
        "CUSTOMER_HTTP_PORT",
        "BACKOFFICE_CLUSTER_PORT"
      })
  void aTakenPortEndsTheStartAtOnceNamingIt(String variable) throws Exception {
    Map<String, String> env = freePorts();
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new java.net.InetSocketAddress("127.0.0.1", 0));
      env.put(variable, String.valueOf(taken.getLocalPort()));
      ByteArrayOutputStream buffer = new ByteArrayOutputStream();
      long start = System.nanoTime();
      int status =
          Helpdesk.run(home, true, new PrintStream(buffer, true, StandardCharsets.UTF_8), env::get);
      long seconds = java.util.concurrent.TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);

      String output = buffer.toString(StandardCharsets.UTF_8);
      assertEquals(2, status, output);
      assertTrue(seconds < 10, "took " + seconds + " s: " + output);
      assertTrue(output.contains("Cannot start (nothing was started)"), output);
      assertTrue(output.contains(variable + "=" + taken.getLocalPort() + ": "), output);
      assertTrue(output.contains("in use"), output);
      assertFalse(output.contains("Starting ..."), output);
      assertFalse(Files.exists(home.resolve("postgres")), "nothing was started");
    }
  }

  @Test
  void badSettingsAreAllReportedBeforeAnythingStarts() throws Exception {
    Map<String, String> env = freePorts();
    env.put("CUSTOMER_HTTP_PORT", "abc");
    env.put("EMBEDDED_AMQP_PORT", "99999");
    env.put("DATABASE_CONNECT_RETRIES", "many");
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    int status =
        Helpdesk.run(home, true, new PrintStream(buffer, true, StandardCharsets.UTF_8), env::get);

    String output = buffer.toString(StandardCharsets.UTF_8);
    assertEquals(2, status, output);
    assertTrue(output.contains("CUSTOMER_HTTP_PORT='abc': not a port number"), output);
    assertTrue(output.contains("EMBEDDED_AMQP_PORT='99999': not a port"), output);
    assertTrue(output.contains("DATABASE_CONNECT_RETRIES='many'"), output);
    assertFalse(output.contains("Starting ..."), output);
  }

  @Test
  void aMalformedBrokerUriIsRefusedBeforeAnythingStarts() throws Exception {
    Map<String, String> env = freePorts();
    env.put("AMQP_URI", "amqp://probeuser:S3cret-probe@127.0.0.1:notaport/probe_vh");
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    int status =
        Helpdesk.run(home, true, new PrintStream(buffer, true, StandardCharsets.UTF_8), env::get);

    String output = buffer.toString(StandardCharsets.UTF_8);
    assertEquals(2, status, output);
    assertTrue(
        output.contains(
            "AMQP_URI='amqp://probeuser:***@127.0.0.1:notaport/probe_vh' (helpdesk.amqp.uri):"
                + " the port 'notaport' is not a number"),
        output);
    assertFalse(output.contains("S3cret-probe"), output);
    assertFalse(output.contains("Starting ..."), output);
  }

  private String runScenario(Map<String, String> env) {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    int status =
        Helpdesk.run(home, true, new PrintStream(buffer, true, StandardCharsets.UTF_8), env::get);
    String output = buffer.toString(StandardCharsets.UTF_8);
    assertEquals(0, status, output);
    return output;
  }

  private static Map<String, String> freePorts() throws IOException {
    Map<String, String> env = new HashMap<>();
    for (String name :
        new String[] {
          "EMBEDDED_POSTGRES_PORT",
          "EMBEDDED_AMQP_PORT",
          "EMBEDDED_SMTP_PORT",
          "CUSTOMER_HTTP_PORT",
          "CUSTOMER_CLUSTER_PORT",
          "BACKOFFICE_HTTP_PORT",
          "BACKOFFICE_CLUSTER_PORT"
        }) {
      env.put(name, String.valueOf(freePort()));
    }
    return env;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
