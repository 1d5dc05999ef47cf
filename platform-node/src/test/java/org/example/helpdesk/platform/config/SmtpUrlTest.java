package org.example.helpdesk.platform.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class SmtpUrlTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "smtp://mail.example.org:2525, false, mail.example.org, 2525, , ",
    "smtp://mail.example.org, false, mail.example.org, 25, , ",
    "smtps://mail.example.org, true, mail.example.org, 465, , ",
    "SMTPS://ada:s3cret@mail.example.org:587, true, mail.example.org, 587, ada, s3cret",
    "smtp://ada%40example.org:p%40ss%3Aw%2Bd@127.0.0.1:1025, false, 127.0.0.1, 1025, ada@example.org, p@ss:w+d",
    "smtp://relay@mail.example.org:25, false, mail.example.org, 25, relay, "
  })
  void aUrlNamesServerAndCredentials(
      String value, boolean tls, String host, int port, String user, String password) {
    assertEquals(Optional.of(new SmtpUrl(tls, host, port, user, password)), SmtpUrl.parse(value));
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {"  "})
  void noUrlMeansNoMailer(String value) {
    assertFalse(SmtpUrl.parse(value).isPresent());
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "http://mail.example.org",
        "mail.example.org:25",
        "smtp://",
        "smtp://:pw@mail.example.org",
        "smtp://mail.example.org:70000",
        "smtp://mail.example.org/inbox",
        "smtp://mail.example.org?tls=1",
        "smtp://ada:p%zzss@mail.example.org",
        "smtp:// spaces .org"
      })
  void aBadUrlIsRefusedWithAReason(String value) {
    var e = assertThrows(IllegalArgumentException.class, () -> SmtpUrl.parse(value));
    assertTrue(e.getMessage().startsWith("SMTP_URL"), e.getMessage());
  }

  @Test
  void thePasswordNeverShowsInTextOrErrors() {
    var url = SmtpUrl.parse("smtps://ada:hunter2@mail.example.org:465").orElseThrow();
    assertEquals("smtps://ada:***@mail.example.org:465", url.toString());
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () -> SmtpUrl.parse("smtp://ada:hunter2@mail.example.org:99999"));
    assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
  }
}
