package org.example.helpdesk.customer.web;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.example.helpdesk.customer.web.Requests.BROWSER_ACCEPT;
import static org.example.helpdesk.customer.web.Requests.header;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.example.helpdesk.customer.CustomerTestNode;
import org.example.helpdesk.platform.web.PageTime;
import org.example.helpdesk.testsupport.HttpTestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The customer's pages over HTTP, as a browser without JavaScript uses them, against a running
 * node.
 */
class CustomerPagesTest {

  private static final Pattern ISSUE_PATH =
      Pattern.compile("/issues/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})");
  private static final Pattern FORM_ISSUE_ID =
      Pattern.compile("name=\"issueId\" value=\"([^\"]+)\"");

  @RegisterExtension static final CustomerTestNode node = new CustomerTestNode();

  @Test
  void theReportPageIsAnAccessibleFormWithTheRulesAndTheSecurityHeaders() {
    HttpResponse<String> page = send("GET", "/", BROWSER_ACCEPT, null, null);

    assertEquals(200, page.statusCode());
    assertEquals("text/html; charset=UTF-8", header(page, "Content-Type"));
    String csp = header(page, "Content-Security-Policy");
    assertTrue(csp.contains("frame-ancestors 'none'"), csp);
    String scriptSrc =
        Arrays.stream(csp.split(";"))
            .map(String::trim)
            .filter(d -> d.startsWith("script-src"))
            .findFirst()
            .orElseThrow();
    assertFalse(
        scriptSrc.contains("unsafe-inline") || scriptSrc.contains("unsafe-eval"), scriptSrc);
    assertEquals("nosniff", header(page, "X-Content-Type-Options"));
    assertNotNull(header(page, "Referrer-Policy"));

    String html = page.body();
    assertTrue(
        html.contains("<html lang=\"en\">")
            && html.contains("<main>")
            && html.contains("name=\"viewport\""),
        html);
    assertTrue(html.contains("<form method=\"post\" action=\"/\""), html);
    for (String field : new String[] {"email", "content"}) {
      assertTrue(
          html.contains("<label for=\"" + field + "\">")
              && html.contains("id=\"" + field + "\" name=\"" + field + "\""),
          "a labelled " + field + " field");
    }
    // the rules, as the server applies them (Email.MAX_LENGTH, Issue.MAX_CONTENT_LENGTH)
    assertTrue(
        html.contains("a valid e-mail address") && html.contains("at most 254 characters"), html);
    assertTrue(
        html.contains("1 to 10,000 characters") && html.contains("maxlength=\"10000\""), html);
    assertNoInlineScript(html);
    assertEquals(200, send("GET", "/assets/app/customer.js", null, null, null).statusCode());
    assertEquals(200, send("GET", "/assets/app/customer.css", null, null, null).statusCode());
  }

  @Test
  void aValidFormIsReportedAndSeeOtherLeadsToTheIssuePage() {
    String issueId = formIssueId(send("GET", "/", BROWSER_ACCEPT, null, null).body());
    Map<String, String> form =
        Map.of(
            "issueId",
            issueId,
            "email",
            " jane@example.com ",
            "content",
            "Ünïcödé ✓ 日本\r\nsecond line");

    HttpResponse<String> sent = postForm("/", form);

    assertEquals(303, sent.statusCode(), sent.body());
    assertEquals("/issues/" + issueId, header(sent, "Location"));
    HttpTestClient.Response json = node.http.get("/issues/" + issueId);
    assertEquals("jane@example.com", json.json().path("email").asText());
    assertEquals(
        "Ünïcödé ✓ 日本\nsecond line",
        json.json().path("content").asText(),
        "the browser's CR LF is one line break");
    String page = send("GET", "/issues/" + issueId, BROWSER_ACCEPT, null, null).body();
    assertTrue(
        page.contains("Ünïcödé ✓ 日本\nsecond line")
            && page.contains(">open<")
            && page.contains("jane@example.com"),
        page);
    // one format on both services' pages: whole seconds for the script, the same in UTC as text
    Instant reportedAt = Instant.parse(json.json().path("reportedAt").asText());
    String time = "<time datetime=\"" + reportedAt.truncatedTo(ChronoUnit.SECONDS) + "\">";
    assertTrue(page.contains(time + PageTime.text(reportedAt) + "</time>"), page);
    assertTrue(
        Pattern.compile(">\\d{1,2} [A-Z][a-z]+ \\d{4}, \\d\\d:\\d\\d:\\d\\d UTC</time>")
            .matcher(page)
            .find());
    assertTrue(page.contains("<script src=\"/assets/app/time.js\" defer></script>"), page);
    assertTrue(page.contains("class=\"status badge status-open\" id=\"status\">open<"), page);

    // the same form sent again (a double click, a reload) is the same issue
    HttpResponse<String> again = postForm("/", form);
    assertEquals(303, again.statusCode());
    assertEquals("/issues/" + issueId, header(again, "Location"));
  }

