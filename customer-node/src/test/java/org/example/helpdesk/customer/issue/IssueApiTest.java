package org.example.helpdesk.customer.issue;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.UUID;
import org.example.helpdesk.customer.CustomerTestNode;
import org.example.helpdesk.testsupport.HttpTestClient.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every status of the issues API, over HTTP against a running node. */
class IssueApiTest {

  @RegisterExtension static final CustomerTestNode node = new CustomerTestNode();

  @Test
  void aReportedIssueIsCreatedAndCanBeRead() {
    Response created =
        node.http.postJson(
            "/issues", "{\"email\":\"jane@example.com\",\"content\":\"Really important bug!\"}");

    assertEquals(201, created.status(), created.toString());
    String id = created.json().path("issueId").asText();
    assertEquals("open", created.json().path("status").asText());
    assertEquals("/issues/" + id, created.header("Location"));

    Response issue = node.http.get("/issues/" + id);
    assertEquals(200, issue.status());
    assertEquals("jane@example.com", issue.json().path("email").asText());
    assertEquals("Really important bug!", issue.json().path("content").asText());
    assertEquals("open", issue.json().path("status").asText());
    assertTrue(issue.json().path("reportedAt").asText().endsWith("Z"));
    assertTrue(issue.json().path("closedAt").isNull());
  }

  @Test
  void theSameReportAgainIsA200WithTheSameBodyAndDifferentDataIsAConflict() {
    String id = UUID.randomUUID().toString();
    String body =
        "{\"issueId\":\"" + id + "\",\"email\":\"jane@example.com\",\"content\":\"once\"}";

    Response first = node.http.postJson("/issues", body);
    Response again = node.http.postJson("/issues", body);
    Response different = node.http.postJson("/issues", body.replace("once", "twice"));

    assertEquals(201, first.status(), first.toString());
    assertEquals(200, again.status(), again.toString());
    assertEquals(first.body(), again.body());
    assertError(409, "already reported with different data", different);
  }

  @Test
  void closingIsIdempotent() {
    String id = report("close me");

    Response closed = node.http.post("/issues/" + id + "/close", null, new byte[0]);
    Response again = node.http.post("/issues/" + id + "/close", null, new byte[0]);

    assertEquals(200, closed.status());
    assertEquals("{\"issueId\":\"" + id + "\",\"status\":\"closed\"}", closed.body());
    assertEquals(closed.body(), again.body());
    Response issue = node.http.get("/issues/" + id);
    assertEquals("closed", issue.json().path("status").asText());
    assertTrue(issue.json().path("closedAt").asText().endsWith("Z"));
  }

  @Test
  void unknownIssuesAreNotFoundAndMalformedIdsAreBadRequests() {
    String unknown = UUID.randomUUID().toString();
    assertError(404, "does not exist", node.http.get("/issues/" + unknown));
    assertError(
        404, "does not exist", node.http.post("/issues/" + unknown + "/close", null, new byte[0]));
    assertError(400, "issueId must be a UUID", node.http.get("/issues/nope"));
    assertError(
        400, "issueId must be a UUID", node.http.post("/issues/12-34/close", null, new byte[0]));
  }

  @ParameterizedTest(name = "{1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"email\":\"jane@example.com\"                                  | malformed JSON",
        "\"just a string\"                                                | must be a JSON object",
        "{\"email\":\"jane@example.com\",\"content\":\"c\",\"extra\":1}   | unknown field 'extra'",
        "{\"content\":\"c\"}                                              | email is required",
        "{\"email\":\"jane@example.com\"}                                 | content is required",
        "{\"email\":42,\"content\":\"c\"}                                 | invalid field 'email': expected a string",
        "{\"email\":\"jane@example.com\",\"content\":[\"c\"]}             | invalid field 'content': expected a string",
        "{\"email\":\"jane\",\"content\":\"c\"}                           | email must be a valid e-mail address",
        "{\"email\":\"\",\"content\":\"c\"}                               | email must be a valid e-mail address",
        "{\"email\":\"jane@example.com\",\"content\":\"\"}                | content must not be blank",
        "{\"email\":\"jane@example.com\",\"content\":\"a\\u0007b\"}       | content must not contain control characters",
        "{\"email\":\"jane@example.com\",\"content\":\"c\",\"issueId\":\"x\"} | issueId must be a UUID",
      })
  void anInvalidReportIsABadRequestNamingTheProblem(String body, String problem) {
    assertError(400, problem, node.http.postJson("/issues", body));
  }

  @Test
  void contentOverTenThousandCharactersIsABadRequest() {
    assertError(
        400,
        "content must be at most 10000 characters",
        node.http.postJson(
            "/issues",
            "{\"email\":\"jane@example.com\",\"content\":\"" + "x".repeat(10_001) + "\"}"));
    assertEquals(
        201,
        node.http
            .postJson(
                "/issues",
                "{\"email\":\"jane@example.com\",\"content\":\"" + "x".repeat(10_000) + "\"}")
            .status());
  }

  @Test
  void aBodyOverTheLimitIsTooLargeAndANonJsonBodyIsUnsupported() {
    assertError(
        413,
        "too large",
        node.http.postJson(
            "/issues",
            "{\"email\":\"jane@example.com\",\"content\":\"" + "x".repeat(70_000) + "\"}"));
    assertError(
        415, "application/json", node.http.post("/issues", "text/plain", "{}".getBytes(UTF_8)));
    assertError(
        415,
        "application/json",
        node.http.post("/issues", "application/x-www-form-urlencoded", "email=a".getBytes(UTF_8)));
  }

  @Test
  void unknownPathsAndMethodsGetJsonErrors() {
    assertError(404, "no such resource", node.http.get("/tickets"));
    assertError(405, "allowed: POST", node.http.get("/issues"));
    assertError(
        405, "allowed", node.http.send("DELETE", "/issues/" + UUID.randomUUID(), null, null));
  }

  @Test
  void healthSaysTheNodeCanServe() {
    assertEquals(200, node.http.get("/health").status());
    Response ready = node.http.get("/health/ready");
    assertEquals(200, ready.status(), ready.toString());
  }

  private static String report(String content) {
    Response created =
        node.http.postJson(
            "/issues", "{\"email\":\"jane@example.com\",\"content\":\"" + content + "\"}");
    assertEquals(201, created.status(), created.toString());
    return created.json().path("issueId").asText();
  }

  private static void assertError(int status, String problem, Response response) {
    assertEquals(status, response.status(), response.toString());
    assertEquals("application/json", response.header("Content-Type"), response.toString());
    String error = response.json().path("error").asText();
    assertTrue(error.contains(problem), () -> "error '" + error + "' should mention " + problem);
  }
}
