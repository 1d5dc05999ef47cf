package org.example.helpdesk.system.browser;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.rabbitmq.client.AMQP;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.example.helpdesk.amqp.BrokerTopology;
import org.example.helpdesk.protocol.AmqpTopology;
import org.example.helpdesk.system.TwoServices;
import org.example.helpdesk.testsupport.FreePorts;
import org.example.helpdesk.testsupport.HttpTestClient;
import org.example.helpdesk.testsupport.NodeExtension;
import org.example.helpdesk.testsupport.TestBroker;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * What the browser tests run against, declared in one line ({@code @RegisterExtension static final
 * BrowserFixture helpdesk = new BrowserFixture();}): a real SMTP server (GreenMail) on a loopback
 * port, both nodes started in this JVM with the customer's mail going to that server (as {@code
 * SMTP_URL} would send it), and the browsers a test opens, closed after each test. Also the few
 * things the tests do beside the pages: report through the JSON API, publish a raw command, read a
 * ticket's journal and the mailbox.
 */
final class BrowserFixture implements NodeExtension, AfterEachCallback {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final GreenMail smtp;
  final TwoServices services;
  final String customerUrl;
  final String consoleUrl;
  private final List<Browser> browsers = new ArrayList<>();

  BrowserFixture() {
    int smtpPort = FreePorts.next();
    smtp = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", "smtp"));
    smtp.start();
    services = TwoServices.mailingTo(smtpPort);
    customerUrl = "http://127.0.0.1:" + services.customerNode.node().httpAddress().getPort();
    consoleUrl = "http://127.0.0.1:" + services.backofficeNode.node().httpAddress().getPort();
  }

  /** A new browser, closed after the test. */
  Browser browser() {
    Browser b = new Browser();
    synchronized (browsers) {
      browsers.add(b);
    }
    return b;
  }

  /** A browser signed in to the console, on the ticket list. */
  Browser signedIn(String name, String password) {
    Browser b = browser();
    b.open(consoleUrl + "/sign-in");
    b.type(By.id("name"), name);
    b.type(By.id("password"), password);
    b.submit(By.id("password"));
    b.waitUntil(ExpectedConditions.urlToBe(consoleUrl + "/console/tickets"));
    return b;
  }

  /** An issue reported through the customer's JSON API, once its ticket is in the backoffice. */
  UUID reported(String email, String content) {
    ObjectNode body = JSON.createObjectNode().put("email", email).put("content", content);
    HttpTestClient.Response reported = services.customer.postJson("/issues", body.toString());
    assertEquals(201, reported.status(), reported.toString());
    UUID id = UUID.fromString(reported.json().path("issueId").asText());
    awaitTicket(id);
    return id;
  }

  /** An internal ticket created through the backoffice's JSON API, once it is in the list. */
  UUID internalTicket(String type, String description) {
    ObjectNode body =
        JSON.createObjectNode().put("ticketType", type).put("description", description);
    HttpTestClient.Response created = services.backoffice.postJson("/tickets", body.toString());
    assertEquals(201, created.status(), created.toString());
    UUID id = UUID.fromString(created.json().path("ticketId").asText());
    awaitTicket(id);
    return id;
  }

  /** Assigns (as the operator, through the JSON API) and waits until the list has it. */
  void assign(UUID ticket, String assignee) {
    HttpTestClient.Response assigned =
        services.backoffice.postJson(
            "/tickets/" + ticket + "/assign",
            JSON.createObjectNode().put("assignee", assignee).toString());
    assertEquals(200, assigned.status(), assigned.toString());
    await()
        .atMost(Browser.WAIT)
        .pollInterval(Duration.ofMillis(100))
        .until(
            () ->
                "assigned"
                    .equals(
                        services
                            .backoffice
                            .get("/tickets/" + ticket)
                            .json()
                            .path("status")
                            .asText()));
  }

  private void awaitTicket(UUID id) {
    await()
        .atMost(Browser.WAIT)
        .pollInterval(Duration.ofMillis(100))
        .until(() -> services.backoffice.get("/tickets/" + id).status() == 200);
  }

  /** The issue as the customer's JSON API shows it. */
  com.fasterxml.jackson.databind.JsonNode issue(String id) {
    HttpTestClient.Response issue = services.customer.get("/issues/" + id);
    assertEquals(200, issue.status(), issue.toString());
    return issue.json();
  }

  /** How many events the ticket's journal holds. */
  long journalLength(Object ticketId) {
    return services.backofficeSql.count(
        "SELECT count(*) FROM event_journal WHERE persistence_id = ?", "Ticket|" + ticketId);
  }

  /** A command straight onto the backoffice's queue, as a faulty sender would publish it. */
  void publish(String type, String messageId, String body) {
    AMQP.BasicProperties properties =
        new AMQP.BasicProperties.Builder()
            .type(type)
            .messageId(messageId)
            .contentType("application/json")
            .deliveryMode(2)
            .build();
    TestBroker.publish(
        BrokerTopology::declare,
        AmqpTopology.COMMANDS_EXCHANGE,
        AmqpTopology.BACKOFFICE_ROUTING_KEY,
        properties,
        body.getBytes(StandardCharsets.UTF_8));
  }

  /** The mails the SMTP server received for {@code to}, oldest first. */
  List<MimeMessage> mailsTo(String to) {
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

  /** Waits until {@code to} has at least {@code count} mails; returns them all. */
  List<MimeMessage> awaitMails(String to, int count) {
    await().atMost(Browser.WAIT).until(() -> mailsTo(to).size() >= count);
    return mailsTo(to);
  }

  /** The issue id at the end of a customer page's address. */
  static String issueIdIn(String url) {
    Matcher m = Pattern.compile("/issues/([0-9a-f-]{36})$").matcher(url);
    assertTrue(m.find(), url);
    return m.group(1);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    synchronized (browsers) {
      for (Browser b : browsers) {
        b.close();
      }
      browsers.clear();
    }
  }

  @Override
  public void close() {
    try {
      afterEach(null);
      services.close();
    } finally {
      smtp.stop();
    }
  }
}
