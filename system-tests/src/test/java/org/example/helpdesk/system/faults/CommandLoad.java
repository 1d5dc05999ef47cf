package org.example.helpdesk.system.faults;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.example.helpdesk.amqp.CommandMessage;
import org.example.helpdesk.amqp.OutboundMessage;
import org.example.helpdesk.protocol.CancelTicket;
import org.example.helpdesk.protocol.Description;
import org.example.helpdesk.protocol.PrepareTicket;
import org.example.helpdesk.protocol.TicketType;
import org.example.helpdesk.testsupport.TestBroker;

/**
 * Distributed commands published straight onto the backoffice's queue at a fixed rate, as the
 * customer service would send them: a prepare per ticket, every fourth one cancelled right after.
 */
final class CommandLoad implements AutoCloseable {

  private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
  private final Map<UUID, Instant> publishedAt = new ConcurrentHashMap<>();
  private final Set<UUID> cancelled = ConcurrentHashMap.newKeySet();
  private final AtomicLong published = new AtomicLong();
  private final Connection connection;
  private final Channel channel;

  private CommandLoad(int perSecond) throws Exception {
    ConnectionFactory factory = new ConnectionFactory();
    factory.setUri(TestBroker.amqpUri());
    factory.setAutomaticRecoveryEnabled(false);
    connection = factory.newConnection("command-load");
    channel = connection.createChannel();
    org.example.helpdesk.system.InboxQueues.declare(channel);
    channel.confirmSelect();
    ticker.scheduleAtFixedRate(this::publishOne, 0, 1_000_000 / perSecond, TimeUnit.MICROSECONDS);
  }

  static CommandLoad start(int perSecond) throws Exception {
    return new CommandLoad(perSecond);
  }

  private void publishOne() {
    try {
      UUID id = UUID.randomUUID();
      long n = published.incrementAndGet();
      publish(
          CommandMessage.toBackoffice(
              new PrepareTicket(id, TicketType.CUSTOMER_ISSUE, new Description("load " + n)),
              id + ":1",
              id.toString(),
              Instant.now()));
      publishedAt.put(id, Instant.now());
      if (n % 4 == 0) {
        publish(
            CommandMessage.toBackoffice(
                new CancelTicket(id), id + ":2", id.toString(), Instant.now()));
        cancelled.add(id);
      }
      channel.waitForConfirmsOrDie(5_000);
    } catch (Exception e) {
      System.out.println("[faults] command load: " + e);
    }
  }

  private void publish(OutboundMessage m) throws java.io.IOException {
    channel.basicPublish(m.exchange(), m.routingKey(), true, m.properties(), m.body());
  }

  long published() {
    return published.get();
  }

  Set<UUID> tickets() {
    return publishedAt.keySet();
  }

  Set<UUID> cancelled() {
    return cancelled;
  }

  Instant publishedAt(UUID id) {
    return publishedAt.get(id);
  }

  /** Stops publishing; closing again does nothing. */
  @Override
  public void close() throws Exception {
    ticker.shutdown();
    ticker.awaitTermination(5, TimeUnit.SECONDS);
    if (connection.isOpen()) {
      connection.close();
    }
  }
}
