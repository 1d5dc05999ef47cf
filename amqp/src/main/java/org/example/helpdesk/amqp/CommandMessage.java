package org.example.helpdesk.amqp;

import com.rabbitmq.client.AMQP;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.Objects;
import org.example.helpdesk.protocol.AmqpTopology;
import org.example.helpdesk.protocol.DistributedCommand;
import org.example.helpdesk.protocol.DistributedCommands;

/** How a distributed command travels: AMQP message properties around its JSON body. */
public final class CommandMessage {

  public static final String CONTENT_TYPE = DistributedCommands.CONTENT_TYPE;
  private static final int PERSISTENT = 2;

  private CommandMessage() {}

  /**
   * The message for a command to the backoffice service, routed to its ticket's slot (see {@link
   * AmqpTopology}).
   *
   * @param messageId stable id of the logical command: the same on every re-publish, so that the
   *     receiver can recognise a duplicate
   */
  public static OutboundMessage toBackoffice(
      DistributedCommand command, String messageId, String correlationId, Instant timestamp) {
    return toBackoffice(command, messageId, correlationId, timestamp, null);
  }

  /**
   * As {@link #toBackoffice(DistributedCommand, String, String, Instant)}, with application
   * headers, such as the W3C trace context ({@code traceparent}, {@code tracestate}). Headers are
   * optional: the receiver takes a message without them alike.
   *
   * @param headers null or empty: none
   */
  public static OutboundMessage toBackoffice(
      DistributedCommand command,
      String messageId,
      String correlationId,
      Instant timestamp,
      Map<String, Object> headers) {
    Objects.requireNonNull(messageId, "messageId");
    AMQP.BasicProperties properties =
        new AMQP.BasicProperties.Builder()
            .headers(headers == null || headers.isEmpty() ? null : Map.copyOf(headers))
            .type(DistributedCommands.nameOf(command))
            .messageId(messageId)
            .correlationId(correlationId)
            .contentType(CONTENT_TYPE)
            .deliveryMode(PERSISTENT)
            .timestamp(Date.from(timestamp))
            .build();
    return new OutboundMessage(
        AmqpTopology.COMMANDS_EXCHANGE,
        AmqpTopology.routingKeyFor(command.ticketId()),
        properties,
        DistributedCommands.toJson(command));
  }
}
