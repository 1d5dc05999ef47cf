package org.example.helpdesk.protocol;

import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import java.io.IOException;

/**
 * Exchange, queue and binding the services share. Both sides declare all of it, idempotently, so
 * whichever starts first creates it. No broker-specific arguments: RabbitMQ and the embedded Qpid
 * broker accept exactly the same declarations.
 */
public final class AmqpTopology {

  public static final String COMMANDS_EXCHANGE = "distributed.commands";
  public static final String BACKOFFICE_SERVICE = "backoffice_service";
  public static final String BACKOFFICE_QUEUE = BACKOFFICE_SERVICE;
  public static final String BACKOFFICE_ROUTING_KEY = BACKOFFICE_SERVICE;

  private AmqpTopology() {}

  public static void declare(Channel channel) throws IOException {
    channel.exchangeDeclare(COMMANDS_EXCHANGE, BuiltinExchangeType.DIRECT, true, false, null);
    channel.queueDeclare(BACKOFFICE_QUEUE, true, false, false, null);
    channel.queueBind(BACKOFFICE_QUEUE, COMMANDS_EXCHANGE, BACKOFFICE_ROUTING_KEY);
  }
}
