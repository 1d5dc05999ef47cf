package org.example.helpdesk.system;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.example.helpdesk.testsupport.FreePorts;
import org.example.helpdesk.testsupport.HttpTestClient.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The return flow across both services and a real SMTP server: what an employee does to a
 * customer's ticket reaches the customer's issue within seconds and, where it is news, their
 * mailbox once — also when the mail server was down at the time — and the customer's own close
 * mails nothing.
 */
class CustomerHearsBackTest {

  private static final Duration WITHIN = Duration.ofSeconds(30);
  private static final int SMTP_PORT = FreePorts.next();
  private static GreenMail smtp = startSmtp();

  @RegisterExtension static final TwoServices services = TwoServices.mailingTo(SMTP_PORT);

  private static GreenMail startSmtp() {
    GreenMail server = new GreenMail(new ServerSetup(SMTP_PORT, "127.0.0.1", "smtp"));
    server.start();
    return server;
  }

  @AfterAll
  static void stopSmtp() {
    smtp.stop();
  }

  @Test
  void anEmployeesStepsReachTheCustomerAndTheirMailboxOnce() throws Exception {
    String id = report("ada@example.org", "Printer on fire");
    await().atMost(WITHIN).until(() -> progress(id).equals("received"));

    Response assigned =
        services.backoffice.postJson("/tickets/" + id + "/assign", "{\"assignee\":\"adam\"}");
    assertEquals(200, assigned.status(), assigned.toString());
    await().atMost(WITHIN).until(() -> progress(id).equals("assigned"));
    List<MimeMessage> first = awaitMails("ada@example.org", 1);
    assertEquals("An agent is working on your issue", first.get(0).getSubject());
    assertTrue(((String) first.get(0).getContent()).contains("Printer on fire"));

    // the mail server is down when support replies: the mail goes out once it is back
    smtp.stop();
    Response answered =
        services.backoffice.postJson(
            "/tickets/" + id + "/answer", "{\"reply\":\"We replaced the toner.\"}");
    assertTrue(answered.status() / 100 == 2, answered.toString());
    await()
        .atMost(WITHIN)
        .until(
            () -> services.customer.get("/issues/" + id).body().contains("We replaced the toner."));
    smtp = startSmtp();
    List<MimeMessage> reply = awaitMails("ada@example.org", 1);
    assertEquals("Support replied to your issue", reply.get(0).getSubject());

    Response cancelled = services.backoffice.post("/tickets/" + id + "/cancel", null, new byte[0]);
    assertEquals(200, cancelled.status(), cancelled.toString());
    await().atMost(WITHIN).until(() -> progress(id).equals("closed-by-support"));
    assertEquals("closed", services.customer.get("/issues/" + id).json().path("status").asText());
    List<MimeMessage> closed = awaitMails("ada@example.org", 2);
    assertEquals("Support closed your issue", closed.get(1).getSubject());
    assertEquals(
        2,
        mailsTo("ada@example.org").size(),
        "one mail for the reply, one for the close, since the server came back");
  }

  @Test
  void theCustomersOwnCloseMailsNothing() {
    String id = report("bob@example.org", "Mouse squeaks");
    await().atMost(WITHIN).until(() -> progress(id).equals("received"));
    assertEquals(
        200, services.customer.post("/issues/" + id + "/close", null, new byte[0]).status());
    await()
        .atMost(WITHIN)
        .until(
            () ->
                "cancelled"
                    .equals(
                        services.backoffice.get("/tickets/" + id).json().path("status").asText()));
    // a later issue's mail arrives: the close, handled before it, would have been mailed by then
    String later = report("bob@example.org", "Mouse still squeaks");
    await().atMost(WITHIN).until(() -> progress(later).equals("received"));
    assertEquals(
        200,
        services
            .backoffice
            .postJson("/tickets/" + later + "/assign", "{\"assignee\":\"adam\"}")
            .status());
    awaitMails("bob@example.org", 1);
    assertEquals("received", progress(id));
    assertEquals(1, mailsTo("bob@example.org").size());
  }

  private static String report(String email, String content) {
    Response r =
        services.customer.postJson(
            "/issues", "{\"email\":\"" + email + "\",\"content\":\"" + content + "\"}");
    assertEquals(201, r.status(), r.toString());
    return r.json().path("issueId").asText();
  }

  private static String progress(String id) {
    return services.customer.get("/issues/" + id).json().path("progress").asText();
  }

  private static List<MimeMessage> awaitMails(String to, int count) {
    await().atMost(WITHIN).until(() -> mailsTo(to).size() >= count);
    return mailsTo(to);
  }

  private static List<MimeMessage> mailsTo(String to) {
    return Arrays.stream(smtp.getReceivedMessages())
        .filter(
            m -> {
              try {
                return m.getAllRecipients()[0].toString().equals(to);
              } catch (Exception e) {
                return false;
              }
            })
        .toList();
  }
}
