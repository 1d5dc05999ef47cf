package org.example.helpdesk.testsupport;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The AMQP 0-9-1 broker the integration tests use, and ways to disturb it. */
public final class TestBroker {

  private static final String URI =
      TestPostgres.env("TEST_AMQP_URI", "amqp://guest:guest@127.0.0.1:5672/%2f");

  private TestBroker() {}

  public static String amqpUri() {
    return URI;
  }

  /** Runs admin work on a throwaway connection. */
  public static void withChannel(ChannelWork work) {
    try {
      ConnectionFactory factory = new ConnectionFactory();
      factory.setUri(URI);
      factory.setAutomaticRecoveryEnabled(false);
      try (Connection connection = factory.newConnection("test-admin");
          Channel channel = connection.createChannel()) {
        work.run(channel);
      }
    } catch (Exception e) {
      throw new IllegalStateException("broker admin work failed", e);
    }
  }

  /** Deletes queues and exchanges so that a test starts from an empty broker. */
  public static void deleteQueuesAndExchanges(List<String> queues, List<String> exchanges) {
    withChannel(
        channel -> {
          for (String queue : queues) {
            channel.queueDelete(queue);
          }
          for (String exchange : exchanges) {
            channel.exchangeDelete(exchange);
          }
        });
  }

  public static long messageCount(String queue) {
    long[] count = new long[1];
    withChannel(channel -> count[0] = channel.messageCount(queue));
    return count[0];
  }

  /** Stops the broker's application and starts it again, as an operator's restart would. */
  public static void restart() {
    stop();
    start();
  }

  public static void stop() {
    run("rabbitmqctl", "stop_app");
  }

  public static void start() {
    run("rabbitmqctl", "start_app");
    run("rabbitmqctl", "await_startup");
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
