package org.example.helpdesk.backoffice.console;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.example.helpdesk.backoffice.BackofficeTestNode;
import org.example.helpdesk.backoffice.Browser;
import org.example.helpdesk.backoffice.Browser.Page;
import org.example.helpdesk.platform.web.PageTime;
import org.example.helpdesk.protocol.CancelTicket;
import org.example.helpdesk.protocol.Description;
import org.example.helpdesk.protocol.PrepareTicket;
import org.example.helpdesk.protocol.TicketType;
import org.example.helpdesk.testsupport.TestEmployees;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Pages that show what was just done and read at a glance (issue 21): the page after an action
 * shows its result at once, a state offers only the actions it allows (also after a live reload),
 * one date format, the assignee from the employees, error pages in the layout, a dead letter's
 * whole body.
 */
class ConsolePagesTest {

  @RegisterExtension static final BackofficeTestNode node = new BackofficeTestNode();
  private static Browser operator;
  private static Browser agent;

  @BeforeAll
  static void start() {
    operator = node.browser().signIn(TestEmployees.OPERATOR, TestEmployees.OPERATOR_PASSWORD);
    agent = node.browser().signIn(TestEmployees.AGENT, TestEmployees.AGENT_PASSWORD);
  }

  @Test
  void aNewInternalTicketsPageShowsTheTicketAtOnce() {
    for (int i = 0; i < 5; i++) {
      String csrf = agent.get("/console/tickets").csrf();
      Page created =
          agent.postForm(
              "/console/tickets",
              Map.of("csrf", csrf, "ticketType", "internal", "description", "printer jammed " + i));
      assertEquals(303, created.status(), created::toString);

      // no waiting for the read model: the page right after is the ticket's
      Page page = agent.get(created.header("Location"));
      assertEquals(200, page.status(), page::toString);
      assertTrue(page.body().contains("printer jammed " + i), page::toString);
      assertTrue(page.body().contains("id=\"ticket-status\">awaiting"), page::toString);
      assertTrue(page.body().contains("Sign out"), "in the console's layout");
    }
  }

  @Test
  void theChangeAnEmployeeMadeIsOnTheNextPageAndACancelledTicketOffersNoActions() {
    String id = createTicket("to be assigned, then cancelled");
    String path = "/console/tickets/" + id;
    String csrf = operator.get(path).csrf();
    assertFalse(
        operator.get(path + "/details").body().contains("hx-swap-oob"),
        "an open ticket keeps its forms on a live reload");

    operator.postForm(path + "/assign", Map.of("csrf", csrf, "assignee", TestEmployees.AGENT));
    Page assigned = operator.get(path);
    assertTrue(assigned.body().contains("id=\"ticket-status\">assigned"), assigned::toString);
    assertTrue(assigned.body().contains("action=\"" + path + "/cancel\""), assigned::toString);

    Page cancel = operator.postForm(path + "/cancel", Map.of("csrf", csrf, "confirm", "yes"));
    assertEquals(303, cancel.status(), cancel::toString);
    Page cancelled = operator.get(path);
    assertTrue(cancelled.body().contains("id=\"ticket-status\">cancelled"), cancelled::toString);
    assertFalse(cancelled.body().contains("action=\"" + path + "/assign\""), cancelled::toString);
    assertFalse(cancelled.body().contains("action=\"" + path + "/cancel\""), cancelled::toString);

    // the live reload (htmx, on the change's event) of a page opened before the cancel: its
    // fragment replaces the forms with nothing
    Page details = operator.get(path + "/details");
    assertTrue(details.body().contains("id=\"ticket-status\">cancelled"), details::toString);
    assertTrue(
        details.body().contains("<div id=\"ticket-actions\" hx-swap-oob=\"true\"></div>"),
        details::toString);
  }

  @Test
  void theAssigneeIsChosenFromTheEmployeesWithoutAPrefill() {
    Page page = agent.get("/console/tickets/" + createTicket("whose is it"));
    assertTrue(page.body().contains("list=\"employee-names\""), page::toString);
    assertTrue(
        page.body().contains("<option value=\"" + TestEmployees.OPERATOR + "\">"), page::toString);
    assertTrue(
        page.body().contains("<option value=\"" + TestEmployees.AGENT + "\">"), page::toString);
    Matcher input = Pattern.compile("<input id=\"assignee\"[^>]*>").matcher(page.body());
    assertTrue(input.find(), page::toString);
    assertFalse(input.group().contains("value="), input.group());
    assertTrue(page.body().contains("class=\"destructive\">Cancel ticket"), "destructive looks it");
  }

  @Test
  void timesAreToTheSecondInOneFormatAndStatusesAreBadges() {
    String id = createTicket("when was it");
    String ticket = "/console/tickets/" + id;
    // the list, the ticket's details and its history (a live reload's fragments too): every time
    // whole seconds for the shared script (time.js), the same in UTC as text
    for (String path : new String[] {"/console/tickets", ticket, ticket + "/details"}) {
      String body = agent.get(path).body();
      assertTrue(body.contains("class=\"status badge status-awaiting\""), path);
      assertTimes(body, path.equals(ticket) ? 3 : 1);
      if (!path.endsWith("/details")) {
        assertTrue(body.contains("<script src=\"/assets/app/time.js\" defer></script>"), path);
      }
    }
    String history = agent.get(ticket + "/history").body();
    assertTimes(history, 1);
    assertTrue(history.contains("Created in the backoffice"), history);
    assertEquals(200, node.browser().get("/assets/app/console.css").status());
    assertTrue(node.browser().get("/assets/app/time.js").body().contains("formatToParts"));
  }

