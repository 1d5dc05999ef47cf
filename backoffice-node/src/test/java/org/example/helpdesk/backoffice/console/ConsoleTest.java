package org.example.helpdesk.backoffice.console;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.example.helpdesk.backoffice.BackofficeTestNode;
import org.example.helpdesk.backoffice.Browser;
import org.example.helpdesk.backoffice.Browser.Page;
import org.example.helpdesk.backoffice.auth.Access;
import org.example.helpdesk.testsupport.TestEmployees;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The employees' console over HTTP with a signed-in session, as a browser without JavaScript uses
 * it.
 */
class ConsoleTest {

  @RegisterExtension static final BackofficeTestNode node = new BackofficeTestNode();
  private static Browser operator;
  private static Browser agent;

  @BeforeAll
  static void start() {
    operator = node.browser().signIn(TestEmployees.OPERATOR, TestEmployees.OPERATOR_PASSWORD);
    agent = node.browser().signIn(TestEmployees.AGENT, TestEmployees.AGENT_PASSWORD);
  }

  @Test
  void theTicketsListIsAPageWithAStatusFilterAndARowsFragment() {
    String id = createTicket("listed ticket");

    Page all = operator.get("/console/tickets");
    assertEquals(200, all.status(), all::toString);
    assertTrue(all.header("Content-Type").startsWith("text/html"));
    assertTrue(all.body().contains("id=\"ticket-" + id + "\""), all::toString);
    assertTrue(all.body().contains("listed ticket"));
    assertFalse(
        operator.get("/console/tickets?status=cancelled").body().contains(id), "filtered out");
    assertTrue(operator.get("/console/tickets?status=awaiting&page=1").body().contains(id));
    assertFalse(
        operator.get("/console/tickets?page=2").body().contains(id),
        "newest first: on the first page");

    Page rows = operator.get("/console/tickets/rows?status=awaiting&page=1");
    assertEquals(200, rows.status());
    assertTrue(rows.body().contains("id=\"ticket-" + id + "\""), rows::toString);
    assertFalse(rows.body().contains("<html"), "a fragment for htmx");
    Page status = agent.get("/console/status");
    assertEquals(200, status.status());
    assertTrue(status.body().contains("id=\"inbox-processed\""), status::toString);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "/console/tickets",
        "/console/tickets/{ticket}",
        "/console/dead-letters",
        "/sign-in"
      })
  void pagesCarryTheSecurityHeadersAndNoInlineScript(String shown) {
    String path =
        shown.contains("{ticket}") ? shown.replace("{ticket}", createTicket("headers")) : shown;
    Page page = operator.get(path);
    assertEquals(200, page.status(), () -> path + ": " + page);
    String csp = page.header("Content-Security-Policy");
    assertNotNull(csp, path);
    assertTrue(csp.contains("frame-ancestors 'none'"), csp);
    String scriptSrc =
        Stream.of(csp.split(";"))
            .map(String::strip)
            .filter(d -> d.startsWith("script-src"))
            .findFirst()
            .orElseThrow();
    assertFalse(scriptSrc.contains("'unsafe-inline'"), scriptSrc);
    assertEquals("nosniff", page.header("X-Content-Type-Options"), path);
    assertNotNull(page.header("Referrer-Policy"), path);
    assertFalse(
        Pattern.compile("<script(?![^>]*\\ssrc=)").matcher(page.body()).find(),
        () -> path + " has an inline script");
  }

  @Test
  void theScriptsAndStylesOfThePagesComeFromTheNode() {
    Page page = operator.get("/console/tickets/" + createTicket("assets"));
    java.util.regex.Matcher assets =
        Pattern.compile("(?:src|href)=\"(/assets/[^\"]+)\"").matcher(page.body());
    List<String> seen = new java.util.ArrayList<>();
    while (assets.find()) {
      seen.add(assets.group(1));
      Page asset = node.browser().get(assets.group(1));
      assertEquals(200, asset.status(), assets.group(1));
    }
    assertTrue(seen.stream().anyMatch(a -> a.contains("htmx.min.js")), seen::toString);
    assertTrue(seen.stream().anyMatch(a -> a.endsWith("/sse.js")), seen::toString);
    assertTrue(seen.stream().anyMatch(a -> a.endsWith(".css")), seen::toString);
  }

  @Test
  void aFormPostWithoutTheSessionsTokenChangesNothing() {
    String id = createTicket("not to be assigned");
    Map<String, String> assignment = Map.of("assignee", "mallory");

    Page missing = operator.postForm("/console/tickets/" + id + "/assign", assignment);
    Page wrong =
        operator.postForm("/console/tickets/" + id + "/assign", with(assignment, "csrf", "forged"));
    String agentsToken = agent.get("/console/tickets").csrf();
    Page anotherSessions =
        operator.postForm(
            "/console/tickets/" + id + "/assign", with(assignment, "csrf", agentsToken));
    Page cancel = operator.postForm("/console/tickets/" + id + "/cancel", Map.of("confirm", "yes"));

    for (Page refused : List.of(missing, wrong, anotherSessions, cancel)) {
      assertEquals(403, refused.status(), refused::toString);
      assertTrue(refused.body().contains("CSRF check failed"), refused::toString);
    }
    assertEquals(List.of("TicketWasPrepared"), node.events(UUID.fromString(id)));
    assertEquals("awaiting", node.http.get("/tickets/" + id).json().path("status").asText());
  }

  @Test
  void anAssignmentThroughTheFormRecordsWhoAssigned() {
    String id = createTicket("to be assigned");
    String csrf = operator.get("/console/tickets/" + id).csrf();

    Page assigned =
        operator.postForm(
            "/console/tickets/" + id + "/assign", Map.of("csrf", csrf, "assignee", "alice"));

    assertEquals(303, assigned.status(), assigned::toString);
    assertEquals("/console/tickets/" + id, assigned.header("Location"));
    node.awaitStatus(UUID.fromString(id), "assigned");
    assertEquals(TestEmployees.OPERATOR, node.ticketRow(UUID.fromString(id)).get("assigned_by"));
    JsonNode ticket = node.http.get("/tickets/" + id).json();
    assertEquals("alice", ticket.path("assignee").asText());
    assertEquals(TestEmployees.OPERATOR, ticket.path("assignedBy").asText());
    assertTrue(
        operator
            .get("/console/tickets/" + id)
            .body()
            .contains("assigned by " + TestEmployees.OPERATOR));
    Page details = operator.get("/console/tickets/" + id + "/details");
    assertTrue(
        details.body().contains("assigned by " + TestEmployees.OPERATOR)
            && !details.body().contains("<html"),
        "the fragment the page reloads");
  }

  @Test
  void aCancellationNeedsTheConfirmationAndRecordsWhoCancelled() {
    String id = createTicket("to be cancelled");
    String csrf = agent.get("/console/tickets/" + id).csrf();

    Page unconfirmed = agent.postForm("/console/tickets/" + id + "/cancel", Map.of("csrf", csrf));
    assertEquals(400, unconfirmed.status());
    assertTrue(unconfirmed.body().contains("Tick the box to confirm"), unconfirmed::toString);
    assertEquals(List.of("TicketWasPrepared"), node.events(UUID.fromString(id)));

    Page cancelled =
        agent.postForm(
            "/console/tickets/" + id + "/cancel", Map.of("csrf", csrf, "confirm", "yes"));
    assertEquals(303, cancelled.status(), cancelled::toString);
    node.awaitStatus(UUID.fromString(id), "cancelled");
    assertEquals(
        TestEmployees.AGENT, node.http.get("/tickets/" + id).json().path("cancelledBy").asText());
    Page page = agent.get("/console/tickets/" + id);
    assertTrue(
        page.body().contains("id=\"ticket-cancelled-by\">" + TestEmployees.AGENT), page::toString);
    assertFalse(
        page.body().contains("action=\"/console/tickets/" + id + "/assign\""),
        "no assigning a cancelled ticket");
  }

  /** 10,000 characters of Chinese take 90,000 bytes percent-encoded: over the JSON limit. */
  @Test
  void aReplyOfTenThousandCharactersInAnyScriptFitsTheForm() {
    UUID id = node.customerTicket("Wrong characters on my invoice");
    String path = "/console/tickets/" + id;
    String csrf = agent.get(path).csrf();
    String reply =
        "\u6211\u4eec\u5df2\u7ecf\u4fee\u597d\u4e86".repeat(1_428) + "\u3002\u8c22\u8c22\u3002";
    assertEquals(10_000, reply.length());
    Page answered = agent.postForm(path + "/answer", Map.of("csrf", csrf, "reply", reply));
    assertEquals(303, answered.status(), answered::toString);
    assertEquals(List.of("TicketWasPrepared", "TicketWasAnswered"), node.events(id));
    Page tooLong =
        agent.postForm(path + "/answer", Map.of("csrf", csrf, "reply", reply + "\u3002"));
    assertEquals(400, tooLong.status(), "one character more is refused by the rules");
    assertTrue(tooLong.body().contains("at most 10000 characters"), tooLong::toString);
  }

  @Test
  void aReplyThroughTheFormIsRecordedAndShownOnTheTimeline() {
    UUID id = node.customerTicket("My invoice is wrong");
    String path = "/console/tickets/" + id;
    Page page = agent.get(path);
    assertTrue(page.body().contains("action=\"" + path + "/answer\""), page::toString);
    assertTrue(page.body().contains("id=\"ticket-timeline\""), page::toString);
    assertTrue(page.body().contains("Prepared from a customer&#39;s issue"), page::toString);
    String csrf = page.csrf();

    Page forged = agent.postForm(path + "/answer", Map.of("reply", "hi", "csrf", "forged"));
    assertEquals(403, forged.status(), forged::toString);
    Page refused =
        agent.postForm(
            path + "/answer", Map.of("csrf", csrf, "reply", "Dear <b>customer</b>\u0007"));
    assertEquals(400, refused.status(), refused::toString);
    assertTrue(
        refused.body().contains("reply must not contain control characters"), refused::toString);
    assertTrue(
        refused.body().contains("Dear &lt;b&gt;customer&lt;/b&gt;"), "the typed text is kept");
    assertEquals(List.of("TicketWasPrepared"), node.events(id));

    Page answered =
        agent.postForm(
            path + "/answer", Map.of("csrf", csrf, "reply", "We refund the difference today."));
    assertEquals(303, answered.status(), answered::toString);
    assertEquals(path, answered.header("Location"));
    assertEquals(List.of("TicketWasPrepared", "TicketWasAnswered"), node.events(id));
    Page after = agent.get(path);
    assertTrue(
        after.body().contains("Answered the customer by " + TestEmployees.AGENT), after::toString);
    assertTrue(after.body().contains("We refund the difference today."), after::toString);
    Page timeline = agent.get(path + "/history");
    assertEquals(200, timeline.status());
    assertTrue(
        timeline.body().contains("We refund the difference today.")
            && !timeline.body().contains("<html"),
        "the fragment the page reloads: " + timeline);
  }

  @Test
  void onlyACustomersTicketThatIsNotCancelledOffersAReply() {
    String internal = createTicket("no customer");
    Page page = agent.get("/console/tickets/" + internal);
    assertFalse(page.body().contains("/answer\""), page::toString);
    Page refused =
        agent.postForm(
            "/console/tickets/" + internal + "/answer",
            Map.of("csrf", page.csrf(), "reply", "Hello?"));
    assertEquals(409, refused.status(), refused::toString);
    assertTrue(refused.body().contains("no customer to answer"), refused::toString);
    assertFalse(refused.body().contains("/answer\""), "still no form to answer with");

    UUID closed = node.customerTicket("closed by the customer");
    assertEquals(200, node.http.post("/tickets/" + closed + "/cancel", null, new byte[0]).status());
    Page cancelled = agent.get("/console/tickets/" + closed);
    assertFalse(cancelled.body().contains("/answer\""), cancelled::toString);
    assertTrue(
        cancelled.body().contains("Cancelled by " + TestEmployees.OPERATOR), cancelled::toString);
  }

  @Test
  void anInternalTicketIsCreatedThroughTheForm() {
    String csrf = agent.get("/console/tickets").csrf();

    Page created =
        agent.postForm(
            "/console/tickets",
            Map.of(
                "csrf",
                csrf,
                "ticketType",
                "internal",
                "description",
                "Coffee machine <b>broken</b>"));

    assertEquals(303, created.status(), created::toString);
    String id = created.header("Location").replace("/console/tickets/", "");
    node.awaitStatus(UUID.fromString(id), "awaiting");
    Page page = agent.get("/console/tickets/" + id);
    assertTrue(
        page.body().contains("Coffee machine &lt;b&gt;broken&lt;/b&gt;"), "escaped: " + page);
    Page refused =
        agent.postForm(
            "/console/tickets", Map.of("csrf", csrf, "ticketType", " ", "description", "d"));
    assertEquals(400, refused.status(), refused::toString);
    assertTrue(refused.body().contains("Ticket not created"), refused::toString);
  }

  @Test
  void theApiWithTheSessionCookieNeedsTheCsrfHeaderToChangeAnything() {
    String id = createTicket("assigned through the API with the session");
    String csrf = operator.get("/console/tickets").csrf();

    Page read = operator.get("/tickets/" + id);
    assertEquals(200, read.status(), "reading needs no token");
    Page missing =
        operator.sendJson("POST", "/tickets/" + id + "/assign", "{\"assignee\":\"bob\"}");
    Page wrong =
        operator.sendJson(
            "POST",
            "/tickets/" + id + "/assign",
            "{\"assignee\":\"bob\"}",
            Access.CSRF_HEADER,
            "forged");
    for (Page refused : List.of(missing, wrong)) {
      assertEquals(403, refused.status(), refused::toString);
      assertTrue(
          refused.json().path("error").asText().contains(Access.CSRF_HEADER), refused::toString);
    }
    assertEquals(403, operator.sendJson("DELETE", "/dead-letters/1", null).status());
    assertEquals(List.of("TicketWasPrepared"), node.events(UUID.fromString(id)));

    Page assigned =
        operator.sendJson(
            "POST",
            "/tickets/" + id + "/assign",
            "{\"assignee\":\"bob\"}",
            Access.CSRF_HEADER,
            csrf);
    assertEquals(200, assigned.status(), assigned::toString);
    assertEquals(TestEmployees.OPERATOR, assigned.json().path("assignedBy").asText());
  }

  @Test
  void anAgentCannotOpenTheDeadLetters() {
    Page list = agent.get("/console/dead-letters");
    assertEquals(403, list.status(), list::toString);
    assertTrue(list.header("Content-Type").startsWith("text/html"));
    assertTrue(list.body().contains("needs the role <strong>operator</strong>"), list::toString);
    assertEquals(403, agent.get("/console/dead-letters/1").status());
    assertEquals(
        403,
        agent
            .postForm(
                "/console/dead-letters/1/delete",
                Map.of("csrf", agent.get("/console/tickets").csrf(), "confirm", "yes"))
            .status());
    assertFalse(
        agent.get("/console/tickets").body().contains("href=\"/console/dead-letters\""),
        "no link the agent cannot follow");
    assertTrue(operator.get("/console/tickets").body().contains("href=\"/console/dead-letters\""));
  }

  @Test
  void aDeadLetterIsShownAndReplayedOrDeletedOnlyWhenConfirmed() {
    BackofficeTestNode.publishRaw("ticket.cancel", "console-poison", "not json <script>");
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> node.deadLetter("console-poison").isPresent());
    long id = node.deadLetter("console-poison").orElseThrow().path("id").asLong();
    String path = "/console/dead-letters/" + id;

    assertTrue(
        operator.get("/console/dead-letters").body().contains("id=\"dead-letter-" + id + "\""));
    Page letter = operator.get(path);
    assertEquals(200, letter.status());
    assertTrue(letter.body().contains("not json &lt;script&gt;"), letter::toString);
    String csrf = letter.csrf();

    Page unconfirmedReplay = operator.postForm(path + "/replay", Map.of("csrf", csrf));
    assertEquals(400, unconfirmedReplay.status(), unconfirmedReplay::toString);
    assertEquals(
        1,
        node.deadLetter("console-poison").orElseThrow().path("attempts").asInt(),
        "not replayed");
    Page failedAgain = operator.postForm(path + "/replay", Map.of("csrf", csrf, "confirm", "yes"));
    assertEquals(409, failedAgain.status(), failedAgain::toString);
    assertTrue(failedAgain.body().contains("Failed again"), failedAgain::toString);

    assertEquals(400, operator.postForm(path + "/delete", Map.of("csrf", csrf)).status());
    assertEquals(403, operator.postForm(path + "/delete", Map.of("confirm", "yes")).status());
    assertTrue(node.deadLetter("console-poison").isPresent(), "still there");
    Page afterDelete = operator.postForm(path + "/delete", Map.of("csrf", csrf, "confirm", "yes"));
    assertEquals(303, afterDelete.status(), afterDelete::toString);
    Page deleted = operator.get(afterDelete.header("Location"));
    assertTrue(deleted.body().contains("Dead letter " + id + " deleted"), deleted::toString);
    assertFalse(deleted.body().contains("id=\"dead-letter-" + id + "\""), "gone from the list");
    assertEquals(404, node.http.get("/dead-letters/" + id).status());
  }

  @Test
  void aDeadLetterIsReplayedWithACorrectedBody() {
    UUID ticket = UUID.randomUUID();
    BackofficeTestNode.publishRaw(
        "ticket.prepareTicket",
        "console-fixable",
        "{\"ticketId\":\"" + ticket + "\",\"ticketType\":\" \",\"description\":\"d\"}");
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> node.deadLetter("console-fixable").isPresent());
    long id = node.deadLetter("console-fixable").orElseThrow().path("id").asLong();
    String csrf = operator.get("/console/dead-letters/" + id).csrf();
    String corrected =
        "{\"ticketId\":\""
            + ticket
            + "\",\"ticketType\":\"customer-issue\",\"description\":\"fixed\"}";

    Page replayed =
        operator.postForm(
            "/console/dead-letters/" + id + "/replay",
            Map.of("csrf", csrf, "confirm", "yes", "body", corrected));

    // post, redirect, get: reloading the list does not replay again
    assertEquals(303, replayed.status(), replayed::toString);
    Page list = operator.get(replayed.header("Location"));
    assertTrue(list.body().contains("Dead letter " + id + " replayed"), list::toString);
    node.awaitStatus(ticket, "awaiting");
    assertEquals(
        404, operator.get("/console/dead-letters/" + id).status(), "resolved: no longer open");
  }

  @Test
  void theEventStreamSaysChangedAfterATicketIsCreated() throws Exception {
    awaitChangedAfter(() -> createTicket("seen live"));
    Page stranger = node.browser().get("/console/events");
    assertEquals(303, stranger.status(), "strangers get no events");
  }

  /** An answer changes no row of the read model; the timeline reloads all the same. */
  @Test
  void theEventStreamSaysChangedAfterAnAnswer() throws Exception {
    UUID id = node.customerTicket("answered live");
    Thread.sleep(1_500); // its preparation's change has been told
    awaitChangedAfter(
        () ->
            assertEquals(
                200,
                node.http
                    .postJson("/tickets/" + id + "/answer", "{\"reply\":\"on our way\"}")
                    .status()));
  }

  private static void awaitChangedAfter(Runnable change) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(agent.uri("/console/events"))
            .header("Cookie", agent.cookieHeader())
            .header("Accept", "text/event-stream")
            .GET()
            .build();
    HttpResponse<Stream<String>> events =
        agent.client().sendAsync(request, HttpResponse.BodyHandlers.ofLines()).get(10, SECONDS);
    try (Stream<String> lines = events.body()) {
      assertEquals(200, events.statusCode());
      assertTrue(
          events.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
      AtomicBoolean changed = new AtomicBoolean();
      Thread reader =
          new Thread(
              () ->
                  lines
                      .takeWhile(l -> !changed.get())
                      .forEach(
                          l ->
                              changed.compareAndSet(
                                  false, l.replace(" ", "").equals("event:changed"))));
      reader.setDaemon(true);
      reader.start();

      change.run();

      await().atMost(Duration.ofSeconds(20)).untilTrue(changed);
    }
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

  private static Map<String, String> with(Map<String, String> fields, String name, String value) {
    Map<String, String> all = new java.util.HashMap<>(fields);
    all.put(name, value);
    return all;
  }
}
