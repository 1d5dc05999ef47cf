package org.example.helpdesk.amqp;

import static org.example.helpdesk.protocol.AmqpTopology.BACKOFFICE_QUEUE;
import static org.example.helpdesk.protocol.AmqpTopology.BACKOFFICE_ROUTING_KEY;
import static org.example.helpdesk.protocol.AmqpTopology.COMMANDS_EXCHANGE;
import static org.example.helpdesk.protocol.AmqpTopology.SLOTS;
import static org.example.helpdesk.protocol.AmqpTopology.partitionQueue;
import static org.example.helpdesk.protocol.AmqpTopology.slotRoutingKey;

import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import java.io.IOException;

/**
 * Declares the topology that {@link org.example.helpdesk.protocol.AmqpTopology} names. No
 * broker-specific arguments: RabbitMQ and the embedded Qpid broker accept exactly the same
 * declarations. Every declaration is idempotent.
 */
public final class BrokerTopology {

  private BrokerTopology() {}

  /** The exchange, and the seed's queue with its binding. */
  public static void declare(Channel channel) throws IOException {
    channel.exchangeDeclare(COMMANDS_EXCHANGE, BuiltinExchangeType.DIRECT, true, false, null);
    channel.queueDeclare(BACKOFFICE_QUEUE, true, false, false, null);
    channel.queueBind(BACKOFFICE_QUEUE, COMMANDS_EXCHANGE, BACKOFFICE_ROUTING_KEY);
  }

  /**
   * One partition's queue, bound to its slots. Idempotent; what other partitions bind is theirs.
   */
  public static void declarePartition(Channel channel, int partition, int partitions)
      throws IOException {
    channel.exchangeDeclare(COMMANDS_EXCHANGE, BuiltinExchangeType.DIRECT, true, false, null);
    channel.queueDeclare(partitionQueue(partition), true, false, false, null);
    for (int slot = partition; slot < SLOTS; slot += partitions) {
      channel.queueBind(partitionQueue(partition), COMMANDS_EXCHANGE, slotRoutingKey(slot));
    }
  }
}
