package org.example.helpdesk.backoffice.deadletter;

import java.time.Instant;
import java.util.UUID;

/**
 * A message the inbox gave up on ({@code failed}: the head of its ticket), or one it keeps waiting
 * behind such a head ({@code parked}, {@code waitsFor} the head's message id), with why, when and
 * how often. {@code body} may be only the start of the body; {@code bodySize} is its full size.
 * {@code traceId}: the W3C trace id of the message's consume, or null.
 */
public record DeadLetter(
    long id,
    String messageId,
    String type,
    byte[] body,
    int bodySize,
    String headersJson,
    String error,
    Instant firstFailedAt,
    Instant lastFailedAt,
    int attempts,
    Status status,
    UUID ticketId,
    String waitsFor,
    String traceId) {

  public enum Status {
    FAILED,
    PARKED,
    REPLAYING,
    RESOLVED,
    DELETED;

    String column() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    static Status of(String column) {
      return valueOf(column.toUpperCase(java.util.Locale.ROOT));
    }
  }

  /** Whether the whole body was kept (a body larger than the inbox takes is kept cut short). */
  public boolean complete() {
    return body.length == bodySize;
  }
}
