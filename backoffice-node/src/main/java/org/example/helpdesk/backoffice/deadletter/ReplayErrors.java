package org.example.helpdesk.backoffice.deadletter;

import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.example.helpdesk.platform.web.PageTime;

/**
 * The error a dead letter keeps after a replay that failed: the original error (why the inbox gave
 * up, what the operator set out to fix) stays, and the last replay's failure is added in words an
 * operator reads, not the parser's.
 */
final class ReplayErrors {

  /** Where the last replay's failure starts; a later failed replay replaces only that part. */
  static final String LAST_REPLAY = "\nLast replay, ";

  /**
   * The parser's words for a raw control character in a string, the usual slip of an operator who
   * cut a text in the corrected-body box and lost its closing quote (the line break after it is
   * then inside the string).
   */
  private static final Pattern CONTROL_CHARACTER =
      Pattern.compile(
          "Illegal unquoted character \\(\\(CTRL-CHAR, code (\\d+)\\)\\):"
              + " has to be escaped using backslash to be included in string value");

  private ReplayErrors() {}

  static String afterFailedReplay(String stored, String failure, Instant at) {
    int cut = stored == null ? -1 : stored.indexOf(LAST_REPLAY);
    String original = stored == null ? "" : cut < 0 ? stored : stored.substring(0, cut);
    return original + LAST_REPLAY + PageTime.text(at) + ", failed again: " + inWords(failure);
  }

  /** A command's rejection as an operator reads it: no parser internals, no character codes. */
  static String inWords(String error) {
    if (error == null) {
      return "no reason given";
    }
    String e = controlCharacterInWords(error).replaceAll(" \\(code -?\\d+\\)", "");
    int source = e.indexOf(" at [Source:");
    if (source > 0) {
      e = e.substring(0, source);
    }
    e = e.replace("malformed JSON: ", "the body is not valid JSON: ");
    e = e.replace("(JSON String, Number, Array, Object or token 'null', 'true' or 'false')", "");
    return e.strip();
  }

  private static String controlCharacterInWords(String error) {
    Matcher m = CONTROL_CHARACTER.matcher(error);
    if (!m.find()) {
      return error;
    }
    String found =
        switch (m.group(1)) {
          case "10", "13" -> "a line break inside a quoted text (is a closing quote missing?)";
          case "9" -> "a tab inside a quoted text (write it as \\t)";
          default -> "a control character inside a quoted text";
        };
    return error.substring(0, m.start()) + found + error.substring(m.end());
  }
}
