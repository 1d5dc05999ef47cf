package org.example.helpdesk.customer.mail;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.typesafe.config.ConfigFactory;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.UUID;
import java.util.regex.Pattern;
import org.example.helpdesk.customer.CustomerTestNode;
import org.example.helpdesk.customer.issue.Issue.RecordTicketProgress;
import org.example.helpdesk.customer.issue.Issue.TicketStep;
import org.example.helpdesk.platform.web.PageTime;
import org.example.helpdesk.protocol.SupportReply;
import org.example.helpdesk.testsupport.FreePorts;
import org.example.helpdesk.testsupport.TestPostgres;
import org.junit.jupiter.api.Test;

/**
 * The customer's e-mails against a real SMTP server (GreenMail): one mail per notification, none
 * for the customer's own close, the same mail once when a server that was down comes back, and a
 * refusal for good kept where an operator sees it.
 */
class MailerTest {

  private static final Duration WITHIN = Duration.ofSeconds(30);

  private static CustomerTestNode node(int smtpPort) {
    return new CustomerTestNode(
        TestPostgres.newSchemaName("customer"),
        ConfigFactory.parseString(
            "helpdesk.mail { smtp-url = \"smtp://127.0.0.1:"
                + smtpPort
                + "\", from = \"Helpdesk <helpdesk@example.org>\","
                + " retry-min-backoff = 200ms, retry-max-backoff = 1s, timeout = 2s }"));
  }

  @Test
  void anAssignmentIsMailedOnceAndTheCustomersOwnCloseIsNot() throws Exception {
    int port = FreePorts.next();
    GreenMail smtp = new GreenMail(new ServerSetup(port, "127.0.0.1", "smtp"));
    smtp.start();
    try (CustomerTestNode customer = node(port)) {
      UUID closedByCustomer = report(customer, "ada@example.org", "Screen flickers");
      assertEquals(
          200,
          customer.http.post("/issues/" + closedByCustomer + "/close", null, new byte[0]).status());
      UUID assigned = report(customer, "bob@example.org", "Printer on fire");
      step(customer, assigned, 1, TicketStep.PREPARED, null);
      step(customer, assigned, 2, TicketStep.ASSIGNED, null);
      // redelivered: recorded once, mailed once
      step(customer, assigned, 2, TicketStep.ASSIGNED, null);

      await().atMost(WITHIN).until(() -> smtp.getReceivedMessages().length >= 1);
      MimeMessage mail = smtp.getReceivedMessages()[0];
      assertEquals("bob@example.org", mail.getAllRecipients()[0].toString());
      assertEquals("An agent is working on your issue", mail.getSubject());
      assertEquals("<" + assigned + ".4@customer-service.helpdesk>", mail.getMessageID());
      String text = (String) mail.getContent();
      assertTrue(text.contains("Printer on fire"));
      // the report time in the pages' format, in UTC, to the second (not a raw ISO timestamp)
      Instant reportedAt =
          Instant.parse(
              customer.http.get("/issues/" + assigned).json().path("reportedAt").asText());
      assertTrue(text.contains(", reported " + PageTime.text(reportedAt) + ":"), text);
      assertTrue(
          Pattern.compile("reported \\d{1,2} [A-Z][a-z]+ \\d{4}, \\d{2}:\\d{2}:\\d{2} UTC:")
              .matcher(text)
              .find(),
          text);

      // the next notification of the same issue comes after: everything before it was handled
      step(customer, assigned, 3, TicketStep.CANCELLED, null);
      await().atMost(WITHIN).until(() -> smtp.getReceivedMessages().length >= 2);
      assertEquals(2, smtp.getReceivedMessages().length, subjects(smtp));
      assertEquals("Support closed your issue", smtp.getReceivedMessages()[1].getSubject());
      assertEquals(
          "closed-by-support",
          customer.http.get("/issues/" + assigned).json().path("progress").asText());
    } finally {
      smtp.stop();
    }
  }

