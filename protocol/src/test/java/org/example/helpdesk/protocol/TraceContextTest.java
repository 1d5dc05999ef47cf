package org.example.helpdesk.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class TraceContextTest {

  private static final String VALID = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

  @Test
  void aWellFormedTraceparentIsKept() {
    TraceContext context = TraceContext.of(VALID);
    assertTrue(context.isPresent());
    assertEquals(VALID, context.traceparent());
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(
      strings = {
        "garbage",
        "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331",
        "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01\u0000",
        "zz-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
      })
  void aMissingOrMalformedOneIsNone(String traceparent) {
    TraceContext context = TraceContext.of(traceparent);
    assertFalse(context.isPresent());
    assertSame(TraceContext.none(), context);
  }

  @Test
  void anOversizeOneIsNone() {
    assertFalse(TraceContext.of(VALID + "-" + "a".repeat(200)).isPresent());
  }
}
