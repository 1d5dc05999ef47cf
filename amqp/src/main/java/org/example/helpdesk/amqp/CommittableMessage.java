package org.example.helpdesk.amqp;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Envelope;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pekko.Done;

/**
 * A delivery that stays unacknowledged at the broker until its consumer calls {@link #ack()} or
 * {@link #nack(boolean)}. If the channel closes first, the broker delivers it again.
 */
public final class CommittableMessage {

  private final Channel channel;
  private final Envelope envelope;
  private final AMQP.BasicProperties properties;
  private final byte[] body;
  private final AtomicBoolean settled = new AtomicBoolean();
  private final Runnable onSettled;

  CommittableMessage(
      Channel channel,
      Envelope envelope,
      AMQP.BasicProperties properties,
      byte[] body,
      Runnable onSettled) {
    this.channel = channel;
    this.envelope = envelope;
    this.properties = properties;
    this.body = body;
    this.onSettled = onSettled;
  }

  public Envelope envelope() {
    return envelope;
  }

  public AMQP.BasicProperties properties() {
    return properties;
  }

  public byte[] body() {
    return body;
  }

  public boolean redelivered() {
    return envelope.isRedeliver();
  }

  /** The broker forgets the message. Fails if the channel it came on is gone. */
  public CompletionStage<Done> ack() {
    return settle(ch -> ch.basicAck(envelope.getDeliveryTag(), false));
  }

  /** The broker takes the message back; with {@code requeue} it delivers it again. */
  public CompletionStage<Done> nack(boolean requeue) {
    return settle(ch -> ch.basicNack(envelope.getDeliveryTag(), false, requeue));
  }

  private CompletionStage<Done> settle(AmqpConnector.ChannelAction action) {
    if (!settled.compareAndSet(false, true)) {
      return CompletableFuture.failedFuture(
          new IllegalStateException("message " + describe() + " was already acked or nacked"));
    }
    try {
      // amqp-client serialises frames per channel, so settling from any thread is safe
      action.run(channel);
      return CompletableFuture.completedFuture(Done.getInstance());
    } catch (Exception e) {
      return CompletableFuture.failedFuture(e);
    } finally {
      onSettled.run();
    }
  }

  public String describe() {
    return "[tag="
        + envelope.getDeliveryTag()
        + ", type="
        + properties.getType()
        + ", messageId="
        + properties.getMessageId()
        + (envelope.isRedeliver() ? ", redelivered" : "")
        + "]";
  }

  @Override
  public String toString() {
    return "CommittableMessage" + describe();
  }
}
