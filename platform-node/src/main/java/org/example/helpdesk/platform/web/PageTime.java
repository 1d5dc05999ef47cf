package org.example.helpdesk.platform.web;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/**
 * The one way both services print a moment: "7 December 2026, 14:41:38 UTC", to the second. A page
 * writes it as {@code <time datetime="2026-12-07T14:41:38Z">} with this text in UTC, which the
 * shared script ({@code /assets/app/time.js}) rewrites in the same format in the viewer's time
 * zone; a mail says it in UTC.
 *
 * @param iso for {@code <time datetime>}: whole seconds, UTC
 * @param text the same moment in words, in UTC
 */
public record PageTime(String iso, String text) {

  private static final DateTimeFormatter TEXT =
      DateTimeFormatter.ofPattern("d MMMM uuuu, HH:mm:ss 'UTC'", Locale.ENGLISH)
          .withZone(ZoneOffset.UTC);

  /** The moment as a page shows it, or null for none (a template's section then shows nothing). */
  public static PageTime of(Instant at) {
    if (at == null) {
      return null;
    }
    Instant s = at.truncatedTo(ChronoUnit.SECONDS);
    return new PageTime(s.toString(), TEXT.format(s));
  }

  /** The moment in words, in UTC: "7 December 2026, 14:41:38 UTC" (for a mail or a stored text). */
  public static String text(Instant at) {
    return TEXT.format(at.truncatedTo(ChronoUnit.SECONDS));
  }
}
