package org.example.helpdesk.backoffice.inbox;

import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.javadsl.Source;
import org.example.helpdesk.amqp.AmqpConnector;
import org.example.helpdesk.amqp.AmqpPublisher;
import org.example.helpdesk.amqp.AmqpSource;
import org.example.helpdesk.amqp.BrokerTopology;
import org.example.helpdesk.amqp.CommittableMessage;
import org.example.helpdesk.amqp.OutboundMessage;
import org.example.helpdesk.platform.cluster.StreamDaemon;
import org.example.helpdesk.protocol.AmqpTopology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the seed's contract: a publisher that sends to {@code distributed.commands} with routing
 * key {@code backoffice_service} lands in the queue of that name. One node of the cluster (a
 * sharded daemon process of one) forwards each of its messages, unchanged, to its ticket's slot,
 * and acks it only once the broker confirmed the forward: nothing lost, and since one consumer
 * forwards in arrival order on one channel, a ticket's commands keep their order. A message whose
 * ticket cannot be read goes to slot 0, where its partition keeps it as a dead letter. It also
 * keeps the broker's bindings those of the configured partitions ({@link
 * InboxPartitions#reconcile}) each time it connects.
 */
final class SeedQueueForwarder {

  private static final Logger log = LoggerFactory.getLogger(SeedQueueForwarder.class);

  private final AmqpConnector connector;
  private final CommandConsumer.Settings settings;

  SeedQueueForwarder(AmqpConnector connector, CommandConsumer.Settings settings) {
    this.connector = connector;
    this.settings = settings;
  }

  Behavior<StreamDaemon.Control> behavior() {
    return StreamDaemon.behavior(
        settings.restart(),
        this::forward,
        () ->
            log.info(
                "Forwarding queue {} to the {} inbox partitions",
                AmqpTopology.BACKOFFICE_QUEUE,
                settings.partitions()));
  }

  private Source<Done, NotUsed> forward() {
    int partitions = settings.partitions();
    // memory bounded as a partition's; an oversized message is taken alone and forwarded whole,
    // for its partition to keep as a dead letter
    AmqpSource.Settings source =
        new AmqpSource.Settings(
            settings.effectivePrefetch(),
            settings.maxMessageBytes(),
            settings.maxOversizeBytes(),
            true);
    return AmqpSource.committable(
            connector,
            AmqpTopology.BACKOFFICE_QUEUE,
            source,
            channel -> {
              BrokerTopology.declare(channel);
              InboxPartitions.reconcile(channel, partitions);
            })
        .map(delivery -> Pair.create(toSlot(delivery), delivery))
        .via(
            AmqpPublisher.<CommittableMessage>confirming(
                    connector,
                    settings.effectivePrefetch(),
                    channel -> {
                      for (int p = 0; p < partitions; p++) {
                        BrokerTopology.declarePartition(channel, p, partitions);
                      }
                    })
                .asFlow())
        .mapAsync(1, forwarded -> forwarded.second().ack().exceptionally(e -> Done.getInstance()));
  }

  private static OutboundMessage toSlot(CommittableMessage delivery) {
    InboundMessage message = InboundMessage.from(delivery);
    int slot = message.ticketId().map(AmqpTopology::slotOf).orElse(0);
    return new OutboundMessage(
        AmqpTopology.COMMANDS_EXCHANGE,
        AmqpTopology.slotRoutingKey(slot),
        delivery.properties(),
        delivery.body());
  }
}
