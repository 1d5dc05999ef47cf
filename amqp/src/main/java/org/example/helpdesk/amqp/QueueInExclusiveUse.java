package org.example.helpdesk.amqp;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Method;
import com.rabbitmq.client.ShutdownSignalException;
import java.io.IOException;

/**
 * The broker refused an exclusive consumer because the queue already has one. Both brokers answer
 * with reply code 403 (ACCESS_REFUSED) but differ in scope: RabbitMQ closes the channel ("in
 * exclusive use"), Qpid Broker-J the whole connection ("already has an existing exclusive
 * consumer"), and the client reports either as a bare {@link IOException}. This names it alike for
 * both.
 */
public final class QueueInExclusiveUse extends IOException {

  QueueInExclusiveUse(String queue, Throwable refusal) {
    super("queue '" + queue + "' already has an exclusive consumer", refusal);
  }

  /** Whether a failed {@code basic.consume} was the broker's refusal of a second exclusive one. */
  static boolean isRefusal(Throwable failure) {
    for (Throwable t = failure; t != null && t.getCause() != t; t = t.getCause()) {
      if (t instanceof ShutdownSignalException signal) {
        Method reason = signal.getReason();
        int code =
            reason instanceof AMQP.Channel.Close close
                ? close.getReplyCode()
                : reason instanceof AMQP.Connection.Close close ? close.getReplyCode() : -1;
        return code == AMQP.ACCESS_REFUSED;
      }
    }
    return false;
  }
}