  @Test
  void aFormWithoutAnIssueIdGetsANewIssue() {
    HttpResponse<String> sent =
        postForm("/", Map.of("email", "jane@example.com", "content", "no id"));

    assertEquals(303, sent.statusCode(), sent.body());
    Matcher location = ISSUE_PATH.matcher(header(sent, "Location"));
    assertTrue(location.matches(), header(sent, "Location"));
    assertEquals(200, node.http.get(location.group(0)).status());
  }

  @Test
  void anInvalidEmailShowsTheFormAgainWithTheMessageAndWhatWasEntered() {
    HttpResponse<String> refused =
        postForm(
            "/",
            Map.of(
                "issueId",
                UUID.randomUUID().toString(),
                "email",
                "jane",
                "content",
                "my <b>bold</b> problem"));

    assertEquals(400, refused.statusCode());
    assertEquals("text/html; charset=UTF-8", header(refused, "Content-Type"));
    String html = refused.body();
    assertTrue(
        html.contains("role=\"alert\"")
            && html.contains("E-mail address must be a valid e-mail address"),
        html);
    assertTrue(
        html.contains("value=\"jane\"")
            && html.contains("my &lt;b&gt;bold&lt;/b&gt; problem</textarea>"),
        html);
    assertTrue(html.contains("aria-invalid=\"true\""), html);
  }

  @Test
  void blankOrOverlongContentAndMissingFieldsAreRefusedWithTheRulesInWords() {
    assertRefused(
        400,
        "Description of the issue must not be blank",
        Map.of("email", "jane@example.com", "content", " \r\n "));
    assertRefused(
        400,
        "Description of the issue must be at most 10,000 characters",
        Map.of("email", "jane@example.com", "content", "x".repeat(10_001)));
    assertRefused(
        400,
        "Description of the issue must not contain control characters",
        Map.of("email", "jane@example.com", "content", "a\u0007b"));
    assertRefused(400, "E-mail address is required", Map.of("content", "c"));
    assertRefused(400, "Description of the issue is required", Map.of("email", "jane@example.com"));
    assertRefused(
        400,
        "this form is out of date (its issue id is not a UUID): reload the page",
        Map.of("issueId", "nope", "email", "jane@example.com", "content", "c"));
  }

  @Test
  void theSameFormWithOtherDataIsAConflictLinkingTheReportedIssue() {
    String issueId = UUID.randomUUID().toString();
    assertEquals(
        303,
        postForm("/", Map.of("issueId", issueId, "email", "jane@example.com", "content", "first"))
            .statusCode());

    HttpResponse<String> conflict =
        postForm("/", Map.of("issueId", issueId, "email", "jane@example.com", "content", "edited"));

    assertEquals(409, conflict.statusCode());
    String html = conflict.body();
    assertTrue(
        html.contains("already reported with different data")
            && html.contains("href=\"/issues/" + issueId + "\""),
        html);
    assertTrue(html.contains(">\nedited</textarea>"), html);
    String newId = formIssueId(html);
    assertFalse(newId.equals(issueId), "sending again reports a new issue");
    assertEquals(
        303,
        postForm("/", Map.of("issueId", newId, "email", "jane@example.com", "content", "edited"))
            .statusCode());
  }

