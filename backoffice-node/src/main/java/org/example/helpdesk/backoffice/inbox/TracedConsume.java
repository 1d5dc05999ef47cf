package org.example.helpdesk.backoffice.inbox;

import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.example.helpdesk.amqp.CommittableMessage;
import org.example.helpdesk.platform.tracing.Tracing;

/**
 * The consumer's handling of one message in a consume span that continues the message's trace
 * context ({@code traceparent}, {@code tracestate} headers); a message without one, or with a
 * malformed one, starts a new trace. What the handling asks of the ticket, and a dead letter, carry
 * the span's context on. A decorator: the stages know nothing of spans.
 */
final class TracedConsume {

  /** What is done with one delivery. */
  interface Consume {
    CompletionStage<Done> apply(CommittableMessage delivery, InboundMessage message);
  }

  private TracedConsume() {}

  static Consume around(Consume inner, Tracing tracing, String queue) {
    if (!tracing.enabled()) {
      return inner;
    }
    return (delivery, received) -> {
      SpanBuilder span =
          tracing.spanBuilder(
              "inbox consume",
              Tracing.contextOf(received.traceparent(), received.tracestate()),
              SpanKind.CONSUMER,
              "messaging.system",
              "rabbitmq",
              "messaging.operation.type",
              "process",
              "messaging.destination.name",
              queue,
              "messaging.message.id",
              received.messageId(),
              "command.name",
              received.type());
      return tracing.traced(
          span, traceparent -> inner.apply(delivery, received.withTraceparent(traceparent)));
    };
  }
}
