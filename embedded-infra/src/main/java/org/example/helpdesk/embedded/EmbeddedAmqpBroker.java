package org.example.helpdesk.embedded;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.qpid.server.SystemLauncher;
import tools.jackson.databind.json.JsonMapper;

/**
 * An AMQP 0-9-1 broker in the JVM (Apache Qpid Broker-J), for a machine without RabbitMQ. Queues,
 * exchanges and persistent messages are kept in a Derby store under its work directory, so that,
 * like RabbitMQ, it gives back what it confirmed after a restart. User guest/guest, virtual host
 * "/" (and "default").
 */
public final class EmbeddedAmqpBroker implements AutoCloseable {

  /** Away from RabbitMQ's 5672 (AMQP) and 25672 (clustering). */
  public static final int DEFAULT_PORT = 5673;

  private final SystemLauncher launcher;
  private final int port;
  private final Path workDirectory;

  private EmbeddedAmqpBroker(SystemLauncher launcher, int port, Path workDirectory) {
    this.launcher = launcher;
    this.port = port;
    this.workDirectory = workDirectory;
  }

  /** How long the broker's port may take to open after its start returned. */
  private static final java.time.Duration PORT_WAIT = java.time.Duration.ofSeconds(20);

  /** The largest message the broker takes, as the RabbitMQ of docker-compose.yml and CI. */
  public static final int MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

  public static EmbeddedAmqpBroker start(Path workDirectory, int port) {
    try {
      Files.createDirectories(workDirectory);
      Path initialConfig = workDirectory.resolve("initial-config.json");
      Files.writeString(
          initialConfig,
          JsonMapper.builder().build().writeValueAsString(initialConfig(workDirectory, port)));
      // Derby writes its log to the working directory unless told otherwise
      System.setProperty("derby.stream.error.file", workDirectory.resolve("derby.log").toString());

      Map<String, Object> attributes = new HashMap<>();
      attributes.put("type", "Memory");
      attributes.put("initialConfigurationLocation", initialConfig.toUri().toString());
      attributes.put("startupLoggedToSystemOut", false);
      attributes.put(
          "context",
          Map.of(
              "qpid.work_dir", workDirectory.toString(),
              "qpid.amqp_port", String.valueOf(port),
              "qpid.broker.defaultPreferenceStoreAttributes", "{\"type\": \"Noop\"}",
              // the limit the compose and CI RabbitMQ have (max_message_size): larger messages are
              // refused at publish
              "qpid.max_message_size", String.valueOf(MAX_MESSAGE_BYTES)));
      SystemLauncher launcher = new SystemLauncher();
      launcher.startup(attributes);
      // the launcher logs a failed start instead of throwing: check that the port answers. The
      // port may open a moment after startup returns (a busy machine): wait for it, bounded
      long deadline = System.nanoTime() + PORT_WAIT.toNanos();
      while (true) {
        try (Socket probe = new Socket()) {
          probe.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
          break;
        } catch (IOException e) {
          if (System.nanoTime() > deadline) {
            launcher.shutdown();
            throw new IllegalStateException(
                "the embedded AMQP broker did not open port " + port + " within " + PORT_WAIT, e);
          }
          Thread.sleep(100);
        }
      }
      return new EmbeddedAmqpBroker(launcher, port, workDirectory);
    } catch (Exception e) {
      throw new IllegalStateException(
          "could not start the embedded AMQP broker on port " + port, e);
    }
  }

  private static Map<String, Object> initialConfig(Path workDirectory, int port) {
    return Map.of(
        "name", "embedded-broker",
        "modelVersion", "9.0",
        "authenticationproviders",
            List.of(
                Map.of(
                    "name",
                    "plain",
                    "type",
                    "Plain",
                    // a local development broker: PLAIN without TLS, as RabbitMQ's guest on
                    // localhost
                    "secureOnlyMechanisms",
                    List.of(),
                    "users",
                    List.of(Map.of("name", "guest", "type", "managed", "password", "guest")))),
        "ports",
            List.of(
                Map.of(
                    "name",
                    "AMQP",
                    "port",
                    port,
                    // loopback only: guest/guest over PLAIN is for this machine alone
                    "bindingAddress",
                    "127.0.0.1",
                    "authenticationProvider",
                    "plain",
                    "protocols",
                    List.of("AMQP_0_9_1"),
                    "virtualhostaliases",
                    List.of(
                        Map.of("name", "nameAlias", "type", "nameAlias"),
                        Map.of("name", "defaultAlias", "type", "defaultAlias"),
                        Map.of("name", "hostnameAlias", "type", "hostnameAlias")))),
        "virtualhostnodes",
            List.of(
                Map.of(
                    "name", "default",
                    "type", "DERBY",
                    "storePath", workDirectory.resolve("store").toString(),
                    "defaultVirtualHostNode", "true",
                    "virtualHostInitialConfiguration", "{\"type\": \"ProvidedStore\"}")));
  }

  public int port() {
    return port;
  }

  public String amqpUri() {
    return "amqp://guest:guest@127.0.0.1:" + port + "/%2f";
  }

  public Path workDirectory() {
    return workDirectory;
  }

  @Override
  public void close() {
    launcher.shutdown();
  }
}