  @Test
  void markupInTheContentIsShownAsText() {
    String id = reportByForm("<script>alert('x')</script><img src=x onerror=alert(1)>");

    String page = send("GET", "/issues/" + id, BROWSER_ACCEPT, null, null).body();

    // (jmustache escapes = too)
    assertTrue(
        page.contains(
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;"),
        page);
    assertNoInlineScript(page);
  }

  /** An issue reported once for the content negotiation cases, and its JSON. */
  private static String[] negotiated;

  private static synchronized String[] negotiated() {
    if (negotiated == null) {
      String id = reportByForm("negotiated");
      negotiated = new String[] {id, node.http.get("/issues/" + id).body()};
    }
    return negotiated;
  }

  @ParameterizedTest(name = "Accept: {0}")
  @ValueSource(strings = {"text/html", BROWSER_ACCEPT, "text/html;q=0.9,application/json;q=0.1"})
  void anIssueIsAPageForBrowsers(String accept) {
    String id = negotiated()[0];
    HttpResponse<String> page = send("GET", "/issues/" + id, accept, null, null);
    assertEquals(200, page.statusCode());
    assertEquals("text/html; charset=UTF-8", header(page, "Content-Type"), accept);
    assertTrue(
        page.body()
                .contains(
                    "<form method=\"post\" action=\"/issues/" + id + "/close\" id=\"close-form\">")
            && page.body().contains("Close issue"));
    // what happened so far, in words, for the page's script to keep up to date
    assertTrue(page.body().contains("Reported: waiting for our support team to take it on"));
    assertTrue(page.body().contains("You reported the issue"));
    assertTrue(page.body().contains("<script src=\"/assets/app/customer.js\" defer></script>"));
  }

  @ParameterizedTest(name = "Accept: {0}")
  @NullSource
  @ValueSource(strings = {"application/json", "*/*", "application/json, text/html"})
  void anIssueIsJsonAsBeforeForEveryoneElse(String accept) {
    String id = negotiated()[0];
    HttpResponse<String> api = send("GET", "/issues/" + id, accept, null, null);
    assertEquals(200, api.statusCode());
    assertEquals("application/json", header(api, "Content-Type"), accept);
    assertEquals(negotiated()[1], api.body(), accept);
  }

  @Test
  void closingByTheFormSeesTheIssueAgainAndTwiceIsHarmless() {
    String id = reportByForm("close me by form");

    for (int i = 0; i < 2; i++) {
      HttpResponse<String> closed = postForm("/issues/" + id + "/close", Map.of());
      assertEquals(303, closed.statusCode(), closed.body());
      assertEquals("/issues/" + id, header(closed, "Location"));
    }
    // a browser's request with no form body (Accept alone) is a browser's too
    assertEquals(
        303,
        send("POST", "/issues/" + id + "/close", BROWSER_ACCEPT, null, new byte[0]).statusCode());

    assertEquals("closed", node.http.get("/issues/" + id).json().path("status").asText());
    String page = send("GET", "/issues/" + id, BROWSER_ACCEPT, null, null).body();
    assertTrue(
        page.contains("class=\"status badge status-closed\" id=\"status\">closed<")
            && page.contains("This issue is closed.")
            && page.contains("<dt>Closed</dt>"),
        page);
    assertFalse(page.contains("Close issue"), page);
    assertTrue(page.contains(">Closed by you<"), "not \"waiting for our support team\": " + page);
    // the JSON API is unchanged
    assertEquals(
        "{\"issueId\":\"" + id + "\",\"status\":\"closed\"}",
        node.http.post("/issues/" + id + "/close", null, new byte[0]).body());
  }

  @Test
  void errorsAreSeenAsPagesByBrowsers() {
    String unknown = UUID.randomUUID().toString();

    assertErrorPage(
        404,
        "issue " + unknown + " does not exist",
        send("GET", "/issues/" + unknown, BROWSER_ACCEPT, null, null));
    assertErrorPage(404, "does not exist", postForm("/issues/" + unknown + "/close", Map.of()));
    assertErrorPage(
        400,
        "issueId must be a UUID, got &#39;nope&#39;",
        send("GET", "/issues/nope", BROWSER_ACCEPT, null, null));
    // and as JSON by everyone else
    assertEquals(
        "application/json",
        header(send("GET", "/issues/" + unknown, "application/json", null, null), "Content-Type"));
  }

  @Test
  void onlyFormsArePostedToTheReportPage() {
    HttpResponse<String> json =
        send(
            "POST",
            "/",
            null,
            "application/json",
            "{\"email\":\"jane@example.com\",\"content\":\"c\"}".getBytes(UTF_8));

    assertEquals(415, json.statusCode());
    assertTrue(json.body().contains("application/x-www-form-urlencoded"), json.body());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        // (each form is "email=jane%40example.com&content=" and this)
        "overlong '/'            | a%C0%AFb       | not valid UTF-8",
        "half a character        | a%EDb          | not valid UTF-8",
        "an encoded surrogate    | %ED%A0%80      | not valid UTF-8",
        "a bad percent-escape    | a%ZZb          | not percent-encoded",
        "a cut percent-escape    | a%2            | not percent-encoded",
        "raw, not encoded        | a\u00e9b       | not percent-encoded",
        "a field sent twice      | ok&content=other | field &#39;content&#39; sent twice",
      })
  void aMalformedFormIsRefusedAndStoresNothing(String name, String content, String problem) {
    long rows = node.sql.count("SELECT count(*) FROM durable_state");
    String form = "email=jane%40example.com&content=" + content;
    HttpResponse<String> refused =
        send(
            "POST", "/", BROWSER_ACCEPT, "application/x-www-form-urlencoded", form.getBytes(UTF_8));
    assertEquals(400, refused.statusCode(), form);
    assertTrue(
        refused.body().contains("Not sent: malformed form: " + problem),
        () -> form + ": " + refused.body());
    assertEquals(rows, node.sql.count("SELECT count(*) FROM durable_state"));
  }

