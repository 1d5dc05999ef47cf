package org.example.helpdesk.customer.events;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A ticket event the inbox could not record, as stored: why ({@code reason}, then each failed
 * replay), when and how often. {@code body} may be only the start of the body; {@code bodySize} is
 * its full size.
 */
public record EventDeadLetter(
    long id,
    String messageId,
    String type,
    UUID issueId,
    byte[] body,
    int bodySize,
    String headersJson,
    String reason,
    List<ReplayFailure> replayFailures,
    Instant firstFailedAt,
    Instant lastFailedAt,
    int attempts) {

  /** A replay that did not succeed, and why. */
  public record ReplayFailure(Instant at, String reason) {}

  /** Whether the whole body was kept (a body larger than the inbox takes is cut short). */
  public boolean complete() {
    return body.length == bodySize;
  }

  /** The message to handle again, in the trace context of whoever replays it. */
  EventMessage message(String traceparent) {
    return new EventMessage(messageId, type, body, headersJson, traceparent);
  }
}
