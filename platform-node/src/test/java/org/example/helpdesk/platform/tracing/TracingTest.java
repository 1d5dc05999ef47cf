package org.example.helpdesk.platform.tracing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class TracingTest {

  private static final String TRACEPARENT =
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

  @Test
  void offByDefaultAndThenItPassesStraightThrough() {
    ActorTestKit testKit = ActorTestKit.create();
    try {
      Tracing tracing = Tracing.get(testKit.system());
      assertFalse(tracing.enabled(), "no OTEL_TRACES_EXPORTER: off");
      assertSame(OpenTelemetry.noop().getClass(), tracing.openTelemetry().getClass());
      String[] seen = new String[1];
      tracing.traced(
          "x",
          TRACEPARENT,
          tp -> {
            seen[0] = tp;
            return CompletableFuture.completedFuture(1);
          });
      assertEquals(TRACEPARENT, seen[0], "the parent is handed on as it is");
    } finally {
      testKit.shutdownTestKit();
    }
  }

  @Test
  void aTraceparentRoundTripsThroughMessageHeaders() {
    Context context = Tracing.contextOf(TRACEPARENT, "vendor=value");
    SpanContext span = Span.fromContext(context).getSpanContext();
    assertTrue(span.isValid());
    assertTrue(span.isRemote());
    assertEquals(TRACEPARENT, Tracing.traceparent(span));

    Map<String, Object> headers = new HashMap<>();
    Tracing.inject(context, headers);
    assertEquals(TRACEPARENT, headers.get("traceparent"));
    assertEquals("vendor=value", headers.get("tracestate"));
    assertEquals(span, Span.fromContext(Tracing.extract(headers)).getSpanContext());
  }

  @ParameterizedTest(name = "traceparent {0}")
  @NullAndEmptySource
  @ValueSource(
      strings = {
        "garbage",
        "00-xyz-abc-01",
        "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
        "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
      })
  void aMissingOrMalformedTraceparentIsANewTraceNeverAFailure(String bad) {
    assertFalse(
        Span.fromContext(Tracing.contextOf(bad, "=,=")).getSpanContext().isValid(),
        String.valueOf(bad));
  }

  @Test
  void headersOfTheWrongTypeOrNoneAreANewTraceNeverAFailure() {
    Map<String, Object> odd = new HashMap<>();
    odd.put("traceparent", new byte[] {1, 2, 3});
    odd.put("tracestate", List.of("x"));
    assertFalse(Span.fromContext(Tracing.extract(odd)).getSpanContext().isValid());
    assertFalse(Span.fromContext(Tracing.extract(null)).getSpanContext().isValid());
  }

  @Test
  void theTraceIdOfATraceparent() {
    assertEquals("4bf92f3577b34da6a3ce929d0e0e4736", Tracing.traceIdOf(TRACEPARENT));
    assertNull(Tracing.traceIdOf("00-not-a-trace-context-01"));
    assertNull(Tracing.traceIdOf("00-00000000000000000000000000000000-00f067aa0ba902b7-01"));
    assertNull(Tracing.traceIdOf(null));
  }

  @Test
  void routesNameIdsSoThatSpanNamesStayFew() {
    assertEquals("/issues", HttpTracing.route("/issues"));
    assertEquals(
        "/issues/{id}/close",
        HttpTracing.route("/issues/4bf92f35-77b3-4da6-a3ce-929d0e0e4736/close"));
    assertEquals("/dead-letters/{id}/replay", HttpTracing.route("/dead-letters/17/replay"));
    assertEquals("/", HttpTracing.route("/"));
  }
}
