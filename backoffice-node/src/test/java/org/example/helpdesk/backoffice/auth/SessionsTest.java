package org.example.helpdesk.backoffice.auth;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Signed session tokens: only ours, only until they expire; a CSRF token per session. */
class SessionsTest {

  private static final String SECRET = "0123456789abcdef0123456789abcdef";
  private static final Instant T0 = Instant.parse("2026-01-05T09:00:00Z");
  private static final Duration TTL = Duration.ofHours(8);

  /** Sessions keep nothing on the server: another instance with the same secret is another node. */
  private static Sessions at(Instant now) {
    return new Sessions(SECRET, TTL, Clock.fixed(now, ZoneOffset.UTC));
  }

  @Test
  void aTokenStandsForItsEmployeeUntilItExpires() {
    String token = at(T0).open("olivia");

    Sessions.Session session = at(T0.plus(TTL).minusSeconds(1)).read(token).orElseThrow();
    assertEquals("olivia", session.employee());
    assertEquals(T0.plus(TTL), session.expires());
    assertEquals(Optional.empty(), at(T0.plus(TTL)).read(token), "expired");
    assertEquals(Optional.empty(), at(T0.plus(Duration.ofDays(30))).read(token));
  }

  @Test
  void aTamperedTokenIsRefused() {
    String token = at(T0).open("adam");
    int dot = token.indexOf('.');
    String payload = new String(Base64.getUrlDecoder().decode(token.substring(0, dot)), UTF_8);
    Sessions sessions = at(T0);

    // another employee, or a later expiry, under the original signature
    String otherName = b64(payload.replace("adam", "olivia")) + token.substring(dot);
    String later =
        b64(
                payload.replace(
                    Long.toString(T0.plus(TTL).getEpochSecond()),
                    Long.toString(T0.plus(Duration.ofDays(365)).getEpochSecond())))
            + token.substring(dot);
    assertEquals(Optional.empty(), sessions.read(otherName));
    assertEquals(Optional.empty(), sessions.read(later));
    // a changed signature, none, garbage
    // (the signature's first character: its last one also carries padding bits a decoder ignores)
    char first = token.charAt(dot + 1);
    assertEquals(
        Optional.empty(),
        sessions.read(
            token.substring(0, dot + 1) + (first == 'A' ? 'B' : 'A') + token.substring(dot + 2)));
    assertEquals(Optional.empty(), sessions.read(token.substring(0, dot)));
    assertEquals(Optional.empty(), sessions.read(token.substring(0, dot + 1)));
    assertEquals(Optional.empty(), sessions.read("not a token"));
    assertEquals(Optional.empty(), sessions.read("..."));
    assertEquals(Optional.empty(), sessions.read(""));
    assertEquals(Optional.empty(), sessions.read(null));
    assertEquals(Optional.empty(), sessions.read(token + "x".repeat(600)));
    // signed with another secret
    assertEquals(
        Optional.empty(),
        new Sessions("another secret of thirty-two bytes!", TTL, Clock.fixed(T0, ZoneOffset.UTC))
            .read(token));
    // untouched, it is still good
    assertTrue(sessions.read(token).isPresent());
  }

  @Test
  void eachSessionHasItsOwnCsrfToken() {
    Sessions sessions = at(T0);
    Sessions.Session first = sessions.read(sessions.open("olivia")).orElseThrow();
    Sessions.Session second = sessions.read(sessions.open("olivia")).orElseThrow();

    assertTrue(sessions.csrfMatches(first, sessions.csrfToken(first)));
    assertEquals(
        sessions.csrfToken(first),
        at(T0.plusSeconds(60)).csrfToken(first),
        "the same on every node");
    assertNotEquals(sessions.csrfToken(first), sessions.csrfToken(second));
    assertFalse(sessions.csrfMatches(first, sessions.csrfToken(second)));
    assertFalse(sessions.csrfMatches(first, null));
    assertFalse(sessions.csrfMatches(first, ""));
  }

  @Test
  void aShortSecretIsRefusedAndNoneMeansARandomOne() {
    assertThrows(
        IllegalArgumentException.class, () -> new Sessions("too short", TTL, Clock.systemUTC()));
    String token = new Sessions("", TTL, Clock.systemUTC()).open("olivia");
    assertEquals(
        Optional.empty(),
        new Sessions("", TTL, Clock.systemUTC()).read(token),
        "another node start, another secret");
  }

  private static String b64(String text) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(UTF_8));
  }
}
