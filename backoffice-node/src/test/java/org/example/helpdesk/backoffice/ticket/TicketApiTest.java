package org.example.helpdesk.backoffice.ticket;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.example.helpdesk.backoffice.BackofficeTestNode;
import org.example.helpdesk.testsupport.HttpTestClient.Response;
import org.example.helpdesk.testsupport.TestEmployees;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every status of the tickets API, over HTTP against a running node. */
class TicketApiTest {

  @RegisterExtension static final BackofficeTestNode node = new BackofficeTestNode();

  @Test
  void anInternalTicketIsCreatedAndAppearsInTheReadModel() {
    Response created =
        node.http.postJson(
            "/tickets", "{\"ticketType\":\"internal\",\"description\":\"Printer on fire\"}");

    assertEquals(201, created.status(), created.toString());
    String id = created.json().path("ticketId").asText();
    assertEquals("/tickets/" + id, created.header("Location"));
    JsonNode ticket = awaitTicket(id);
    assertEquals("internal", ticket.path("ticketType").asText());
    assertEquals("Printer on fire", ticket.path("description").asText());
    assertEquals("awaiting", ticket.path("status").asText());
    assertTrue(ticket.path("assignee").isNull());
    assertTrue(
        ticket.path("preparedAt").asText().matches("\\d{4}-\\d\\d-\\d\\dT.*Z"), ticket.toString());
    assertEquals(ticket.path("preparedAt"), ticket.path("updatedAt"));
  }

  @Test
  void aTicketIsAssignedReassignedAndCancelled() {
    String id = create("work");

    Response assigned =
        node.http.postJson("/tickets/" + id + "/assign", "{\"assignee\":\"alice\"}");
    assertEquals(200, assigned.status(), assigned.toString());
    assertEquals("assigned", assigned.json().path("status").asText());
    assertEquals("alice", assigned.json().path("assignee").asText());
    assertEquals(
        200, node.http.postJson("/tickets/" + id + "/assign", "{\"assignee\":\"alice\"}").status());
    assertEquals(
        200, node.http.postJson("/tickets/" + id + "/assign", "{\"assignee\":\"bob\"}").status());
    await()
        .atMost(Duration.ofSeconds(15))
        .until(
            () -> "bob".equals(node.http.get("/tickets/" + id).json().path("assignee").asText()));

    Response cancelled = node.http.post("/tickets/" + id + "/cancel", null, new byte[0]);
    assertEquals(200, cancelled.status(), cancelled.toString());
    assertEquals("cancelled", cancelled.json().path("status").asText());
    assertEquals(
        200,
        node.http.post("/tickets/" + id + "/cancel", null, new byte[0]).status(),
        "cancelling twice is fine");
    await()
        .atMost(Duration.ofSeconds(15))
        .until(
            () ->
                "cancelled".equals(node.http.get("/tickets/" + id).json().path("status").asText()));

    Response conflict =
        node.http.postJson("/tickets/" + id + "/assign", "{\"assignee\":\"carol\"}");
    assertEquals(409, conflict.status(), conflict.toString());
    assertTrue(conflict.json().path("error").asText().contains("cancelled"));
  }

