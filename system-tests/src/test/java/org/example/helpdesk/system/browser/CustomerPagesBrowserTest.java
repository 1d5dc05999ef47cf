package org.example.helpdesk.system.browser;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;
import org.example.helpdesk.testsupport.TestEmployees;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The customer's pages in a real browser, with the console beside them: the seed scenario (report,
 * the console's list follows live, an assignment reaches the customer's open page without reload,
 * the customer closes and the console follows), support's reply on the customer's open page and in
 * their mailbox once (its time on both pages alike, for a viewer in Berlin), support's close on the
 * open page, a report of 10,000 Chinese characters, and the form's message for an invalid e-mail
 * address. A few other customers' issues are reported first, so that the console's list in the
 * screenshots looks like a morning at a helpdesk.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CustomerPagesBrowserTest {

  @RegisterExtension static final BrowserFixture helpdesk = new BrowserFixture();

  /** A viewer in Berlin, and how the pages write a moment for them. */
  private static final DateTimeFormatter BERLIN =
      DateTimeFormatter.ofPattern("d MMMM uuuu, HH:mm:ss", Locale.ENGLISH)
          .withZone(ZoneId.of("Europe/Berlin"));

  private static final Pattern IN_BERLIN =
      Pattern.compile("\\d{1,2} [A-Z][a-z]+ \\d{4}, \\d\\d:\\d\\d:\\d\\d CES?T");

  private static final By CLOSE_ISSUE =
      By.xpath("//button[contains(normalize-space(.), 'Close issue')]");

  @BeforeAll
  static void otherCustomersIssuesOfTheMorning() {
    UUID outlook =
        helpdesk.reported(
            "linus.berg@example.com",
            "Outlook asks for my password again every few minutes since this morning.");
    helpdesk.assign(outlook, TestEmployees.AGENT);
    helpdesk.internalTicket(
        "facilities", "The coffee machine on floor 2 shows error E17 and gives no water.");
    UUID portal =
        helpdesk.reported(
            "sofia.rossi@example.com",
            "I cannot sign in to the expense portal since I changed my password: it says my"
                + " account is locked.");
    helpdesk.assign(portal, TestEmployees.OPERATOR);
    helpdesk.reported(
        "tom.nguyen@example.com",
        "The second monitor at desk 4.12 stays black since the docking station update.");
  }

  @Test
  @Order(1)
  void theSeedScenarioThroughThePagesWithTheConsoleFollowingLive() {
    Browser console = helpdesk.signedIn(TestEmployees.OPERATOR, TestEmployees.OPERATOR_PASSWORD);
    console.open(helpdesk.consoleUrl + "/console/tickets");
    console.waitFor(By.id("ticket-rows"));
    console.awaitLive();
    console.markPage();

    // the customer reports an issue on the customer page
    Browser customer = helpdesk.browser();
    customer.open(helpdesk.customerUrl + "/");
    String content = "The printer on floor 3 is on fire";
    customer.type(By.name("email"), "johny@example.com");
    customer.type(By.name("content"), content);
    customer.screenshot("customer-report");
    customer.submit(By.name("content"));
    customer.waitUntil(ExpectedConditions.urlMatches("/issues/[0-9a-f-]{36}$"));
    String id = BrowserFixture.issueIdIn(customer.driver.getCurrentUrl());
    customer.waitForText(By.id("status"), "open");
    assertTrue(customer.text().contains(content), customer.text());
    customer.screenshot("customer-issue");

    // the ticket appears on the console's list without reloading
    console.waitFor(By.id("ticket-" + id));
    console.waitForText(By.cssSelector("#ticket-" + id + " .status"), "awaiting");
    assertTrue(
        console.textOf(By.id("ticket-" + id)).contains(content),
        console.textOf(By.id("ticket-" + id)));
    console.assertNotReloaded();
    console.screenshot("console-tickets");

    // the customer's page hears that support received it, without a reload
    customer.markPage();
    customer.waitForText(By.id("progress"), "Received by our support team");

    // the operator opens it and assigns it
    console.click(By.cssSelector("#ticket-" + id + " a"));
    console.waitUntil(ExpectedConditions.urlToBe(helpdesk.consoleUrl + "/console/tickets/" + id));
    console.waitForText(By.id("ticket-status"), "awaiting");
    console.type(By.id("assignee"), TestEmployees.AGENT);
    console.submit(By.id("assignee"));
    await()
        .atMost(Browser.WAIT)
        .pollInterval(Duration.ofMillis(100))
        .untilAsserted(
            () ->
                assertEquals(
                    2L, helpdesk.journalLength(id), "TicketWasPrepared and TicketWasAssigned"));
    console.waitForText(By.id("ticket-assignee"), TestEmployees.AGENT);
    assertTrue(
        console.textOf(By.id("ticket-assignee")).contains(TestEmployees.OPERATOR),
        "who assigned it is shown: " + console.textOf(By.id("ticket-assignee")));
    assertEquals("assigned", console.textOf(By.id("ticket-status")).toLowerCase(Locale.ROOT));
    console.screenshot("console-ticket");
    // and the customer's open page shows the agent at work, still without a reload
    customer.waitForText(By.id("progress"), "An agent is working on it");
    customer.assertNotReloaded();
    customer.screenshot("customer-issue-assigned");
    console.awaitLive();
    console.markPage();

    // the customer closes the issue; the ticket page shows it cancelled without reloading
    customer.click(CLOSE_ISSUE);
    customer.waitForText(By.id("status"), "closed");
    console.waitForText(By.id("ticket-status"), "cancelled");
    console.assertNotReloaded();
    console.screenshot("console-ticket-cancelled");
    // the progress line no longer says an agent works on it, also once the page's script has
    // polled the issue (its second poll starts after the first one's rendering)
    customer.waitForText(By.id("progress"), "Closed by you");
    customer.markPage();
    customer.waitUntil(
        d ->
            ((Number)
                        customer
                            .js()
                            .executeScript(
                                "return performance.getEntriesByType('resource').filter(e =>"
                                    + " e.initiatorType === 'fetch' && e.name.endsWith('/issues/'"
                                    + " + arguments[0])).length;",
                                id))
                    .intValue()
                >= 2);
    assertEquals("Closed by you", customer.textOf(By.id("progress")));
    customer.assertNotReloaded();
    customer.screenshot("customer-issue-closed");

    // closing twice is harmless: the page from before closing, if the browser shows it again,
    // closes again
    customer.driver.navigate().back();
    if (!customer.driver.findElements(CLOSE_ISSUE).isEmpty()) {
      customer.click(CLOSE_ISSUE);
      customer.waitForText(By.id("status"), "closed");
    }

    // and the list says so too
    console.open(helpdesk.consoleUrl + "/console/tickets");
    console.waitForText(By.cssSelector("#ticket-" + id + " .status"), "cancelled");
    assertEquals(3L, helpdesk.journalLength(id), "prepared, assigned, cancelled");
  }

  @Test
  @Order(2)
  void supportsReplyReachesTheOpenIssuePageAndTheMailboxOnce() throws Exception {
    String email = "grace.hopper@example.org";
    Browser customer = helpdesk.browser();
    customer.inTimeZone(BERLIN.getZone().getId());
    customer.open(helpdesk.customerUrl + "/");
    customer.type(By.name("email"), email);
    customer.type(
        By.name("content"),
        "The VPN drops every hour since Monday. Each time I have to sign in again and my remote"
            + " desktop session is gone.");
    customer.submit(By.name("content"));
    customer.waitUntil(ExpectedConditions.urlMatches("/issues/[0-9a-f-]{36}$"));
    String id = BrowserFixture.issueIdIn(customer.driver.getCurrentUrl());
    customer.waitForText(By.id("progress"), "Received by our support team");
    customer.markPage();

    // an agent answers on the console's ticket page
    Browser console = helpdesk.signedIn(TestEmployees.AGENT, TestEmployees.AGENT_PASSWORD);
    console.inTimeZone(BERLIN.getZone().getId());
    console.open(helpdesk.consoleUrl + "/console/tickets/" + id);
    console.waitForText(By.id("ticket-status"), "awaiting");
    String reply =
        "Thanks, Grace. We rolled back Monday's update of the VPN gateway. Please tell us if the"
            + " connection still drops.";
    console.type(By.id("reply"), reply);
    console.submit(By.id("reply"));
    console.waitForText(
        By.id("ticket-timeline"), "Answered the customer by " + TestEmployees.AGENT);
    assertTrue(console.textOf(By.id("ticket-timeline")).contains(reply));

    // the customer's open page shows the reply in its timeline, without a reload
    customer.waitForText(By.id("timeline"), "Support replied");
    assertTrue(customer.textOf(By.id("timeline")).contains(reply), customer.text());
    customer.assertNotReloaded();

    // both pages show the reply's time alike: the same moment, in the viewer's zone (Berlin), in
    // the one format (the console's from its server's page, the customer's from its polling script)
    String[] onConsole =
        console.timeOf(By.cssSelector("#ticket-timeline li.timeline-answered time"), IN_BERLIN);
    String[] onCustomer =
        customer.timeOf(
            By.xpath("//ol[@id='timeline']/li[contains(., 'Support replied')]/time"), IN_BERLIN);
    assertEquals(List.of(onConsole), List.of(onCustomer));
    Instant answered = Instant.parse(onConsole[0]);
    assertEquals(answered.truncatedTo(ChronoUnit.SECONDS), answered, "to the second");
    assertTrue(onConsole[1].startsWith(BERLIN.format(answered) + " CE"), onConsole[1]);

    // and one mail, naming the issue, carries it
    MimeMessage mail = helpdesk.awaitMails(email, 1).get(0);
    assertEquals("Support replied to your issue", mail.getSubject());
    String text = (String) mail.getContent();
    assertTrue(text.contains(reply), text);
    assertTrue(text.contains(id), text);
    assertTrue(text.contains("The VPN drops every hour since Monday"), text);

    // the agent then takes it on: that mail, recorded after the reply's, arrives second, so by then
    // a second copy of the reply would have arrived too
    console.type(By.id("assignee"), TestEmployees.AGENT);
    console.submit(By.id("assignee"));
    console.waitForText(By.id("ticket-timeline"), "Assigned to " + TestEmployees.AGENT);
    customer.waitForText(By.id("progress"), "An agent is working on it");
    customer.assertNotReloaded();
    customer.screenshot("customer-issue-reply");
    console.screenshot("console-ticket-answered");
    List<MimeMessage> mails = helpdesk.awaitMails(email, 2);
    assertEquals("An agent is working on your issue", mails.get(1).getSubject());
    assertEquals(2, mails.size(), "one mail for the reply, one for the assignment");
  }

  @Test
  @Order(3)
  void anEmployeesCancelClosesTheCustomersOpenPageWithoutReload() throws Exception {
    String email = "ada.lovelace@example.org";
    UUID id =
        helpdesk.reported(
            email,
            "Invoice 2026-118 shows the wrong VAT rate: 19 % instead of 7 % for the books we"
                + " ordered.");
    Browser customer = helpdesk.browser();
    customer.open(helpdesk.customerUrl + "/issues/" + id);
    customer.waitForText(By.id("progress"), "Received by our support team");
    customer.waitFor(CLOSE_ISSUE);
    customer.markPage();

    Browser console = helpdesk.signedIn(TestEmployees.OPERATOR, TestEmployees.OPERATOR_PASSWORD);
    console.open(helpdesk.consoleUrl + "/console/tickets/" + id);
    console.waitForText(By.id("ticket-status"), "awaiting");
    console.click(By.cssSelector("form[action$='/cancel'] input[name='confirm']"));
    console.clickButton("Cancel ticket");
    // the page after the cancel shows it done at once (not the read model's stale "awaiting")
    console.waitUntil(ExpectedConditions.urlToBe(helpdesk.consoleUrl + "/console/tickets/" + id));
    assertEquals(
        "cancelled", console.textOf(By.id("ticket-status")).toLowerCase(Locale.ROOT), "at once");
    assertTrue(console.textOf(By.id("ticket-cancelled-by")).contains(TestEmployees.OPERATOR));

    // the customer's open page says support closed it and offers no close any more
    customer.waitForText(By.id("progress"), "Closed by our support team");
    assertEquals("closed", customer.textOf(By.id("status")).toLowerCase(Locale.ROOT));
    assertTrue(customer.driver.findElements(CLOSE_ISSUE).isEmpty(), "no Close issue button");
    assertTrue(customer.driver.findElements(By.id("close-form")).isEmpty());
    assertEquals("This issue is closed.", customer.textOf(By.id("closed-note")));
    assertTrue(customer.textOf(By.id("timeline")).contains("Our support team closed it"));
    customer.assertNotReloaded();
    customer.screenshot("customer-issue-closed-by-support");

    MimeMessage mail = helpdesk.awaitMails(email, 1).get(0);
    assertEquals("Support closed your issue", mail.getSubject());
    assertTrue(((String) mail.getContent()).contains(id.toString()));
  }

  @Test
  @Order(4)
  void aReportOfTenThousandChineseCharactersIsAcceptedWhole() {
    // (each takes 9 bytes percent-encoded: 90,000 bytes of form, over the JSON body limit)
    String content = "三楼的打印机着火了。".repeat(1_000);
    assertEquals(10_000, content.length());
    Browser customer = helpdesk.browser();
    customer.open(helpdesk.customerUrl + "/");
    customer.type(By.name("email"), "li.wei@example.cn");
    // most of it pasted (10,000 key presses would take minutes), the rest typed
    String pasted = content.substring(0, 9_990);
    customer
        .js()
        .executeScript(
            "arguments[0].value = arguments[1];"
                + " arguments[0].dispatchEvent(new Event('input', {bubbles: true}));",
            customer.waitFor(By.name("content")),
            pasted);
    customer.driver.findElement(By.name("content")).sendKeys(content.substring(9_990));
    assertEquals(content, customer.value(By.name("content")), "the form holds all of it");
    customer.waitForText(By.id("content-count"), "10,000 of 10,000 used");
    customer.submit(By.name("content"));

    customer.waitUntil(ExpectedConditions.urlMatches("/issues/[0-9a-f-]{36}$"));
    assertEquals(200, customer.status());
    String id = BrowserFixture.issueIdIn(customer.driver.getCurrentUrl());
    assertEquals(
        content,
        customer
            .js()
            .executeScript("return document.querySelector('.issue-content').textContent.trim();"),
        "the issue page shows all of it");
    String stored = helpdesk.issue(id).path("content").asText();
    assertEquals(10_000, stored.length());
    assertEquals(content, stored);
  }

  @Test
  @Order(5)
  void theCustomerFormShowsTheServersMessageForAnInvalidEmail() {
    Browser customer = helpdesk.browser();
    customer.open(helpdesk.customerUrl + "/");
    // the browser's own check passes "johny@example" (no dot needed); the server's does not
    customer.type(By.name("email"), "johny@example");
    customer.type(By.name("content"), "The scanner on floor 3 sends empty PDFs.");
    customer.submit(By.name("content"));
    customer.waitForText(By.id("form-error"), "E-mail address must be a valid e-mail address");
    assertEquals(400, customer.status());
    assertFalse(
        customer.driver.getCurrentUrl().matches(".*/issues/[0-9a-f-]{36}$"),
        customer.driver.getCurrentUrl());
    assertEquals(
        "The scanner on floor 3 sends empty PDFs.",
        customer.value(By.name("content")),
        "what was typed is kept");
    customer.screenshot("customer-report-invalid");
  }
}
