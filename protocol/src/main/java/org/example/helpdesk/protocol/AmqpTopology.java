package org.example.helpdesk.protocol;

import java.util.UUID;

/**
 * The names of the exchange, queues and bindings the services share, and how a ticket picks its
 * slot. Names only: the declarations are made through the AMQP client by {@code
 * org.example.helpdesk.amqp.BrokerTopology}.
 *
 * <p>The seed's contract: commands go to the direct exchange {@code distributed.commands} with
 * routing key {@code backoffice_service}, into the queue of that name. The backoffice still serves
 * it (it forwards what arrives there), but the Customer Service publishes each command with the
 * routing key of its ticket's <em>slot</em>: {@code backoffice_service.slot.<s>}, {@code s} = the
 * ticket id's last 6 bits ({@link #slotOf}), one of {@value #SLOTS}. The backoffice binds every
 * slot to one of its N partition queues {@code backoffice_service.p<i>} (slot mod N), so that a
 * ticket's commands always land in the same queue, in order, and N can change without the publisher
 * knowing. A slot nobody bound yet makes the broker return the message: the publisher's outbox
 * keeps it.
 */
public final class AmqpTopology {

  public static final String COMMANDS_EXCHANGE = "distributed.commands";
  public static final String BACKOFFICE_SERVICE = "backoffice_service";
  public static final String BACKOFFICE_QUEUE = BACKOFFICE_SERVICE;
  public static final String BACKOFFICE_ROUTING_KEY = BACKOFFICE_SERVICE;

  /**
   * How many slots the tickets are spread over: fixed for good, the most partitions there can be.
   */
  public static final int SLOTS = 64;

  private static final String SLOT_KEY_PREFIX = BACKOFFICE_SERVICE + ".slot.";
  private static final String PARTITION_QUEUE_PREFIX = BACKOFFICE_SERVICE + ".p";

  private AmqpTopology() {}

  /** A ticket's slot: the last 6 bits of its id (the last two hex digits, modulo 64). */
  public static int slotOf(UUID ticketId) {
    return (int) (ticketId.getLeastSignificantBits() & (SLOTS - 1));
  }

  public static String slotRoutingKey(int slot) {
    return SLOT_KEY_PREFIX + slot;
  }

  /** Where the Customer Service sends a command of this ticket. */
  public static String routingKeyFor(UUID ticketId) {
    return slotRoutingKey(slotOf(ticketId));
  }

  public static String partitionQueue(int partition) {
    return PARTITION_QUEUE_PREFIX + partition;
  }

  /** The partition a slot belongs to, of {@code partitions}. */
  public static int partitionOf(int slot, int partitions) {
    return slot % partitions;
  }
}