  /** At least {@code least} times in {@code html}, each in the one format, and no other. */
  private static void assertTimes(String html, int least) {
    Matcher time = Pattern.compile("<time datetime=\"([^\"]+)\">([^<]+)</time>").matcher(html);
    int found = 0;
    while (time.find()) {
      found++;
      Instant at = Instant.parse(time.group(1));
      assertEquals(at.truncatedTo(ChronoUnit.SECONDS).toString(), time.group(1), "whole seconds");
      assertEquals(PageTime.text(at), time.group(2));
      assertTrue(
          time.group(2).matches("\\d{1,2} [A-Z][a-z]+ \\d{4}, \\d\\d:\\d\\d:\\d\\d UTC"),
          time.group(2));
    }
    assertTrue(found >= least, html);
    assertEquals(found, html.split("<time", -1).length - 1, "every <time> has a datetime: " + html);
  }

  @Test
  void theRefusalPagesKeepTheHeaderAndSignOut() {
    Page forbidden = agent.get("/console/dead-letters");
    assertEquals(403, forbidden.status());
    Page expired =
        agent.postForm(
            "/console/tickets/" + createTicket("forged") + "/cancel",
            Map.of("csrf", "forged", "confirm", "yes"));
    assertEquals(403, expired.status());
    Page missing = agent.get("/console/tickets/" + UUID.randomUUID());
    assertEquals(404, missing.status());
    for (Page p : new Page[] {forbidden, expired, missing}) {
      assertTrue(p.body().contains("action=\"/sign-out\""), p::toString);
      assertTrue(p.body().contains("href=\"/console/tickets\""), p::toString);
    }
    assertTrue(expired.body().contains("Form expired"), expired::toString);
    assertFalse(missing.body().contains("read model"), missing::toString);
  }

  @Test
  void aDeadLettersWholeBodyIsShownDownloadedAndKeptWhenAReplayFails() {
    UUID ticket = UUID.randomUUID();
    String description = "x".repeat(6_000) + " the end";
    String stored =
        "{\"ticketId\":\""
            + ticket
            + "\",\"ticketType\":\" \",\"description\":\""
            + description
            + "\"}";
    BackofficeTestNode.publishRaw("ticket.prepareTicket", "pages-long-body", stored);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> node.deadLetter("pages-long-body").isPresent());
    long id = node.deadLetter("pages-long-body").orElseThrow().path("id").asLong();
    String path = "/console/dead-letters/" + id;
    String originalError = node.deadLetter("pages-long-body").orElseThrow().path("error").asText();

    Page page = operator.get(path);
    assertTrue(page.body().contains(description + "&quot;\n}</pre>"), "whole, indented");
    assertTrue(page.body().contains("<details>"), "folded: it is long");
    assertTrue(
        page.body()
            .contains("<textarea id=\"body\" name=\"body\" rows=\"10\" spellcheck=\"false\">{"),
        "the box starts with the stored body");

    Page download = operator.get(path + "/body");
    assertEquals(200, download.status(), download::toString);
    assertEquals(stored, download.body(), "the stored bytes");
    assertEquals(
        "attachment; filename=\"dead-letter-" + id + ".json\"",
        download.header("Content-Disposition"));

    String typed = "{\"ticketId\":\"" + ticket + "\", broken";
    Page failed =
        operator.postForm(
            path + "/replay", Map.of("csrf", page.csrf(), "confirm", "yes", "body", typed));
    assertEquals(409, failed.status(), failed::toString);
    assertTrue(failed.body().contains("not valid JSON"), failed::toString);
    assertFalse(failed.body().contains("(code "), "no parser internals: " + failed);
    assertTrue(
        failed
            .body()
            .contains(
                "spellcheck=\"false\">{&quot;ticketId&quot;:&quot;"
                    + ticket
                    + "&quot;, broken</textarea>"),
        "what was typed is kept: " + failed);
    String error = node.deadLetter("pages-long-body").orElseThrow().path("error").asText();
    assertTrue(error.startsWith(originalError), error);
    assertTrue(error.contains("Last replay, ") && error.contains("not valid JSON"), error);

    // the stored body as the page showed it (indented) replays the stored bytes: fails again with
    // the same original error, the last replay's failure replaced
    operator.postForm(
        path + "/replay",
        Map.of(
            "csrf",
            page.csrf(),
            "confirm",
            "yes",
            "body",
            "{\n \"ticketId\" : \""
                + ticket
                + "\", \"ticketType\":\" \",\n\"description\":\""
                + description
                + "\"}"));
    String again = node.deadLetter("pages-long-body").orElseThrow().path("error").asText();
    assertTrue(again.startsWith(originalError), again);
    assertEquals(1, again.split("Last replay, ", -1).length - 1, again);
  }

  @Test
  void aTicketTheCustomerClosedSaysTheCustomerCancelledIt() {
    UUID id = UUID.randomUUID();
    BackofficeTestNode.publish(
        new PrepareTicket(id, TicketType.CUSTOMER_ISSUE, new Description("from a customer")),
        id + ":1");
    BackofficeTestNode.publish(new CancelTicket(id), id + ":2");
    node.awaitStatus(id, "cancelled");

    Page page = agent.get("/console/tickets/" + id);
    assertTrue(
        page.body()
            .contains("<dt>Cancelled by</dt><dd id=\"ticket-cancelled-by\">the customer</dd>"),
        page::toString);
  }

  private static String createTicket(String description) {
    var created =
        node.http.postJson(
            "/tickets", "{\"ticketType\":\"internal\",\"description\":\"" + description + "\"}");
    assertEquals(201, created.status(), created::toString);
    String id = created.json().path("ticketId").asText();
    node.awaitStatus(UUID.fromString(id), "awaiting");
    return id;
  }
}
