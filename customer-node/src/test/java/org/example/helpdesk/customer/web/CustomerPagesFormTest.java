package org.example.helpdesk.customer.web;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.example.helpdesk.customer.web.Requests.BROWSER_ACCEPT;
import static org.example.helpdesk.customer.web.Requests.header;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;
import org.example.helpdesk.customer.CustomerTestNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The report form takes any valid report, says everything wrong with it at once in the page's
 * words, and keeps what was typed (issue 21).
 */
class CustomerPagesFormTest {

  @RegisterExtension static final CustomerTestNode node = new CustomerTestNode();

  @Test
  void tenThousandChineseCharactersAreAcceptedFromTheForm() {
    // 9 bytes each percent-encoded: 90,000 bytes, over the node's 64 KiB for JSON bodies
    String report = "服务器无法启动".repeat(1_428) + "请帮忙。";
    assertEquals(10_000, report.length());
    String issueId = UUID.randomUUID().toString();
    HttpResponse<String> sent =
        Requests.postForm(
            node,
            "/",
            Map.of("issueId", issueId, "email", "li.wei@example.com", "content", report));

    assertEquals(303, sent.statusCode(), sent.body());
    assertEquals("/issues/" + issueId, header(sent, "Location"));
    assertEquals(
        report, node.http.get("/issues/" + issueId).json().path("content").asText(), "kept whole");
  }

  @Test
  void anOverlongReportInChineseComesBackAsThePageWithTheTextKept() {
    String report = "太长了".repeat(3_334); // 10,002 characters
    HttpResponse<String> refused =
        Requests.postForm(node, "/", Map.of("email", "li.wei@example.com", "content", report));

    assertEquals(400, refused.statusCode(), refused.body());
    assertEquals("text/html; charset=UTF-8", header(refused, "Content-Type"));
    assertTrue(
        refused.body().contains("Description of the issue must be at most 10,000 characters"),
        refused.body());
    assertTrue(refused.body().contains(report + "</textarea>"), "what was typed is kept");
  }

  @Test
  void everyFieldsProblemIsSaidAtOnceInThePagesWords() {
    HttpResponse<String> refused =
        Requests.postForm(node, "/", Map.of("email", "jane", "content", " "));

    assertEquals(400, refused.statusCode());
    String html = refused.body();
    assertTrue(
        html.contains(
            "Not sent: E-mail address must be a valid e-mail address; Description of the issue"
                + " must not be blank."),
        html);
    assertTrue(html.contains("aria-describedby=\"email-rule form-error\" aria-invalid=\"true\""));
    assertTrue(html.contains("aria-describedby=\"content-rule form-error\" aria-invalid=\"true\""));
  }

  @Test
  void theLargerLimitIsTheFormsOnly() {
    String big = "{\"email\":\"a@example.com\",\"content\":\"" + "x".repeat(70_000) + "\"}";
    HttpResponse<String> json = Requests.postJson(node, "/issues", big);
    assertEquals(413, json.statusCode(), json.body());
    String form = "email=a%40example.com&content=" + URLEncoder.encode("y".repeat(70_000), UTF_8);
    HttpResponse<String> elsewhere =
        Requests.send(
            node,
            "POST",
            "/issues/" + UUID.randomUUID() + "/close",
            BROWSER_ACCEPT,
            "application/x-www-form-urlencoded",
            form.getBytes(UTF_8));
    assertEquals(413, elsewhere.statusCode(), elsewhere.body());
  }

  @Test
  void aBrowserOpeningTheCloseFormsAddressSeesTheIssue() {
    String issueId = UUID.randomUUID().toString();
    Requests.postForm(
        node, "/", Map.of("issueId", issueId, "email", "jane@example.com", "content", "c"));

    HttpResponse<String> opened =
        Requests.get(node, "/issues/" + issueId + "/close", BROWSER_ACCEPT);
    assertEquals(303, opened.statusCode(), opened.body());
    assertEquals("/issues/" + issueId, header(opened, "Location"));
    HttpResponse<String> api = Requests.get(node, "/issues/" + issueId + "/close", null);
    assertEquals(405, api.statusCode(), "an API client gets the API's answer: " + api.body());
  }
}
