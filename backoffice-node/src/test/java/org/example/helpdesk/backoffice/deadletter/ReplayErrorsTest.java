package org.example.helpdesk.backoffice.deadletter;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.example.helpdesk.protocol.DistributedCommands;
import org.example.helpdesk.protocol.InvalidCommandException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A failed replay's error in words an operator reads: the codec's real messages for the slips an
 * operator makes in the corrected-body box, without parser internals or character codes.
 */
class ReplayErrorsTest {

  private static final String T = "6f1c1c52-7f4e-4bd8-9d0a-3e1b4d3f8a10";

  /** The rejection the inbox gives a corrected body: the codec's message. */
  private static String rejection(String body) {
    return assertThrows(
            InvalidCommandException.class,
            () -> DistributedCommands.fromJson("ticket.prepareTicket", body.getBytes(UTF_8)))
        .getMessage();
  }

  @ParameterizedTest
  @ValueSource(strings = {"\n", "\r\n"})
  void aLostClosingQuoteIsALineBreakInAQuotedText(String lineBreak) {
    // the description cut in the box, its closing quote lost: the line break is inside the string
    String body =
        "{"
            + lineBreak
            + "  \"ticketId\" : \""
            + T
            + "\","
            + lineBreak
            + "  \"ticketType\" : \"customer-issue\","
            + lineBreak
            + "  \"description\" : \"The nightly billing export stopped again."
            + lineBreak
            + "}";
    String raw = rejection(body);
    assertTrue(raw.contains("CTRL-CHAR"), "the parser's own words: " + raw);

    String words = ReplayErrors.inWords(raw);
    assertEquals(
        "ticket.prepareTicket: the body is not valid JSON: a line break inside a quoted text"
            + " (is a closing quote missing?)",
        words);
  }

  @Test
  void aRawTabOrOtherControlCharacterIsNamedWithoutItsCode() {
    String tab = ReplayErrors.inWords(rejection("{\"ticketId\":\"a\tb\"}"));
    assertTrue(tab.endsWith("a tab inside a quoted text (write it as \\t)"), tab);
    String bell = ReplayErrors.inWords(rejection("{\"ticketId\":\"a\u0007b\"}"));
    assertTrue(bell.endsWith("a control character inside a quoted text"), bell);
    for (String words : new String[] {tab, bell}) {
      assertFalse(words.contains("code"), words);
      assertFalse(words.contains("CTRL-CHAR"), words);
    }
  }

  @Test
  void otherParserMessagesLoseTheirCodesAndSourceAsBefore() {
    String words = ReplayErrors.inWords(rejection("{\"ticketId\": }"));
    assertTrue(words.startsWith("ticket.prepareTicket: the body is not valid JSON: "), words);
    assertFalse(words.contains("(code "), words);
    assertFalse(words.contains("[Source:"), words);
  }

  @Test
  void theOriginalErrorStaysAndOnlyTheLastReplaysFailureIsReplaced() {
    String original = "ticket.prepareTicket: description must be at most 10000 characters";
    String once =
        ReplayErrors.afterFailedReplay(
            original, rejection("{\"a\":\"b\n}"), Instant.parse("2026-12-07T14:40:56.123Z"));
    assertEquals(
        original
            + "\nLast replay, 7 December 2026, 14:40:56 UTC, failed again:"
            + " ticket.prepareTicket: the body is not valid JSON: a line break inside a quoted"
            + " text (is a closing quote missing?)",
        once);
    String twice =
        ReplayErrors.afterFailedReplay(once, "busy", Instant.parse("2026-12-07T14:41:00Z"));
    assertEquals(
        original + "\nLast replay, 7 December 2026, 14:41:00 UTC, failed again: busy", twice);
  }
}
