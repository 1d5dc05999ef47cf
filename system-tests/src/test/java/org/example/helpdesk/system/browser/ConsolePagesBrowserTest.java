package org.example.helpdesk.system.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.example.helpdesk.testsupport.TestEmployees;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The employees' console in a real browser: sign-in failures, an agent kept off the dead letters, a
 * tampered CSRF token refused, and a new internal ticket whose page shows it at once.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsolePagesBrowserTest {

  @RegisterExtension static final BrowserFixture helpdesk = new BrowserFixture();

  @Test
  @Order(1)
  void aWrongPasswordShowsTheErrorAndOpensNoSession() {
    Browser b = helpdesk.browser();
    b.open(helpdesk.consoleUrl + "/console/tickets");
    b.waitUntil(ExpectedConditions.urlToBe(helpdesk.consoleUrl + "/sign-in"));
    b.waitFor(By.id("name"));
    b.screenshot("console-sign-in");

    b.type(By.id("name"), TestEmployees.AGENT);
    b.type(By.id("password"), "not-the-password");
    b.submit(By.id("password"));
    b.waitForText(By.id("sign-in-error"), "Wrong name or password.");
    assertEquals(401, b.status());
    assertEquals(TestEmployees.AGENT, b.value(By.id("name")), "the name stays filled in");
    assertEquals("", b.value(By.id("password")), "the password does not");
    b.screenshot("console-sign-in-failed");

    // a name nobody has gets the same answer: the page does not tell which names exist
    WebElement firstError = b.driver.findElement(By.id("sign-in-error"));
    b.type(By.id("name"), "nobody");
    b.type(By.id("password"), TestEmployees.AGENT_PASSWORD);
    b.submit(By.id("password"));
    b.waitUntil(ExpectedConditions.stalenessOf(firstError));
    assertEquals("nobody", b.value(By.id("name")));
    b.waitForText(By.id("sign-in-error"), "Wrong name or password.");
    assertEquals(401, b.status());

    b.open(helpdesk.consoleUrl + "/console/tickets");
    b.waitUntil(ExpectedConditions.urlToBe(helpdesk.consoleUrl + "/sign-in"));
    assertTrue(b.driver.findElements(By.id("ticket-rows")).isEmpty());
  }

  @Test
  @Order(2)
  void anAgentDoesNotSeeDeadLettersAndCannotOpenThem() {
    Browser agent = helpdesk.signedIn(TestEmployees.AGENT, TestEmployees.AGENT_PASSWORD);
    agent.open(helpdesk.consoleUrl + "/console/tickets");
    agent.waitFor(By.id("ticket-rows"));
    assertTrue(
        agent.textOf(By.tagName("nav")).contains(TestEmployees.AGENT + " (agent)"),
        agent.textOf(By.tagName("nav")));
    assertTrue(
        agent.driver.findElements(By.linkText("Dead letters")).isEmpty(),
        "no dead letters link for an agent");
    assertTrue(
        agent.driver.findElements(By.cssSelector("a[href^='/console/dead-letters']")).isEmpty());

    agent.open(helpdesk.consoleUrl + "/console/dead-letters");
    agent.waitForText(By.tagName("h1"), "Not allowed");
    assertEquals(403, agent.status());
    assertTrue(agent.text().contains("operator"), agent.text());
    assertTrue(agent.driver.findElements(By.tagName("table")).isEmpty(), "no dead letters shown");
    agent.screenshot("console-not-allowed");

    // and the operator does see the link
    Browser operator = helpdesk.signedIn(TestEmployees.OPERATOR, TestEmployees.OPERATOR_PASSWORD);
    operator.open(helpdesk.consoleUrl + "/console/tickets");
    operator.waitFor(By.linkText("Dead letters"));

    // signing out ends the agent's session
    agent.open(helpdesk.consoleUrl + "/console/tickets");
    agent.clickButton("Sign out");
    agent.waitUntil(ExpectedConditions.urlToBe(helpdesk.consoleUrl + "/sign-in"));
    agent.open(helpdesk.consoleUrl + "/console/tickets");
    agent.waitUntil(ExpectedConditions.urlToBe(helpdesk.consoleUrl + "/sign-in"));
  }

  @Test
  @Order(3)
  void aFormWithAnAlteredCsrfTokenIsRejectedAndChangesNothing() {
    UUID id =
        helpdesk.reported(
            "noah.fischer@example.com", "The projector in meeting room B shows no picture.");
    Browser console = helpdesk.signedIn(TestEmployees.OPERATOR, TestEmployees.OPERATOR_PASSWORD);
    console.open(helpdesk.consoleUrl + "/console/tickets/" + id);
    console.waitForText(By.id("ticket-status"), "awaiting");

    WebElement assignee = console.waitFor(By.id("assignee"));
    WebElement csrf = assignee.findElement(By.xpath("./ancestor::form//input[@name='csrf']"));
    console.js().executeScript("arguments[0].value = 'forged-' + arguments[0].value;", csrf);
    console.type(By.id("assignee"), "mallory");
    console.submit(By.id("assignee"));
    console.waitForText(By.tagName("h1"), "Form expired");
    assertEquals(403, console.status());
    assertTrue(console.text().contains("CSRF"), console.text());
    console.screenshot("console-csrf-rejected");

    assertEquals(1L, helpdesk.journalLength(id), "only TicketWasPrepared");
    console.open(helpdesk.consoleUrl + "/console/tickets/" + id);
    console.waitForText(By.id("ticket-status"), "awaiting");
    assertFalse(console.textOf(By.id("ticket-assignee")).contains("mallory"));

    // the cancel form too
    console.click(By.cssSelector("input[name='confirm']"));
    WebElement cancelCsrf =
        console.driver.findElement(
            By.xpath("//form[contains(@action, '/cancel')]//input[@name='csrf']"));
    console.js().executeScript("arguments[0].value = '';", cancelCsrf);
    console.clickButton("Cancel ticket");
    console.waitForText(By.tagName("h1"), "Form expired");
    assertEquals(403, console.status());
    assertEquals(1L, helpdesk.journalLength(id), "not cancelled");
  }

  /** The issue saw "No such ticket" (not in the read model yet) 5 times out of 5: try 3. */
  @Test
  @Order(4)
  void aNewInternalTicketsPageShowsItAtOnce() {
    Browser console = helpdesk.signedIn(TestEmployees.AGENT, TestEmployees.AGENT_PASSWORD);
    List<List<String>> tickets =
        List.of(
            List.of(
                "facilities",
                "The badge reader at the side entrance rejects every badge since this morning's"
                    + " power cut."),
            List.of(
                "onboarding",
                "Priya Shah starts in sales on 4 January: laptop, badge and VPN access needed."),
            List.of("facilities", "The air conditioning in server room 0.07 beeps every minute."));
    for (List<String> t : tickets) {
      console.open(helpdesk.consoleUrl + "/console/tickets");
      console.type(By.id("ticketType"), t.get(0));
      console.type(By.id("description"), t.get(1));
      console.submit(By.id("description"));
      console.waitUntil(
          ExpectedConditions.urlMatches(helpdesk.consoleUrl + "/console/tickets/[0-9a-f-]{36}$"));
      console.waitUntil(
          d -> "complete".equals(console.js().executeScript("return document.readyState;")));

      // the page the create led to, as the server sent it: the ticket, in the console's layout
      assertEquals(200, console.status(), console.text());
      String page = console.text();
      assertFalse(page.contains("No such ticket"), page);
      assertFalse(page.contains("not in the read model"), page);
      assertEquals("awaiting", console.textOf(By.id("ticket-status")).toLowerCase(Locale.ROOT));
      assertTrue(console.textOf(By.id("ticket")).contains(t.get(1)), page);
      assertTrue(console.textOf(By.id("ticket")).contains(t.get(0)), page);
      String nav = console.textOf(By.cssSelector("nav[aria-label='Console']"));
      assertTrue(nav.contains("Tickets") && nav.contains("Sign out"), nav);
      assertTrue(console.textOf(By.id("ticket-timeline")).contains("Created in the backoffice"));
      String id = console.driver.getCurrentUrl().replaceFirst(".*/", "");
      assertEquals(1L, helpdesk.journalLength(id), "one ticket, prepared once");
    }
    console.screenshot("console-ticket-created");
  }
}
