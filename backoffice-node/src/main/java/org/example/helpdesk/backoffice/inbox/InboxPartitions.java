package org.example.helpdesk.backoffice.inbox;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.ShardedDaemonProcess;
import org.example.helpdesk.amqp.AmqpConnector;
import org.example.helpdesk.amqp.BrokerTopology;
import org.example.helpdesk.backoffice.ticket.TicketShards;
import org.example.helpdesk.platform.cluster.StreamDaemon;
import org.example.helpdesk.protocol.AmqpTopology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The inbox as N partitions ({@code helpdesk.inbox.partitions}), each a queue consumed by exactly
 * one node of the cluster at a time, spread over the nodes (a sharded daemon process of N) and
 * moved when a node leaves or joins. A ticket's commands all go to one partition (its slot's), so
 * their order holds whichever node consumes it; the partition's consumer claims its slots' Ticket
 * shards ({@link TicketShards}), so it handles its commands on its own node.
 *
 * <p>N is fixed for a deployment: the queues' bindings follow it. To change it, stop what publishes
 * (pause the customer node's outbox relay), let the partition queues drain, and restart every
 * backoffice node with the new N: the seed queue's forwarder binds the slots anew, removes empty
 * queues of partitions that no longer exist, and refuses (logs an error for) one that still holds
 * messages.
 */
public final class InboxPartitions {

  private static final Logger log = LoggerFactory.getLogger(InboxPartitions.class);

  private InboxPartitions() {}

  public static void init(
      ActorSystem<?> system,
      AmqpConnector connector,
      CommandHandling handling,
      DeadLetterStore deadLetters,
      CommandConsumer.Settings settings,
      InboxMetrics metrics) {
    int partitions = settings.partitions();
    if (partitions < 1 || partitions > AmqpTopology.SLOTS) {
      throw new IllegalArgumentException(
          "helpdesk.inbox.partitions must be 1 to " + AmqpTopology.SLOTS + ": " + partitions);
    }
    ShardedDaemonProcess.get(system)
        .init(
            StreamDaemon.Control.class,
            "inbox",
            partitions,
            partition ->
                Behaviors.setup(
                    context -> {
                      claim(system, partition, partitions);
                      return new CommandConsumer(
                              system, partition, handling, deadLetters, settings, metrics)
                          .behavior(connector);
                    }),
            StreamDaemon.Control.STOP);
    ShardedDaemonProcess.get(system)
        .init(
            StreamDaemon.Control.class,
            "inbox-seed-queue",
            1,
            i -> new SeedQueueForwarder(connector, settings).behavior(),
            StreamDaemon.Control.STOP);
  }

  /** The slots of one partition. */
  static List<Integer> slotsOf(int partition, int partitions) {
    List<Integer> slots = new ArrayList<>();
    for (int slot = partition; slot < AmqpTopology.SLOTS; slot += partitions) {
      slots.add(slot);
    }
    return slots;
  }

  private static void claim(ActorSystem<?> system, int partition, int partitions) {
    TicketShards.claim(system, slotsOf(partition, partitions))
        .whenComplete(
            (done, failure) -> {
              if (failure != null) {
                // the tickets still answer, through another node: slower, not wrong
                log.warn(
                    "Could not place the tickets of inbox partition {} here: {}",
                    partition,
                    failure.toString());
              } else {
                log.info("Inbox partition {}: its tickets are placed on this node", partition);
              }
            });
  }

  /**
   * Makes the broker's bindings those of {@code partitions} partitions: every partition queue bound
   * to its slots only, queues of partitions beyond N removed when empty.
   */
  static void reconcile(Channel channel, int partitions) throws IOException {
    Connection connection = channel.getConnection();
    for (int p = 0; p < partitions; p++) {
      BrokerTopology.declarePartition(channel, p, partitions);
    }
    // RabbitMQ takes the unbinding of a binding that does not exist as done; the embedded broker
    // answers 404 and closes the channel: then the next unbinding gets a fresh one
    Channel unbinding = connection.createChannel();
    for (int slot = 0; slot < AmqpTopology.SLOTS; slot++) {
      for (int p = 0; p < partitions; p++) {
        if (p != AmqpTopology.partitionOf(slot, partitions)) {
          if (!unbinding.isOpen()) {
            unbinding = connection.createChannel();
          }
          try {
            unbinding.queueUnbind(
                AmqpTopology.partitionQueue(p),
                AmqpTopology.COMMANDS_EXCHANGE,
                AmqpTopology.slotRoutingKey(slot));
          } catch (IOException noSuchBinding) {
            // nothing to undo
          }
        }
      }
    }
    if (unbinding.isOpen()) {
      closeQuietly(unbinding);
    }
    for (int p = partitions; p < AmqpTopology.SLOTS; p++) {
      String queue = AmqpTopology.partitionQueue(p);
      Long messages = messageCount(connection, queue);
      if (messages == null) {
        continue;
      }
      if (messages == 0) {
        log.info("Removing the empty queue {} of a partition that no longer exists", queue);
        channel.queueDelete(queue);
      } else {
        log.error(
            "Queue {} of a partition that no longer exists holds {} messages: nobody consumes"
                + " them. Restart with the earlier partition count until it is empty.",
            queue,
            messages);
      }
    }
  }

  private static void closeQuietly(Channel channel) {
    try {
      channel.close();
    } catch (IOException | java.util.concurrent.TimeoutException | RuntimeException e) {
      // closed anyway
    }
  }

  /** The queue's message count, or null if there is no such queue. */
  private static Long messageCount(Connection connection, String queue) throws IOException {
    Channel probe = connection.createChannel();
    try {
      long count = probe.queueDeclarePassive(queue).getMessageCount();
      probe.close();
      return count;
    } catch (IOException notFound) {
      return null; // (the broker closed the probe's channel)
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IOException(e);
    }
  }
}
