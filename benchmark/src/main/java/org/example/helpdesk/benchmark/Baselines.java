package org.example.helpdesk.benchmark;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the machine itself allows, measured in the same run: the rate of single-row INSERT commits
 * PostgreSQL takes at a given client concurrency, and the rate of persistent, confirmed publishes
 * the broker takes with a given window of unconfirmed messages.
 */
final class Baselines {

  private Baselines() {}

  /** Commits per second of one-row INSERTs, {@code concurrency} connections in a loop. */
  static double commitRate(Infra infra, int concurrency, Duration duration) throws Exception {
    String schema = "bench_baseline_" + UUID.randomUUID().toString().substring(0, 8);
    try (var c = DriverManager.getConnection(infra.databaseUrl(), infra.user(), infra.password());
        Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + schema);
      s.execute(
          "CREATE TABLE "
              + schema
              + ".rows (id BIGSERIAL PRIMARY KEY, id2 UUID NOT NULL, payload TEXT NOT NULL)");
    }
    try {
      AtomicLong commits = new AtomicLong();
      long end = System.nanoTime() + duration.toNanos();
      List<Thread> threads = new ArrayList<>();
      for (int i = 0; i < concurrency; i++) {
        Thread t =
            new Thread(
                () -> {
                  try (var c =
                          DriverManager.getConnection(
                              infra.databaseUrl(), infra.user(), infra.password());
                      PreparedStatement insert =
                          c.prepareStatement(
                              "INSERT INTO " + schema + ".rows (id2, payload) VALUES (?, ?)")) {
                    c.setAutoCommit(true);
                    String payload = "x".repeat(200);
                    while (System.nanoTime() < end) {
                      insert.setObject(1, UUID.randomUUID());
                      insert.setString(2, payload);
                      insert.executeUpdate();
                      commits.incrementAndGet();
                    }
                  } catch (Exception e) {
                    throw new IllegalStateException(e);
                  }
                });
        threads.add(t);
        t.start();
      }
      for (Thread t : threads) {
        t.join();
      }
      return commits.get() / (double) duration.toSeconds();
    } finally {
      try (var c =
              DriverManager.getConnection(infra.databaseUrl(), infra.user(), infra.password());
          Statement s = c.createStatement()) {
        s.execute("DROP SCHEMA " + schema + " CASCADE");
      }
    }
  }

  /**
   * Confirmed persistent publishes per second on one channel, {@code window} unconfirmed at most.
   */
  static double confirmedPublishRate(Infra infra, int window, Duration duration) throws Exception {
    ConnectionFactory factory = new ConnectionFactory();
    factory.setUri(infra.amqpUri());
    String queue = "bench.baseline." + UUID.randomUUID().toString().substring(0, 8);
    try (Connection connection = factory.newConnection("benchmark-baseline");
        Channel channel = connection.createChannel()) {
      channel.queueDeclare(queue, true, false, false, null);
      channel.confirmSelect();
      ConcurrentNavigableMap<Long, Boolean> outstanding = new ConcurrentSkipListMap<>();
      AtomicLong confirmed = new AtomicLong();
      channel.addConfirmListener(
          (tag, multiple) -> confirmed.addAndGet(settle(outstanding, tag, multiple)),
          (tag, multiple) -> settle(outstanding, tag, multiple));
      AMQP.BasicProperties persistent =
          new AMQP.BasicProperties.Builder()
              .deliveryMode(2)
              .contentType("application/json")
              .build();
      byte[] body =
          ("{\"ticketId\":\""
                  + UUID.randomUUID()
                  + "\",\"ticketType\":\"customer-issue\",\"description\":\""
                  + "x".repeat(100)
                  + "\"}")
              .getBytes();
      long end = System.nanoTime() + duration.toNanos();
      long start = System.nanoTime();
      while (System.nanoTime() < end) {
        while (outstanding.size() >= window) {
          Thread.onSpinWait();
        }
        outstanding.put(channel.getNextPublishSeqNo(), true);
        channel.basicPublish("", queue, persistent, body);
      }
      channel.waitForConfirms(30_000);
      double seconds = (System.nanoTime() - start) / 1e9;
      channel.queueDelete(queue);
      return confirmed.get() / seconds;
    }
  }

  private static long settle(
      ConcurrentNavigableMap<Long, Boolean> outstanding, long tag, boolean multiple) {
    if (multiple) {
      var head = outstanding.headMap(tag, true);
      int n = head.size();
      head.clear();
      return n;
    }
    return outstanding.remove(tag) != null ? 1 : 0;
  }
}
