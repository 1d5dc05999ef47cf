package org.example.helpdesk.amqp;

import com.rabbitmq.client.AMQP;
import java.util.Objects;

/** A message to publish: where it goes, its properties and its body. */
public record OutboundMessage(
    String exchange, String routingKey, AMQP.BasicProperties properties, byte[] body) {

  public OutboundMessage {
    Objects.requireNonNull(exchange, "exchange");
    Objects.requireNonNull(routingKey, "routingKey");
    Objects.requireNonNull(properties, "properties");
    Objects.requireNonNull(body, "body");
  }

  public String messageId() {
    return properties.getMessageId();
  }

  @Override
  public String toString() {
    return "OutboundMessage["
        + exchange
        + "/"
        + routingKey
        + ", type="
        + properties.getType()
        + ", messageId="
        + properties.getMessageId()
        + ", "
        + body.length
        + " bytes]";
  }
}
