package org.example.helpdesk.backoffice.deadletter;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/**
 * The error a dead letter keeps after a replay that failed: the original error (why the inbox gave
 * up, what the operator set out to fix) stays, and the last replay's failure is added in words an
 * operator reads, not the parser's.
 */
final class ReplayErrors {

  /** Where the last replay's failure starts; a later failed replay replaces only that part. */
  static final String LAST_REPLAY = "\nLast replay, ";

  private static final DateTimeFormatter TEXT =
      DateTimeFormatter.ofPattern("d MMMM uuuu, HH:mm:ss 'UTC'", Locale.ENGLISH)
          .withZone(ZoneOffset.UTC);

  private ReplayErrors() {}

  static String afterFailedReplay(String stored, String failure, Instant at) {
    int cut = stored == null ? -1 : stored.indexOf(LAST_REPLAY);
    String original = stored == null ? "" : cut < 0 ? stored : stored.substring(0, cut);
    return original
        + LAST_REPLAY
        + TEXT.format(at.truncatedTo(ChronoUnit.SECONDS))
        + ", failed again: "
        + inWords(failure);
  }

  /** A command's rejection as an operator reads it: no parser internals, no character codes. */
  static String inWords(String error) {
    if (error == null) {
      return "no reason given";
    }
    String e = error.replaceAll(" \\(code -?\\d+\\)", "");
    int source = e.indexOf(" at [Source:");
    if (source > 0) {
      e = e.substring(0, source);
    }
    e = e.replace("malformed JSON: ", "the body is not valid JSON: ");
    e = e.replace("(JSON String, Number, Array, Object or token 'null', 'true' or 'false')", "");
    return e.strip();
  }
}
