package org.example.helpdesk.customer.mail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.internet.MimeMessage;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.example.helpdesk.platform.config.SmtpUrl;
import org.example.helpdesk.testsupport.FreePorts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The sender against a real SMTP server (GreenMail) and against peers that refuse or vanish. */
class SmtpMailSenderTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(5);
  private static final Mail MAIL =
      new Mail(
          "<7c0f2a4e-0d2b-4f43-9a35-1f0e2b8f8c11.3@customer-service.helpdesk>",
          "ada@example.org",
          "An agent is working on your issue",
          "Hello,\nan agent is working on your issue 'Printer on fire'.\n");

  @Test
  void aMailReachesTheServerWithItsStableMessageId() throws Exception {
    var greenMail = new GreenMail(new ServerSetup(FreePorts.next(), "127.0.0.1", "smtp"));
    greenMail.start();
    try (var sender = sender("smtp://127.0.0.1:" + greenMail.getSmtp().getPort())) {
      assertInstanceOf(MailOutcome.Sent.class, sender.send(MAIL));
      assertTrue(greenMail.waitForIncomingEmail(5_000, 1));
      MimeMessage received = greenMail.getReceivedMessages()[0];
      assertEquals(MAIL.messageId(), received.getMessageID());
      assertEquals("An agent is working on your issue", received.getSubject());
      assertEquals("Helpdesk <helpdesk@example.org>", received.getFrom()[0].toString());
      assertEquals("ada@example.org", received.getAllRecipients()[0].toString());
    } finally {
      greenMail.stop();
    }
  }

  @Test
  void aServerThatIsDownIsRetriedLater() throws Exception {
    int nobodyListens;
    try (var s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      nobodyListens = s.getLocalPort();
    }
    try (var sender = sender("smtp://127.0.0.1:" + nobodyListens)) {
      assertInstanceOf(MailOutcome.RetryLater.class, sender.send(MAIL));
    }
  }

  @Test
  void aServerThatAcceptsButNeverSpeaksIsRetriedLaterAfterTheTimeout() throws Exception {
    try (var blackHole = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        var sender =
            new SmtpMailSender(
                SmtpUrl.parse("smtp://127.0.0.1:" + blackHole.getLocalPort()).orElseThrow(),
                "helpdesk@example.org",
                Duration.ofMillis(500))) {
      long start = System.nanoTime();
      assertInstanceOf(MailOutcome.RetryLater.class, sender.send(MAIL));
      assertTrue(Duration.ofNanos(System.nanoTime() - start).toSeconds() < 10, "bounded wait");
    }
  }

  @ParameterizedTest(name = "{0} answered {1}: {2}")
  @CsvSource({
    "MAIL, '451 try again later', retry",
    "RCPT, '450 mailbox busy', retry",
    "DATA, '452 insufficient storage', retry",
    "MAIL, '553 sender not allowed', rejected",
    "RCPT, '550 no such user', rejected",
    "DATA, '554 message refused', rejected"
  })
  void aRefusalIsForGoodOnlyWhenItIs5xx(String command, String reply, String expected)
      throws Exception {
    try (var peer = new ScriptedSmtpPeer(command, reply);
        var sender = sender("smtp://127.0.0.1:" + peer.port())) {
      MailOutcome outcome = sender.send(MAIL);
      if (expected.equals("rejected")) {
        var rejected = assertInstanceOf(MailOutcome.Rejected.class, outcome);
        assertEquals(Integer.parseInt(reply.substring(0, 3)), rejected.code());
      } else {
        assertInstanceOf(MailOutcome.RetryLater.class, outcome);
      }
    }
  }

  @Test
  void anAddressNoServerCouldTakeIsRejectedWithoutAConnection() {
    try (var sender = sender("smtp://127.0.0.1:9")) {
      var bad = new Mail(MAIL.messageId(), "not an address", MAIL.subject(), MAIL.text());
      assertInstanceOf(MailOutcome.Rejected.class, sender.send(bad));
    }
  }

  private static SmtpMailSender sender(String url) {
    return new SmtpMailSender(
        SmtpUrl.parse(url).orElseThrow(), "Helpdesk <helpdesk@example.org>", TIMEOUT);
  }
}