  @Test
  void aMailWhileTheServerIsDownGoesOutOnceItIsBack() throws Exception {
    int port = FreePorts.next();
    try (CustomerTestNode customer = node(port)) {
      UUID issue = report(customer, "ada@example.org", "Keyboard types backwards");
      step(customer, issue, 2, TicketStep.ANSWERED, new SupportReply("Try turning it around."));
      // nobody listens: the mailer tries, fails, backs off and tries again
      await().atMost(WITHIN).until(() -> metric(customer, "helpdesk_mail_deferred_total") >= 2);

      GreenMail smtp = new GreenMail(new ServerSetup(port, "127.0.0.1", "smtp"));
      smtp.start();
      try {
        await().atMost(WITHIN).until(() -> smtp.getReceivedMessages().length >= 1);
        MimeMessage mail = smtp.getReceivedMessages()[0];
        assertEquals("Support replied to your issue", mail.getSubject());
        assertTrue(((String) mail.getContent()).contains("Try turning it around."));
        await().atMost(WITHIN).until(() -> metric(customer, "helpdesk_mail_sent_total") >= 1);
        assertEquals(1, smtp.getReceivedMessages().length, subjects(smtp));
      } finally {
        smtp.stop();
      }
    }
  }

  @Test
  void aRefusalForGoodIsKeptForTheOperatorAndTheNextMailStillGoes() throws Exception {
    try (ScriptedSmtpPeer refusing = new ScriptedSmtpPeer("RCPT", "550 no such user");
        CustomerTestNode customer = node(refusing.port())) {
      UUID issue = report(customer, "nobody@example.org", "Mail me");
      step(customer, issue, 2, TicketStep.ASSIGNED, null);
      step(customer, issue, 3, TicketStep.ANSWERED, new SupportReply("Here is the fix."));

      await()
          .atMost(WITHIN)
          .until(() -> customer.admin.get("/admin/mail").json().path("refused").size() == 2);
      JsonNode status = customer.admin.get("/admin/mail").json();
      assertTrue(status.path("on").asBoolean());
      assertEquals("smtp://127.0.0.1:" + refusing.port(), status.path("server").asText());
      JsonNode refused = status.path("refused").get(0);
      assertEquals(issue.toString(), refused.path("issueId").asText());
      assertEquals(550, refused.path("code").asInt());
      assertEquals("nobody@example.org", refused.path("recipient").asText());
      assertFalse(refused.path("reason").asText().isBlank());
      assertEquals(401, customer.http.get("/admin/mail").status(), "behind the admin token");
    }
  }

  private static UUID report(CustomerTestNode customer, String email, String content) {
    var response =
        customer.http.postJson(
            "/issues", "{\"email\":\"" + email + "\",\"content\":\"" + content + "\"}");
    assertEquals(201, response.status(), response.toString());
    return UUID.fromString(response.json().path("issueId").asText());
  }

  private static void step(
      CustomerTestNode customer, UUID issue, long sequence, TicketStep step, SupportReply reply) {
    customer
        .node
        .issues()
        .recordTicketProgress(
            issue, new RecordTicketProgress(sequence, step, Instant.now(), reply), null)
        .toCompletableFuture()
        .join();
  }

  private static double metric(CustomerTestNode customer, String name) {
    return Arrays.stream(customer.http.get("/metrics").body().split("\n"))
        .filter(l -> l.startsWith(name + " "))
        .mapToDouble(l -> Double.parseDouble(l.substring(name.length() + 1).trim()))
        .findFirst()
        .orElse(0);
  }

  private static String subjects(GreenMail smtp) {
    return Arrays.stream(smtp.getReceivedMessages())
        .map(
            m -> {
              try {
                return m.getSubject();
              } catch (Exception e) {
                return e.toString();
              }
            })
        .toList()
        .toString();
  }
}
