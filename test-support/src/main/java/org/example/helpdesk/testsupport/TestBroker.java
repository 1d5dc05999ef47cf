package org.example.helpdesk.testsupport;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.example.helpdesk.embedded.EmbeddedAmqpBroker;

/**
 * The AMQP 0-9-1 broker the integration tests use: the one {@code TEST_AMQP_URI} names, else a
 * local RabbitMQ on 127.0.0.1:5672, else an embedded broker started for this JVM. Tests can stop
 * and start it, as an operator's restart would.
 */
public final class TestBroker {

  private static volatile String uri;
  private static volatile boolean local;
  private static EmbeddedAmqpBroker embedded;
  private static Path embeddedWorkDirectory;
  private static int embeddedPort;

  private TestBroker() {}

  public static synchronized String amqpUri() {
    if (uri == null) {
      String configured = TestPostgres.env("TEST_AMQP_URI", null);
      if (configured != null) {
        uri = configured;
      } else if (!Boolean.getBoolean("helpdesk.test.embedded") && listening(5672)) {
        uri = "amqp://guest:guest@127.0.0.1:5672/" + ownVirtualHost();
        local = true;
      } else {
        try {
          embeddedWorkDirectory = Files.createTempDirectory("helpdesk-test-broker");
          embeddedPort = freePort();
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
        embedded = EmbeddedAmqpBroker.start(embeddedWorkDirectory, embeddedPort);
        Runtime.getRuntime()
            .addShutdownHook(
                new Thread(
                    () -> {
                      synchronized (TestBroker.class) {
                        if (embedded != null) {
                          embedded.close();
                        }
                      }
                    }));
        uri = embedded.amqpUri();
      }
      System.out.println(
          "[test-support] AMQP broker: "
              + (embedded != null ? "embedded" : local ? "local" : "configured")
              + " "
              + uri.replaceAll(":[^:@/]*@", ":***@"));
    }
    return uri;
  }

  /**
   * A virtual host for this test JVM alone, so that test runs on one RabbitMQ never see each
   * other's queues; "%2f" (the default one) where rabbitmqctl is not at hand.
   */
  private static String ownVirtualHost() {
    String vhost = "helpdesk-test-" + ProcessHandle.current().pid();
    try {
      run("rabbitmqctl", "-q", "add_vhost", vhost);
      run("rabbitmqctl", "-q", "set_permissions", "-p", vhost, "guest", ".*", ".*", ".*");
    } catch (IllegalStateException e) {
      System.out.println(
          "[test-support] no virtual host of our own (" + e.getMessage() + "), using /");
      return "%2f";
    }
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    run("rabbitmqctl", "-q", "delete_vhost", vhost);
                  } catch (IllegalStateException ignored) {
                    // the broker may be stopped by then; a leftover empty vhost is harmless
                  }
                }));
    return vhost;
  }

  /** Runs admin work on a throwaway connection. */
  public static void withChannel(ChannelWork work) {
    try {
      ConnectionFactory factory = new ConnectionFactory();
      factory.setUri(amqpUri());
      factory.setAutomaticRecoveryEnabled(false);
      try (Connection connection = factory.newConnection("test-admin");
          Channel channel = connection.createChannel()) {
        work.run(channel);
      }
    } catch (Exception e) {
      throw new IllegalStateException("broker admin work failed", e);
    }
  }

  /**
   * Publishes one message (mandatory) on a throwaway connection and waits up to 10 s for the
   * broker's confirm.
   */
  public static void publish(
      String exchange, String routingKey, AMQP.BasicProperties properties, byte[] body) {
    publish(channel -> {}, exchange, routingKey, properties, body);
  }

  /** The same, after {@code declare} ran on the channel (e.g. {@code BrokerTopology::declare}). */
  public static void publish(
      ChannelWork declare,
      String exchange,
      String routingKey,
      AMQP.BasicProperties properties,
      byte[] body) {
    withChannel(
        channel -> {
          declare.run(channel);
          channel.confirmSelect();
          channel.basicPublish(exchange, routingKey, true, properties, body);
          channel.waitForConfirmsOrDie(10_000);
        });
  }

  /** Takes every message the queue holds now off it (acknowledged), in the queue's order. */
  public static void takeAll(String queue, Consumer<GetResponse> each) {
    withChannel(
        channel -> {
          GetResponse r;
          while ((r = channel.basicGet(queue, true)) != null) {
            each.accept(r);
          }
        });
  }

  /**
   * Deletes queues and exchanges so that a test starts from an empty broker. Those that do not
   * exist are skipped (RabbitMQ ignores them, Qpid answers 404 and closes the channel).
   */
  public static void deleteQueuesAndExchanges(List<String> queues, List<String> exchanges) {
    withChannel(
        channel -> {
          Connection connection = channel.getConnection();
          for (String queue : queues) {
            ignoringNotFound(connection, c -> c.queueDelete(queue));
          }
          for (String exchange : exchanges) {
            ignoringNotFound(connection, c -> c.exchangeDelete(exchange));
          }
        });
  }

  private static void ignoringNotFound(Connection connection, ChannelWork work) throws Exception {
    Channel channel = connection.createChannel();
    try {
      work.run(channel);
      channel.close();
    } catch (IOException e) {
      if (!String.valueOf(e.getCause()).contains("reply-code=404")) {
        throw e;
      }
    }
  }

  public static long messageCount(String queue) {
    long[] count = new long[1];
    withChannel(channel -> count[0] = channel.messageCount(queue));
    return count[0];
  }

  /** Stops the broker and starts it again, as an operator's restart would. */
  public static void restart() {
    stop();
    start();
  }

  public static synchronized void stop() {
    amqpUri();
    if (embedded != null) {
      embedded.close();
    } else if (local) {
      run("rabbitmqctl", "stop_app");
    } else {
      throw new IllegalStateException("cannot stop a broker given by TEST_AMQP_URI");
    }
  }

  public static synchronized void start() {
    if (embedded != null) {
      embedded = EmbeddedAmqpBroker.start(embeddedWorkDirectory, embeddedPort);
    } else if (local) {
      run("rabbitmqctl", "start_app");
      run("rabbitmqctl", "await_startup");
    }
  }

  /** Whether something accepts connections on this local port. */
  public static boolean listening(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static void run(String... command) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes());
      if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
      }
    } catch (IOException e) {
      throw new IllegalStateException(String.join(" ", command) + " could not run", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** Admin work on a channel. */
  @FunctionalInterface
  public interface ChannelWork {
    void run(Channel channel) throws Exception;
  }
}
