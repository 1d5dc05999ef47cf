package org.example.helpdesk.backoffice.inbox;

import java.util.Optional;
import org.example.helpdesk.amqp.CommittableMessage;

/**
 * The consumer's first stage: a delivery becomes an {@link InboundMessage} (its body decoded only
 * when first asked), and one larger than the inbox takes is told apart before anything parses it.
 */
final class DecodeAndSize {

  private final int maxMessageBytes;

  DecodeAndSize(int maxMessageBytes) {
    this.maxMessageBytes = maxMessageBytes;
  }

  InboundMessage decode(CommittableMessage delivery) {
    return InboundMessage.from(delivery);
  }

  /**
   * What orders the message: its ticket (commands of one ticket one at a time, in arrival order); a
   * message larger than the inbox takes is not even parsed, it goes alone.
   */
  Object partitionKey(InboundMessage message) {
    return tooLarge(message) ? message.messageId() : message.partitionKey();
  }

  /** Why the message is kept as a dead letter without being handled, if it is too large. */
  Optional<String> oversize(InboundMessage message) {
    if (!tooLarge(message)) {
      return Optional.empty();
    }
    return Optional.of(
        "message of "
            + message.body().length
            + " bytes is larger than the inbox takes ("
            + maxMessageBytes
            + " bytes); only its start is kept");
  }

  private boolean tooLarge(InboundMessage message) {
    return message.body().length > maxMessageBytes;
  }
}