  // ---- helpers --------------------------------------------------------------------------------

  private static String reportByForm(String content) {
    HttpResponse<String> sent =
        postForm("/", Map.of("email", "jane@example.com", "content", content));
    assertEquals(303, sent.statusCode(), sent.body());
    Matcher id = ISSUE_PATH.matcher(header(sent, "Location"));
    assertTrue(id.matches());
    return id.group(1);
  }

  private static void assertRefused(int status, String message, Map<String, String> form) {
    HttpResponse<String> refused = postForm("/", form);
    assertEquals(status, refused.statusCode(), refused.body());
    assertEquals("text/html; charset=UTF-8", header(refused, "Content-Type"));
    assertTrue(
        refused.body().contains("Not sent: " + message), () -> message + " in " + refused.body());
  }

  private static void assertErrorPage(int status, String message, HttpResponse<String> response) {
    assertEquals(status, response.statusCode(), response.body());
    assertEquals("text/html; charset=UTF-8", header(response, "Content-Type"));
    assertTrue(
        response.body().contains("<main>") && response.body().contains(message), response.body());
  }

  /** Scripts only from files: no script element with a body, no event handler attributes. */
  private static void assertNoInlineScript(String html) {
    assertFalse(
        Pattern.compile("<script(?![^>]*\\bsrc=)[^>]*>").matcher(html).find(), "an inline script");
    assertFalse(
        Pattern.compile("<[^>]+\\son[a-z]+\\s*=", Pattern.CASE_INSENSITIVE).matcher(html).find(),
        "an event handler attribute");
  }

  private static String formIssueId(String html) {
    Matcher m = FORM_ISSUE_ID.matcher(html);
    assertTrue(m.find(), html);
    return m.group(1);
  }

  private static HttpResponse<String> postForm(String path, Map<String, String> fields) {
    return Requests.postForm(node, path, fields);
  }

  private static HttpResponse<String> send(
      String method, String path, String accept, String contentType, byte[] body) {
    return Requests.send(node, method, path, accept, contentType, body);
  }
}