  @Test
  void supportAnswersACustomersTicketAndItsHistoryTellsWhatHappenedOldestFirst() {
    String id = node.customerTicket("The app crashes on start").toString();
    String reply = "Thanks! Which version?\n\tCarol — 支持";

    Response answered = answer(id, reply);
    assertEquals(200, answered.status(), answered.toString());
    assertEquals("awaiting", answered.json().path("status").asText());
    assertEquals(id, answered.json().path("ticketId").asText());
    assertEquals(200, answer(id, reply).status(), "the same reply again: recorded once");
    assertEquals(
        200, node.http.postJson("/tickets/" + id + "/assign", "{\"assignee\":\"alice\"}").status());
    assertEquals(200, answer(id, "Fixed in 2.1.").status(), "while assigned");
    assertEquals(200, node.http.post("/tickets/" + id + "/cancel", null, new byte[0]).status());

    Response history = node.http.get("/tickets/" + id + "/history");
    assertEquals(200, history.status(), history.toString());
    assertEquals("application/json", history.header("Content-Type"));
    List<String> what = new ArrayList<>();
    history.json().forEach(e -> what.add(e.path("what").asText()));
    assertEquals(List.of("prepared", "answered", "assigned", "answered", "cancelled"), what);
    JsonNode prepared = history.json().get(0);
    assertEquals("customer-service", prepared.path("by").asText());
    assertEquals("customer-service", prepared.path("details").path("origin").asText());
    assertEquals("customer-issue", prepared.path("details").path("ticketType").asText());
    assertEquals("The app crashes on start", prepared.path("details").path("description").asText());
    JsonNode first = history.json().get(1);
    assertEquals(reply, first.path("details").path("reply").asText());
    assertEquals(TestEmployees.OPERATOR, first.path("by").asText());
    JsonNode assigned = history.json().get(2);
    assertEquals("alice", assigned.path("details").path("assignee").asText());
    assertEquals(TestEmployees.OPERATOR, assigned.path("by").asText());
    assertEquals("Fixed in 2.1.", history.json().get(3).path("details").path("reply").asText());
    assertEquals(TestEmployees.OPERATOR, history.json().get(4).path("by").asText());
    for (int i = 1; i < history.json().size(); i++) {
      assertTrue(
          history
                  .json()
                  .get(i - 1)
                  .path("at")
                  .asText()
                  .compareTo(history.json().get(i).path("at").asText())
              <= 0,
          history.toString());
    }

    assertError(409, "cancelled", answer(id, "Too late?"));
  }

  @Test
  void anInternalTicketHasNoCustomerToAnswerAndItsHistoryIsThereAtOnce() {
    String id = create("no customer here");

    assertError(409, "no customer to answer", answer(id, "Hello?"));
    Response history = node.http.get("/tickets/" + id + "/history");
    assertEquals(200, history.status(), "from the journal, not the read model: " + history);
    assertEquals(1, history.json().size(), history.toString());
    JsonNode prepared = history.json().get(0);
    assertEquals("prepared", prepared.path("what").asText());
    assertTrue(prepared.path("by").isNull(), "an internal ticket's preparer is not recorded");
    assertEquals("backoffice", prepared.path("details").path("origin").asText());
    assertTrue(
        prepared.path("at").asText().matches("\\d{4}-\\d\\d-\\d\\dT.*Z"), prepared.toString());
  }

