package org.example.helpdesk.system;

import java.util.ArrayList;
import java.util.List;
import org.example.helpdesk.amqp.BrokerTopology;
import org.example.helpdesk.protocol.AmqpTopology;
import org.example.helpdesk.testsupport.TestBroker;

/** The backoffice's inbox queues: the seed's queue and every partition queue there can be. */
public final class InboxQueues {

  private InboxQueues() {}

  /**
   * The exchange, the seed's queue and the default 8 partitions' queues, as the backoffice has
   * them.
   */
  public static void declare(com.rabbitmq.client.Channel channel) throws java.io.IOException {
    BrokerTopology.declare(channel);
    for (int p = 0; p < 8; p++) {
      BrokerTopology.declarePartition(channel, p, 8);
    }
  }

  public static List<String> all() {
    List<String> queues = new ArrayList<>();
    queues.add(AmqpTopology.BACKOFFICE_QUEUE);
    for (int p = 0; p < AmqpTopology.SLOTS; p++) {
      queues.add(AmqpTopology.partitionQueue(p));
    }
    return queues;
  }

  /** Messages ready in the seed's queue and the partitions' queues (of the default 8). */
  public static long messagesWaiting() {
    long waiting = TestBroker.messageCount(AmqpTopology.BACKOFFICE_QUEUE);
    for (int p = 0; p < 8; p++) {
      try {
        waiting += TestBroker.messageCount(AmqpTopology.partitionQueue(p));
      } catch (RuntimeException noSuchQueue) {
        // not declared (yet)
      }
    }
    return waiting;
  }
}
