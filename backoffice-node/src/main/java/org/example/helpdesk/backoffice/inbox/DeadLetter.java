package org.example.helpdesk.backoffice.inbox;

import java.time.Instant;

/**
 * A message the inbox gave up on, with why, when and how often. In listings {@code body} is only the
 * start of the body; {@code bodySize} is its full size.
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
    int attempts) {}