  @ParameterizedTest(name = "{1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "{}                                | reply is required",
        "{\"reply\":null}                  | reply is required",
        "{\"reply\":\"  \"}                | reply must not be blank",
        "{\"reply\":\"a\\u0007b\"}          | reply must not contain control characters",
        "{\"reply\":7}                     | invalid field 'reply': expected a string",
        "{\"reply\":\"r\",\"cc\":\"x\"}      | unknown field 'cc'",
      })
  void anInvalidReplyIsABadRequestNamingTheField(String body, String problem) {
    assertError(
        400, problem, node.http.postJson("/tickets/" + customersTicket() + "/answer", body));
  }

  @Test
  void aReplyOfTenThousandCharactersOfAnyScriptIsTakenOneMoreIsNot() {
    String id = customersTicket();
    assertEquals(200, answer(id, "回".repeat(10_000)).status());
    assertError(400, "reply must be at most 10000 characters", answer(id, "回".repeat(10_001)));
  }

  @Test
  void unknownTicketsAreNotFound() {
    String unknown = UUID.randomUUID().toString();
    assertError(404, "does not exist", node.http.get("/tickets/" + unknown));
    assertError(
        404,
        "does not exist",
        node.http.postJson("/tickets/" + unknown + "/assign", "{\"assignee\":\"alice\"}"));
    assertError(
        404,
        "does not exist",
        node.http.post("/tickets/" + unknown + "/cancel", null, new byte[0]));
    assertError(404, "does not exist", answer(unknown, "hello"));
    assertError(404, "does not exist", node.http.get("/tickets/" + unknown + "/history"));
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
    "GET, /tickets/not-a-uuid",
    "POST, /tickets/not-a-uuid/cancel",
    "POST, /tickets/12345/assign",
    "GET, /tickets/0b7e3c4a-8f2d-4a41-9d7e-3f1c2b9a6e5",
    "GET, /tickets/not-a-uuid/history",
    "POST, /tickets/not-a-uuid/answer",
  })
  void aMalformedTicketIdIsABadRequest(String method, String path) {
    byte[] body = "{\"assignee\":\"alice\"}".getBytes(UTF_8);
    assertError(
        400,
        "ticketId must be a UUID",
        node.http.send(method, path, "application/json", method.equals("GET") ? null : body));
  }

  @ParameterizedTest(name = "{1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"ticketType\":\"t\"                                   | malformed JSON",
        "[1,2]                                                    | must be a JSON object",
        "null                                                     | must be a JSON object",
        "{\"ticketType\":\"t\",\"description\":\"d\",\"x\":1}     | unknown field 'x'",
        "{\"description\":\"d\"}                                  | ticketType is required",
        "{\"ticketType\":\"t\"}                                   | description is required",
        "{\"ticketType\":7,\"description\":\"d\"}                 | invalid field 'ticketType': expected a string",
        "{\"ticketType\":\"  \",\"description\":\"d\"}            | ticketType must not be blank",
        "{\"ticketType\":\"t\",\"description\":\"a\\u0000b\"}     | description must not contain control characters",
      })
  void anInvalidNewTicketIsABadRequestNamingTheProblem(String body, String problem) {
    assertError(400, problem, node.http.postJson("/tickets", body));
  }

  @Test
  void anEmptyBodyIsABadRequest() {
    assertError(
        400,
        "request body is required",
        node.http.post("/tickets", "application/json", new byte[0]));
  }

  @Test
  void tooLongTextIsABadRequest() {
    assertError(
        400,
        "description must be at most 10000 characters",
        node.http.postJson(
            "/tickets", "{\"ticketType\":\"t\",\"description\":\"" + "x".repeat(10_001) + "\"}"));
    assertError(
        400,
        "assignee",
        node.http.postJson(
            "/tickets/" + create("x") + "/assign", "{\"assignee\":\"" + "a".repeat(201) + "\"}"));
    assertError(
        400,
        "assignee is required",
        node.http.postJson("/tickets/" + create("y") + "/assign", "{}"));
  }

  @Test
  void aBodyOverTheLimitIsTooLarge() {
    String big = "{\"ticketType\":\"t\",\"description\":\"" + "x".repeat(70_000) + "\"}";
    assertError(413, "too large", node.http.postJson("/tickets", big));
    String huge = "{\"ticketType\":\"t\",\"description\":\"" + "x".repeat(2_000_000) + "\"}";
    assertError(413, "", node.http.postJson("/tickets", huge));
  }

  @Test
  void aBodyThatIsNotJsonIsAnUnsupportedMediaType() {
    assertError(
        415, "application/json", node.http.post("/tickets", "text/plain", "{}".getBytes(UTF_8)));
    assertError(415, "application/json", node.http.post("/tickets", null, "{}".getBytes(UTF_8)));
  }

  @Test
  void theLastPreparedTicketsComeNewestFirstAndCanBeFilteredByStatus() {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ids.add(create("list " + i));
    }
    node.http.post("/tickets/" + ids.get(0) + "/cancel", null, new byte[0]);
    await()
        .atMost(Duration.ofSeconds(15))
        .until(() -> statusOf(ids.get(0)).equals("cancelled") && !statusOf(ids.get(2)).isEmpty());

    Response all = node.http.get("/tickets?limit=500");
    assertEquals(200, all.status());
    List<String> order = new ArrayList<>();
    all.json().forEach(t -> order.add(t.path("ticketId").asText()));
    assertTrue(
        order.indexOf(ids.get(2)) < order.indexOf(ids.get(1))
            && order.indexOf(ids.get(1)) < order.indexOf(ids.get(0)),
        order.toString());

    Response cancelled = node.http.get("/tickets?status=cancelled");
    cancelled.json().forEach(t -> assertEquals("cancelled", t.path("status").asText()));
    assertTrue(cancelled.body().contains(ids.get(0)));
    Response awaiting = node.http.get("/tickets?status=awaiting&limit=1");
    assertEquals(1, awaiting.json().size());
    assertEquals(ids.get(2), awaiting.json().get(0).path("ticketId").asText());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "/tickets?status=open        | 'status': must be one of awaiting, assigned, cancelled",
        "/tickets?limit=0            | 'limit': must be a whole number from 1 to 500",
        "/tickets?limit=501          | 'limit'",
        "/tickets?limit=ten          | 'limit'",
        "/dead-letters?limit=-1      | 'limit'",
      })
  void invalidQueryParametersAreABadRequest(String path, String problem) {
    assertError(400, problem, node.http.get(path));
  }

  @Test
  void unknownPathsAndMethodsGetJsonErrors() {
    assertError(404, "no such resource", node.http.get("/nothing-here"));
    assertError(405, "allowed: GET, POST", node.http.send("DELETE", "/tickets", null, null));
    assertError(
        405,
        "allowed",
        node.http.send("PUT", "/tickets/" + UUID.randomUUID() + "/cancel", null, null));
    assertError(400, "dead letter id must be a number", node.http.get("/dead-letters/abc"));
    assertError(404, "does not exist", node.http.get("/dead-letters/987654"));
    assertError(
        404, "does not exist", node.http.post("/dead-letters/987654/replay", null, new byte[0]));
    assertError(404, "does not exist", node.http.delete("/dead-letters/987654"));
  }

  @Test
  void healthSaysTheNodeCanServe() {
    Response health = node.http.get("/health");
    assertEquals(200, health.status(), health.toString());
    assertEquals("UP", health.json().path("status").asText());
    assertEquals(200, node.http.get("/health/live").status());
    Response ready = node.http.get("/health/ready");
    assertEquals(200, ready.status(), ready.toString());
    assertEquals("UP", ready.json().path("checks").path("database").asText());
    assertEquals("UP", ready.json().path("checks").path("broker").asText());
    assertEquals(200, node.http.get("/dead-letters").status());
  }

  private static String create(String description) {
    Response created =
        node.http.postJson(
            "/tickets", "{\"ticketType\":\"internal\",\"description\":\"" + description + "\"}");
    assertEquals(201, created.status(), created.toString());
    return created.json().path("ticketId").asText();
  }

  private static String customersTicket;

  /** One ticket from a customer's issue for the tests that only need one to exist. */
  private static synchronized String customersTicket() {
    if (customersTicket == null) {
      customersTicket = node.customerTicket("answer me").toString();
    }
    return customersTicket;
  }

  private static Response answer(String id, String reply) {
    try {
      return node.http.postJson(
          "/tickets/" + id + "/answer",
          com.fasterxml.jackson.databind.json.JsonMapper.builder()
              .build()
              .writeValueAsString(java.util.Map.of("reply", reply)));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String statusOf(String id) {
    Response r = node.http.get("/tickets/" + id);
    return r.status() == 200 ? r.json().path("status").asText() : "";
  }

  private static JsonNode awaitTicket(String id) {
    await()
        .atMost(Duration.ofSeconds(15))
        .until(() -> node.http.get("/tickets/" + id).status() == 200);
    return node.http.get("/tickets/" + id).json();
  }

  private static void assertError(int status, String problem, Response response) {
    assertEquals(status, response.status(), response.toString());
    assertEquals("application/json", response.header("Content-Type"), response.toString());
    String error = response.json().path("error").asText();
    assertTrue(error.contains(problem), () -> "error '" + error + "' should mention " + problem);
  }
}
