package org.example.helpdesk.platform.persistence;

import com.fasterxml.jackson.annotation.JsonIncludeProperties;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import org.example.helpdesk.protocol.TraceContext;

/**
 * What an event-sourced entity persists: the event its rules decided, with the metadata of the
 * command that caused it (its trace context), so events stay plain facts. Readers of the journal
 * (projections, feeds) take the metadata from here, as from an event envelope.
 *
 * <p>Stored as JSON {@code {"event":{"type":<name>,...},"trace":{"traceparent":...}}}: the event's
 * type is a name each node registers for its events (a Jackson module in its serialization
 * configuration), never a Java class name, so events can be renamed or moved without touching what
 * is stored.
 */
public record Recorded<E>(
    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type") E event,
    @JsonIncludeProperties("traceparent") TraceContext trace) {

  public Recorded {
    if (event == null) {
      throw new NullPointerException("a recorded event is required");
    }
    trace = trace == null ? TraceContext.none() : trace;
  }

  /** {@code Recorded<E>} as a class, for readers that decode the journal. */
  @SuppressWarnings("unchecked")
  public static <E> Class<Recorded<E>> type() {
    return (Class<Recorded<E>>) (Class<?>) Recorded.class;
  }
}
