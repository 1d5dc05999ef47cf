package org.example.helpdesk.protocol;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The W3C trace context of the request that caused something, as one value: it travels from the
 * HTTP edge through an entity's envelope into the stored event's metadata or the outbox entry, out
 * in the AMQP headers and back into the receiving entity's envelope. Only the {@code traceparent}
 * is kept; a malformed one is dropped (tracing is best effort and never rejects a request).
 *
 * <p>Stored as the plain {@code traceparent} string (or null), so rows written before this type
 * existed read unchanged.
 */
public record TraceContext(String traceparent) {

  /** The message header / stored field that carries it. */
  public static final String HEADER = "traceparent";

  private static final Pattern SHAPE =
      Pattern.compile("[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}(-.*)?");

  private static final TraceContext NONE = new TraceContext(null);

  public TraceContext {
    if (traceparent != null) {
      String t = traceparent.strip().toLowerCase(Locale.ROOT);
      traceparent = t.length() <= 128 && SHAPE.matcher(t).matches() ? t : null;
    }
  }

  /** No trace context: the work starts a new trace, if any. */
  public static TraceContext none() {
    return NONE;
  }

  /** The context a {@code traceparent} names; {@link #none()} for null or a malformed one. */
  public static TraceContext of(String traceparent) {
    TraceContext context = new TraceContext(traceparent);
    return context.traceparent == null ? NONE : context;
  }

  public boolean isPresent() {
    return traceparent != null;
  }

  public Optional<String> asTraceparent() {
    return Optional.ofNullable(traceparent);
  }
}
