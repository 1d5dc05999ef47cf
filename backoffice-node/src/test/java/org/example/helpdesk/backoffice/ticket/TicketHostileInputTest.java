package org.example.helpdesk.backoffice.ticket;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.AMQP;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.example.helpdesk.backoffice.BackofficeTestNode;
import org.example.helpdesk.backoffice.Browser;
import org.example.helpdesk.testsupport.HttpTestClient;
import org.example.helpdesk.testsupport.HttpTestClient.Response;
import org.example.helpdesk.testsupport.RawHttp;
import org.example.helpdesk.testsupport.RawHttp.Request;
import org.example.helpdesk.testsupport.TestEmployees;
import org.example.helpdesk.testsupport.UnreadableRequests;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Hostile requests against every route of the backoffice node: each gets the documented 4xx with a
 * JSON {@code {"error": ...}} naming the problem, and none of them changes anything stored or stops
 * the node from serving.
 *
 * <p>Requests go over a raw socket ({@link RawHttp}), so that they can be as broken as an attacker
 * likes. In paths, {@code {ticket}} stands for an existing ticket and {@code {dl}} for an existing
 * dead letter.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TicketHostileInputTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static BackofficeTestNode node;
  private static String ticketId;
  private static long deadLetterId;
  private static Stored before;
  private static Browser operator;

  /** One hostile request and what the node must answer. */
  record Case(String name, Request request, int status, String error) {
    @Override
    public String toString() {
      return name;
    }
  }

  /** What the node has stored: row counts and a fingerprint of the rows. */
  record Stored(
      long events,
      long eventsMaxOrdering,
      long tickets,
      String ticketsDigest,
      long deadLetters,
      String deadLettersDigest) {}

  @BeforeAll
  static void start() {
    node = new BackofficeTestNode();
    Response created =
        node.http.postJson(
            "/tickets",
            "{\"ticketType\":\"internal\",\"description\":\"target of the hostile requests\"}");
    assertEquals(201, created.status(), created.toString());
    ticketId = created.json().path("ticketId").asText();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> node.http.get("/tickets/" + ticketId).status() == 200);

    // a dead letter, so that the dead-letter routes have something hostile requests could damage
    BackofficeTestNode.publishRaw(
        new AMQP.BasicProperties.Builder()
            .type("ticket.cancel")
            .messageId("hostile-target")
            .build(),
        "not json".getBytes(UTF_8));
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> node.http.get("/dead-letters").json().size() == 1);
    deadLetterId = node.http.get("/dead-letters").json().get(0).path("id").asLong();

    before = stored();
  }

  @AfterAll
  static void stop() {
    if (node != null) {
      node.close();
    }
  }

  @Order(1)
  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void aHostileRequestGetsTheDocumentedJsonError(Case c) {
    Request request =
        new Request(
            c.request().method(),
            c.request()
                .target()
                .replace("{ticket}", ticketId)
                .replace("{dl}", Long.toString(deadLetterId)),
            c.request().headers(),
            c.request().body(),
            c.request().chunked());

    RawHttp.Reply response = RawHttp.send(node.node.node().httpAddress().getPort(), request);

    assertEquals(c.status(), response.status(), () -> c.name() + ": " + response);
    String contentType = response.header("Content-Type");
    assertNotNull(contentType, () -> "no Content-Type: " + response);
    assertTrue(contentType.startsWith("application/json"), () -> "not JSON: " + response);
    JsonNode body;
    try {
      body = JSON.readTree(response.body());
    } catch (Exception e) {
      throw new AssertionError("body is not JSON: " + response, e);
    }
    assertTrue(
        body.isObject() && body.path("error").isTextual(),
        () -> "no {\"error\": ...}: " + response);
    String error = body.path("error").asText();
    assertTrue(
        error.contains(c.error()),
        () -> c.name() + ": expected the error to mention '" + c.error() + "' but got: " + error);
  }

  @Order(2)
  @Test
  void afterAllOfThemTheNodeKeepsServingAndNothingStoredChanged() {
    Stored after = stored();
    assertEquals(before, after, "hostile requests must not change what is stored");
    assertEquals(200, node.http.get("/health").status());
    assertEquals(200, node.http.get("/tickets/" + ticketId).status());
    assertEquals("awaiting", node.http.get("/tickets/" + ticketId).json().path("status").asText());
    assertEquals(200, node.http.get("/dead-letters/" + deadLetterId).status());

    Response created =
        node.http.postJson(
            "/tickets", "{\"ticketType\":\"internal\",\"description\":\"still serving\"}");
    assertEquals(201, created.status(), created.toString());
    String id = created.json().path("ticketId").asText();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> node.http.get("/tickets/" + id).status() == 200);
    assertEquals(before.tickets() + 1, stored().tickets());
  }

  // ---- gaps this test found, fixed since (they run after the check above, which counts what is
  // stored) ------------------------------------------------------------------------------------

  @Order(3)
  @ParameterizedTest(name = "{0}")
  @MethodSource("invisibleText")
  void textOfOnlyInvisibleCharactersIsRefused(String name, String field, String escaped) {
    Response response =
        switch (field) {
          case "ticketType" ->
              node.http.postJson(
                  "/tickets", "{\"ticketType\":\"" + escaped + "\",\"description\":\"d\"}");
          case "description" ->
              node.http.postJson(
                  "/tickets", "{\"ticketType\":\"t\",\"description\":\"" + escaped + "\"}");
          default ->
              node.http.postJson(
                  "/tickets/" + ticketId + "/assign", "{\"assignee\":\"" + escaped + "\"}");
        };
    assertJsonError(400, field, response);
  }

  static Stream<Arguments> invisibleText() {
    String[][] texts = {
      {"no-break space U+00A0", "\\u00a0"},
      {"figure and narrow no-break spaces", "\\u2007\\u202f"},
      {"zero-width space U+200B", "\\u200b"},
      {"byte-order mark U+FEFF", "\\ufeff"}
    };
    return Stream.of("ticketType", "description", "assignee")
        .flatMap(
            field -> Stream.of(texts).map(t -> Arguments.of(field + " of " + t[0], field, t[1])));
  }

  @Order(4)
  @Test
  void duplicateKeysAreRefused() {
    assertJsonError(
        400,
        "ticketType",
        node.http.postJson(
            "/tickets", "{\"ticketType\":\"a\",\"ticketType\":\"b\",\"description\":\"d\"}"));
  }

  @Order(5)
  @ParameterizedTest(name = "{0}")
  @MethodSource("multiMegabyteBodies")
  void aMultiMegabyteBodyIsTooLargeOnEveryRoute(String name, Request request) {
    RawHttp.Reply response = RawHttp.send(port(), request);
    assertEquals(413, response.status(), response::toString);
    assertTrue(response.body().contains("too large"), response::toString);
  }

  static Stream<Arguments> multiMegabyteBodies() {
    byte[] big = new byte[3_000_000];
    return Stream.of(
        Arguments.of(
            "3 MB to POST /tickets/{unknown}/cancel",
            Request.of("POST", "/tickets/" + UNKNOWN + "/cancel").body("application/json", big)),
        Arguments.of(
            "3 MB to POST /dead-letters/987654321/replay",
            Request.of("POST", "/dead-letters/987654321/replay").body("application/json", big)),
        Arguments.of(
            "3 MB to GET /health", Request.of("GET", "/health").body("application/json", big)),
        // within the hard limit of the server, over the API's 64 KiB
        Arguments.of(
            "100,000 bytes to POST /tickets/{unknown}/cancel",
            Request.of("POST", "/tickets/" + UNKNOWN + "/cancel")
                .body("application/json", new byte[100_000])));
  }

  /** Issue 14: HEAD is answered wherever GET is, as GET without the body. */
  @Order(1)
  @ParameterizedTest(name = "HEAD {0}")
  @ValueSource(
      strings = {
        "/tickets",
        "/tickets?status=awaiting",
        "/tickets/{ticket}",
        "/dead-letters",
        "/dead-letters/{dl}",
        "/health",
        "/metrics",
        "/openapi.json"
      })
  void headIsAnsweredLikeGetWithoutTheBody(String path) {
    RawHttp.Reply get = quick("GET", path);
    RawHttp.Reply head = quick("HEAD", path);
    assertEquals(200, get.status(), () -> "GET " + path + ": " + get);
    assertEquals(200, head.status(), () -> "HEAD " + path + ": " + head);
    assertEquals("", head.body(), () -> "HEAD " + path + " has no body");
    assertEquals(get.header("Content-Type"), head.header("Content-Type"), path);
  }

  /** Issue 14: HEAD of a route that serves no GET is its 405, without the body. */
  @Order(1)
  @Test
  void headWhereThereIsNoGetIs405WithoutTheBody() {
    RawHttp.Reply cancel = quick("HEAD", "/tickets/{ticket}/cancel");
    assertEquals(405, cancel.status(), cancel::toString);
    assertEquals("", cancel.body());
  }

  /** Issue 14: a trailing slash is ignored on every route (as on the customer node). */
  @Order(1)
  @ParameterizedTest(name = "GET {0}/")
  @ValueSource(
      strings = {"/tickets", "/tickets/{ticket}", "/dead-letters", "/dead-letters/{dl}", "/health"})
  void aTrailingSlashIsIgnored(String path) {
    RawHttp.Reply without = quick("GET", path);
    RawHttp.Reply with = quick("GET", path + "/");
    assertEquals(200, with.status(), () -> path + "/: " + with);
    assertEquals(without.body(), with.body(), path + "/");
  }

  /** Issue 14: the console's lists refuse a repeated filter as the API does, on a page. */
  @Order(1)
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "/console/tickets?status=awaiting&status=cancelled | status",
        "/console/tickets/rows?page=1&page=2               | page",
        "/console/dead-letters?deleted=1&deleted=2         | deleted"
      })
  void theConsoleRefusesARepeatedFilter(String query, String parameter) {
    var page = operator().get(query);
    assertEquals(400, page.status(), () -> query + ": " + page);
    // (the page escapes the quotes around the name)
    assertTrue(
        page.body().contains("invalid query parameter &#39;" + parameter + "&#39;: given 2 times"),
        () -> query + ": " + page);
  }

  /** ...and takes each filter given once. */
  @Order(1)
  @Test
  void theConsoleTakesEachFilterOnce() {
    assertEquals(200, operator().get("/console/tickets?status=awaiting&page=1").status());
  }

  /**
   * Issue 14: a request line the parser cannot read gets its 400 at once, not after the server's 60
   * s idle-timeout; an overlong request line or header its 414 or 431.
   */
  @Order(1)
  @ParameterizedTest(name = "{0}")
  @MethodSource("unreadableRequests")
  void aBrokenRequestLineIsAnsweredAtOnce(UnreadableRequests.Unreadable unreadable) {
    UnreadableRequests.assertAnsweredAtOnce(port(), unreadable);
  }

  static List<UnreadableRequests.Unreadable> unreadableRequests() {
    return UnreadableRequests.cases("/tickets");
  }

  private static RawHttp.Reply quick(String method, String path) {
    return RawHttp.sendUntilClosed(
        port(),
        method,
        path.replace("{ticket}", ticketId).replace("{dl}", Long.toString(deadLetterId)),
        "Authorization: "
            + HttpTestClient.basic(TestEmployees.OPERATOR, TestEmployees.OPERATOR_PASSWORD));
  }

  /** The operator's browser, signed in once for the console cases. */
  private static Browser operator() {
    if (operator == null) {
      operator = node.browser().signIn(TestEmployees.OPERATOR, TestEmployees.OPERATOR_PASSWORD);
    }
    return operator;
  }

  private static int port() {
    return node.node.node().httpAddress().getPort();
  }

  private static void assertJsonError(int status, String error, Response response) {
    assertEquals(status, response.status(), response::toString);
    assertTrue(response.header("Content-Type").startsWith("application/json"), response::toString);
    assertTrue(response.json().path("error").asText().contains(error), response::toString);
  }

  private static Stored stored() {
    return new Stored(
        node.sql.count("SELECT count(*) FROM event_journal"),
        node.sql.count("SELECT coalesce(max(ordering), 0) FROM event_journal"),
        node.sql.count("SELECT count(*) FROM tickets"),
        String.valueOf(
            node.sql
                .rows(
                    "SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY ticket_id), '')) AS d FROM tickets t")
                .get(0)
                .get("d")),
        node.sql.count("SELECT count(*) FROM dead_letters"),
        String.valueOf(
            node.sql
                .rows(
                    "SELECT md5(coalesce(string_agg(d::text, '|' ORDER BY id), '')) AS d FROM dead_letters d")
                .get(0)
                .get("d")));
  }

  // ---- the cases ------------------------------------------------------------------------------

  private static final String UNKNOWN = "6f1c0b3e-2d4a-4c8e-9b7a-1e2f3a4b5c6d";
  private static final String NOT_JSON = "Content-Type must be application/json";
  private static final String MALFORMED = "malformed JSON";
  private static final String NOT_OBJECT = "must be a JSON object";
  private static final String BAD_TICKET_ID = "ticketId must be a UUID";
  private static final String BAD_LETTER_ID = "dead letter id must be a number";
  private static final String NO_SUCH = "no such resource";

  static Stream<Case> cases() {
    List<Case> cases = new ArrayList<>();
    cases.addAll(newTicketBodies());
    cases.addAll(assignmentBodies());
    cases.addAll(
        bodyLimitsAndContentTypes("/tickets", "{\"ticketType\":\"t\",\"description\":\"%s\"}"));
    cases.addAll(bodyLimitsAndContentTypes("/tickets/{ticket}/assign", "{\"assignee\":\"%s\"}"));
    cases.addAll(ticketIdsInPaths());
    cases.addAll(queryParameters());
    cases.addAll(deadLetterRoutes());
    cases.addAll(unknownPathsAndMethods());
    cases.addAll(brokenRequests());
    cases.addAll(charsetsAndEncodings());
    return cases.stream();
  }

  /** {@code POST /tickets}: every way a body can be wrong. */
  private static List<Case> newTicketBodies() {
    String p = "/tickets";
    List<Case> c = new ArrayList<>();
    table(
        c,
        "create",
        p,
        """
        truncated before the closing brace | {"ticketType":"t","description":"d"          | malformed JSON
        truncated inside a field name      | {"ticketType":"t","descr                    | malformed JSON
        truncated after a colon            | {"ticketType":                              | malformed JSON
        truncated inside a string          | {"ticketType":"t","description":"no end     | malformed JSON
        just an opening brace              | {                                           | malformed JSON
        form encoding labelled as JSON     | ticketType=t&description=d                  | malformed JSON
        single quotes                      | {'ticketType':'t','description':'d'}        | malformed JSON
        unquoted names                     | {ticketType:"t",description:"d"}            | malformed JSON
        trailing comma                     | {"ticketType":"t","description":"d",}       | malformed JSON
        a comment                          | {/* hi */"ticketType":"t","description":"d"} | malformed JSON
        NaN                                | {"ticketType":NaN,"description":"d"}        | malformed JSON
        trailing garbage                   | {"ticketType":"t","description":"d"} garbage | malformed JSON
        two documents                      | {"ticketType":"t","description":"d"}{"ticketType":"t","description":"d"} | malformed JSON
        invalid escape                     | {"ticketType":"t","description":"\\x41"}     | malformed JSON
        empty body                         |                                             | a JSON request body is required
        null                               | null                                        | must be a JSON object
        an array                           | [{"ticketType":"t","description":"d"}]      | must be a JSON object
        a string                           | "ticketType"                                | must be a JSON object
        a number                           | 42                                          | must be a JSON object
        a boolean                          | true                                        | must be a JSON object
        """);
    // (bodies a table line cannot hold: a raw control character, only white space)
    c.add(
        json(
            "create: raw control character inside a string",
            p,
            "{\"ticketType\":\"t\",\"description\":\"a\u0007b\"}",
            400,
            MALFORMED));
    c.add(json("create: whitespace-only body", p, "  \r\n\t ", 400, NOT_OBJECT));
    // wrong types
    for (String field : List.of("ticketType", "description")) {
      String other = field.equals("ticketType") ? "description" : "ticketType";
      for (String value :
          List.of("7", "-1.5e300", "true", "false", "[]", "[\"t\"]", "{}", "{\"text\":\"t\"}")) {
        c.add(
            json(
                "create: " + field + " = " + value,
                p,
                "{\"" + other + "\":\"x\",\"" + field + "\":" + value + "}",
                400,
                "invalid field '" + field + "': expected a string"));
      }
      c.add(
          json(
              "create: " + field + " = null",
              p,
              "{\"" + other + "\":\"x\",\"" + field + "\":null}",
              400,
              field + " is required"));
      c.add(
          json(
              "create: " + field + " missing",
              p,
              "{\"" + other + "\":\"x\"}",
              400,
              field + " is required"));
      c.add(
          json(
              "create: " + field + " empty",
              p,
              "{\"" + other + "\":\"x\",\"" + field + "\":\"\"}",
              400,
              field + " must not be blank"));
      c.add(
          json(
              "create: " + field + " only spaces",
              p,
              "{\"" + other + "\":\"x\",\"" + field + "\":\"     \"}",
              400,
              field + " must not be blank"));
      c.add(
          json(
              "create: " + field + " only whitespace",
              p,
              "{\"" + other + "\":\"x\",\"" + field + "\":\" \\t\\r\\n \\u2003 \"}",
              400,
              field + " must not be blank"));
      for (String control : List.of("\\u0000", "\\u0007", "\\u001b[31m", "\\u007f", "\\u009b")) {
        c.add(
            json(
                "create: " + field + " with " + control,
                p,
                "{\"" + other + "\":\"x\",\"" + field + "\":\"a" + control + "b\"}",
                400,
                field + " must not contain control characters"));
      }
    }
    for (String half : List.of("\\ud800", "a\\udc00b", "\\udc00\\ud800", "x\\ud83d")) {
      c.add(
          json(
              "create: description with half a character " + half,
              p,
              "{\"ticketType\":\"t\",\"description\":\"" + half + "\"}",
              400,
              "description must be valid Unicode"));
      c.add(
          json(
              "create: ticketType with half a character " + half,
              p,
              "{\"ticketType\":\"" + half + "\",\"description\":\"d\"}",
              400,
              "ticketType must be valid Unicode"));
    }
    c.add(
        bytes(
            "create: an encoded surrogate (CESU-8 ED A0 80)",
            p,
            "application/json",
            utf8WithRaw(
                "{\"ticketType\":\"t\",\"description\":\"",
                new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
                "\"}"),
            400,
            "UTF-8"));
    c.add(
        bytes(
            "create: a code point past U+10FFFF (F4 90 80 80)",
            p,
            "application/json",
            utf8WithRaw(
                "{\"ticketType\":\"t\",\"description\":\"",
                new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80},
                "\"}"),
            400,
            "UTF-8"));
    c.add(json("create: nothing at all", p, "{}", 400, "ticketType is required"));
    // missing and unknown fields (required fields are checked first)
    table(
        c,
        "create",
        p,
        """
        unknown field                      | {"ticketType":"t","description":"d","priority":"high"}        | unknown field 'priority'
        choosing its own ticketId          | {"ticketId":"{unknown}","ticketType":"t","description":"d"}   | unknown field 'ticketId'
        setting its own status             | {"ticketType":"t","description":"d","status":"assigned"}      | unknown field 'status'
        a field name in another case       | {"TicketType":"t","description":"d"}                          | ticketType is required
        an empty field name                | {"":"t","ticketType":"t","description":"d"}                   | unknown field ''
        """);
    // lengths
    c.add(
        json(
            "create: 10,001-character description",
            p,
            "{\"ticketType\":\"t\",\"description\":\"" + "x".repeat(10_001) + "\"}",
            400,
            "description must be at most 10000 characters"));
    c.add(
        json(
            "create: 101-character ticketType",
            p,
            "{\"ticketType\":\"" + "t".repeat(101) + "\",\"description\":\"d\"}",
            400,
            "ticketType must be at most 100 characters"));
    c.add(
        json(
            "create: 5,001 emoji description (10,002 UTF-16 units)",
            p,
            "{\"ticketType\":\"t\",\"description\":\"" + "\uD83D\uDE00".repeat(5_001) + "\"}",
            400,
            "description must be at most 10000 characters"));
    c.add(
        json(
            "create: a 5,000-digit number",
            p,
            "{\"ticketType\":" + "9".repeat(5_000) + ",\"description\":\"d\"}",
            400,
            "Number value length"));
    // invalid UTF-8
    c.add(
        bytes(
            "create: invalid UTF-8 C3 28 in a string",
            p,
            "application/json",
            utf8WithRaw(
                "{\"ticketType\":\"t\",\"description\":\"", new byte[] {(byte) 0xC3, 0x28}, "\"}"),
            400,
            "UTF-8"));
    c.add(
        bytes(
            "create: invalid UTF-8 FF in a string",
            p,
            "application/json",
            utf8WithRaw(
                "{\"ticketType\":\"t\",\"description\":\"", new byte[] {(byte) 0xFF}, "\"}"),
            400,
            "UTF-8"));
    c.add(
        bytes(
            "create: lone continuation byte 80",
            p,
            "application/json",
            utf8WithRaw(
                "{\"ticketType\":\"t\",\"description\":\"", new byte[] {(byte) 0x80}, "\"}"),
            400,
            "UTF-8"));
    c.add(
        bytes(
            "create: truncated 3-byte sequence",
            p,
            "application/json",
            utf8WithRaw(
                "{\"ticketType\":\"t\",\"description\":\"",
                new byte[] {(byte) 0xE2, (byte) 0x82},
                "\"}"),
            400,
            "UTF-8"));
    c.add(
        bytes(
            "create: a body of FF bytes",
            p,
            "application/json",
            new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF},
            400,
            MALFORMED));
    c.add(
        bytes(
            "create: overlong encoding of NUL (C0 80)",
            p,
            "application/json",
            utf8WithRaw(
                "{\"ticketType\":\"t\",\"description\":\"a",
                new byte[] {(byte) 0xC0, (byte) 0x80},
                "b\"}"),
            400,
            "UTF-8"));
    // nesting bombs, each under 64 KiB
    c.add(
        json(
            "create: 10,000 nested arrays",
            p,
            "[".repeat(10_000) + "]".repeat(10_000),
            400,
            NOT_OBJECT));
    c.add(
        json(
            "create: 10,000 nested objects",
            p,
            "{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000),
            400,
            "nest"));
    c.add(
        json(
            "create: 10,000 nested arrays as description",
            p,
            "{\"ticketType\":\"t\",\"description\":"
                + "[".repeat(10_000)
                + "]".repeat(10_000)
                + "}",
            400,
            "invalid field 'description'"));
    c.add(
        json(
            "create: 8,000 nested objects as description",
            p,
            "{\"ticketType\":\"t\",\"description\":"
                + "{\"a\":".repeat(8_000)
                + "1"
                + "}".repeat(8_000)
                + "}",
            400,
            "invalid field 'description'"));
    return c;
  }

  /** {@code POST /tickets/{id}/assign} on an existing ticket: every way a body can be wrong. */
  private static List<Case> assignmentBodies() {
    String p = "/tickets/{ticket}/assign";
    List<Case> c = new ArrayList<>();
    table(
        c,
        "assign",
        p,
        """
        truncated                          | {"assignee":"al                             | malformed JSON
        truncated after a colon            | {"assignee":                                | malformed JSON
        trailing garbage                   | {"assignee":"alice"};DROP TABLE tickets     | malformed JSON
        single quotes                      | {'assignee':'alice'}                        | malformed JSON
        empty body                         |                                             | a JSON request body is required
        null                               | null                                        | must be a JSON object
        an array                           | ["alice"]                                   | must be a JSON object
        a bare string                      | "alice"                                     | must be a JSON object
        a number                           | 1                                           | must be a JSON object
        """);
    for (String value :
        List.of("5", "0.5", "true", "[]", "[\"alice\"]", "{}", "{\"name\":\"alice\"}")) {
      c.add(
          json(
              "assign: assignee = " + value,
              p,
              "{\"assignee\":" + value + "}",
              400,
              "invalid field 'assignee': expected a string"));
    }
    table(
        c,
        "assign",
        p,
        """
        assignee = null                    | {"assignee":null}                           | assignee is required
        nothing                            | {}                                          | assignee is required
        unknown field                      | {"assignee":"alice","role":"admin"}         | unknown field 'role'
        only an unknown field              | {"assigned":"alice"}                        | assignee is required
        empty assignee                     | {"assignee":""}                             | assignee must not be blank
        spaces-only assignee               | {"assignee":"    "}                         | assignee must not be blank
        whitespace-only assignee           | {"assignee":"\\t\\n\\r \\u2028"}              | assignee must not be blank
        """);
    c.add(
        json(
            "assign: 201-character assignee",
            p,
            "{\"assignee\":\"" + "a".repeat(201) + "\"}",
            400,
            "assignee must be at most 200 characters"));
    for (String control : List.of("\\u0000", "\\u0007", "\\u001b[2J", "\\u0008", "\\u0085")) {
      c.add(
          json(
              "assign: assignee with " + control,
              p,
              "{\"assignee\":\"al" + control + "ice\"}",
              400,
              "assignee must not contain control characters"));
    }
    c.add(
        bytes(
            "assign: invalid UTF-8 C3 28",
            p,
            "application/json",
            utf8WithRaw("{\"assignee\":\"", new byte[] {(byte) 0xC3, 0x28}, "\"}"),
            400,
            "UTF-8"));
    c.add(
        json(
            "assign: half a character",
            p,
            "{\"assignee\":\"al\\udc00ice\"}",
            400,
            "assignee must be valid Unicode"));
    c.add(
        bytes(
            "assign: invalid UTF-8 FF",
            p,
            "application/json",
            utf8WithRaw("{\"assignee\":\"", new byte[] {(byte) 0xFF}, "\"}"),
            400,
            "UTF-8"));
    c.add(
        json(
            "assign: 10,000 nested arrays",
            p,
            "[".repeat(10_000) + "]".repeat(10_000),
            400,
            NOT_OBJECT));
    c.add(
        json(
            "assign: 10,000 nested objects as assignee",
            p,
            "{\"assignee\":" + "{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000) + "}",
            400,
            "invalid field 'assignee'"));
    c.add(
        json(
            "assign: 10,000 nested arrays under an unknown field",
            p,
            "{\"x\":" + "[".repeat(10_000) + "]".repeat(10_000) + ",\"assignee\":\"alice\"}",
            400,
            "nest"));
    // a well-formed body, but the ticket id is wrong or unknown
    c.add(
        json(
            "assign: unknown ticket",
            "/tickets/" + UNKNOWN + "/assign",
            "{\"assignee\":\"alice\"}",
            404,
            "does not exist"));
    c.add(
        json(
            "assign: unknown ticket and a bad body",
            "/tickets/" + UNKNOWN + "/assign",
            "{\"assignee\":7}",
            400,
            "invalid field 'assignee'"));
    c.add(
        json(
            "assign: malformed ticket id",
            "/tickets/not-a-uuid/assign",
            "{\"assignee\":\"alice\"}",
            400,
            BAD_TICKET_ID));
    return c;
  }

  /** Body size limits and content types of a route that reads a JSON body. */
  private static List<Case> bodyLimitsAndContentTypes(String path, String template) {
    String route = path.contains("assign") ? "assign" : "create";
    String valid = String.format(template, "x");
    List<Case> c = new ArrayList<>();
    c.add(
        json(
            route + ": 70,000-byte body (over 64 KiB)",
            path,
            String.format(template, "x".repeat(70_000)),
            413,
            "request body is too large"));
    c.add(
        json(
            route + ": 65,537-byte body (one over)",
            path,
            padTo(template, 65_537),
            413,
            "request body is too large"));
    c.add(
        json(
            route + ": 3 MB body",
            path,
            String.format(template, "x".repeat(3_000_000)),
            413,
            "too large"));
    c.add(
        new Case(
            route + ": 3 MB chunked body",
            Request.of("POST", path)
                .body(
                    "application/json",
                    String.format(template, "x".repeat(3_000_000)).getBytes(UTF_8))
                .asChunked(),
            413,
            "too large"));
    c.add(
        new Case(
            route + ": 70,000-byte chunked body",
            Request.of("POST", path)
                .body(
                    "application/json", String.format(template, "x".repeat(70_000)).getBytes(UTF_8))
                .asChunked(),
            413,
            "too large"));
    c.add(bytes(route + ": text/plain", path, "text/plain", valid.getBytes(UTF_8), 415, NOT_JSON));
    c.add(
        bytes(
            route + ": text/plain; charset=utf-8",
            path,
            "text/plain; charset=utf-8",
            valid.getBytes(UTF_8),
            415,
            NOT_JSON));
    c.add(
        bytes(
            route + ": application/xml",
            path,
            "application/xml",
            "<ticket><ticketType>t</ticketType></ticket>".getBytes(UTF_8),
            415,
            NOT_JSON));
    c.add(bytes(route + ": text/xml", path, "text/xml", "<a/>".getBytes(UTF_8), 415, NOT_JSON));
    c.add(bytes(route + ": no Content-Type", path, null, valid.getBytes(UTF_8), 415, NOT_JSON));
    c.add(
        bytes(
            route + ": multipart/form-data",
            path,
            "multipart/form-data; boundary=XyZ",
            ("--XyZ\r\nContent-Disposition: form-data; name=\"json\"\r\nContent-Type: application/json\r\n\r\n"
                    + valid
                    + "\r\n--XyZ--\r\n")
                .getBytes(UTF_8),
            415,
            NOT_JSON));
    c.add(
        bytes(
            route + ": application/x-www-form-urlencoded",
            path,
            "application/x-www-form-urlencoded",
            "ticketType=t&description=d&assignee=a".getBytes(UTF_8),
            415,
            NOT_JSON));
    c.add(
        bytes(
            route + ": application/octet-stream",
            path,
            "application/octet-stream",
            valid.getBytes(UTF_8),
            415,
            NOT_JSON));
    c.add(
        bytes(
            route + ": application/json-patch+json",
            path,
            "application/json-patch+json",
            valid.getBytes(UTF_8),
            415,
            NOT_JSON));
    c.add(
        bytes(
            route + ": a malformed Content-Type",
            path,
            "application/",
            valid.getBytes(UTF_8),
            415,
            NOT_JSON));
    // too large comes first: the server does not read 3 MB to find out what they are
    c.add(
        bytes(
            route + ": a 3 MB text/plain body",
            path,
            "text/plain",
            "x".repeat(3_000_000).getBytes(UTF_8),
            413,
            "too large"));
    return c;
  }

  /** Malformed, unknown and injected ticket ids on every ticket route. */
  private static List<Case> ticketIdsInPaths() {
    List<Case> c = new ArrayList<>();
    Map<String, String> badIds = new java.util.LinkedHashMap<>();
    badIds.put("too short", "6f1c0b3e-2d4a-4c8e-9b7a-1e2f3a4b5c6");
    badIds.put("too long", UNKNOWN + "0");
    badIds.put("non-hex", "6f1c0b3e-2d4a-4c8e-9b7a-1e2f3a4b5cZZ");
    badIds.put("without dashes", UNKNOWN.replace("-", ""));
    badIds.put("short groups UUID.fromString accepts", "1-2-3-4-5");
    badIds.put("in braces", "%7B" + UNKNOWN + "%7D");
    badIds.put("with a leading space", "%20" + UNKNOWN);
    badIds.put("with a trailing tab", UNKNOWN + "%09");
    badIds.put("with an encoded NUL", UNKNOWN + "%00");
    badIds.put("with an encoded slash", "6f1c0b3e%2F2d4a-4c8e-9b7a-1e2f3a4b5c6d");
    badIds.put("URL-encoded junk", "%3Cscript%3Ealert(1)%3C%2Fscript%3E");
    badIds.put("SQL injection", "'%20OR%20'1'%3D'1");
    badIds.put("SQL injection with a statement", "1%27%3B%20DROP%20TABLE%20tickets%3B--");
    badIds.put("a number", "12345");
    badIds.put("fullwidth digits", "%EF%BC%91%EF%BC%92%EF%BC%93");
    badIds.put("a 1,000-character segment", "a".repeat(1_000));
    for (Map.Entry<String, String> bad : badIds.entrySet()) {
      String id = bad.getValue();
      c.add(
          new Case(
              "GET a ticket id " + bad.getKey(),
              Request.of("GET", "/tickets/" + id),
              400,
              BAD_TICKET_ID));
      c.add(
          json(
              "assign a ticket id " + bad.getKey(),
              "/tickets/" + id + "/assign",
              "{\"assignee\":\"alice\"}",
              400,
              BAD_TICKET_ID));
      c.add(
          new Case(
              "cancel a ticket id " + bad.getKey(),
              Request.of("POST", "/tickets/" + id + "/cancel"),
              400,
              BAD_TICKET_ID));
    }
    c.add(
        new Case(
            "GET an unknown ticket",
            Request.of("GET", "/tickets/" + UNKNOWN),
            404,
            "ticket " + UNKNOWN + " does not exist"));
    c.add(
        new Case(
            "cancel an unknown ticket",
            Request.of("POST", "/tickets/" + UNKNOWN + "/cancel"),
            404,
            "ticket " + UNKNOWN + " does not exist"));
    c.add(
        new Case(
            "cancel an unknown ticket with a garbage body",
            Request.of("POST", "/tickets/" + UNKNOWN + "/cancel")
                .body("application/json", "{\"x\":".getBytes(UTF_8)),
            404,
            "does not exist"));
    return c;
  }

  private static List<Case> queryParameters() {
    List<Case> c = new ArrayList<>();
    forEach(
        c,
        List.of("open", "AWAITING", "", "awaiting%00", "'%20OR%20'1'%3D'1", "awaiting,cancelled"),
        400,
        "invalid query parameter 'status'",
        "GET /tickets?status=%s");
    forEach(
        c,
        List.of(
            "0",
            "-1",
            "501",
            "ten",
            "1e3",
            "0x10",
            "99999999999999999999",
            "",
            "1%20OR%201%3D1",
            "10.5"),
        400,
        "invalid query parameter 'limit'",
        "GET /tickets?limit=%s",
        "GET /dead-letters?limit=%s");
    // issue 14: a parameter given twice is refused, not silently one of its values
    forEach(
        c,
        List.of("status=awaiting&status=cancelled", "status=awaiting&status=awaiting"),
        400,
        "invalid query parameter 'status': given 2 times",
        "GET /tickets?%s",
        "GET /tickets/?%s");
    forEach(
        c,
        List.of("limit=1&limit=2", "limit=5&status=awaiting&limit=5"),
        400,
        "invalid query parameter 'limit': given 2 times",
        "GET /tickets?%s",
        "GET /dead-letters?%s");
    forEach(
        c,
        List.of("limit=1&limit=2&limit=3"),
        400,
        "invalid query parameter 'limit': given 3 times",
        "GET /dead-letters?%s");
    return c;
  }

  private static List<Case> deadLetterRoutes() {
    List<Case> c = new ArrayList<>();
    forEach(
        c,
        List.of(
            "abc",
            "1.5",
            "1e3",
            "0x1F",
            "99999999999999999999",
            "1%20OR%201%3D1",
            "1%27%3B%20DELETE%20FROM%20dead_letters%3B--",
            "%20",
            "{dl}abc",
            "-",
            UNKNOWN),
        400,
        BAD_LETTER_ID,
        "GET /dead-letters/%s",
        "DELETE /dead-letters/%s",
        "POST /dead-letters/%s/replay");
    c.add(row("GET /dead-letters/987654321", 404, "dead letter 987654321 does not exist"));
    c.add(row("GET /dead-letters/-5", 404, "dead letter -5 does not exist"));
    c.add(row("DELETE /dead-letters/987654321", 404, "does not exist"));
    c.add(row("POST /dead-letters/987654321/replay", 404, "does not exist"));
    return c;
  }

  /**
   * Issue 14: a JSON body in another charset, or in a coding the server does not read, is refused
   * (415) on every route that reads one; gzip and deflate are decoded, within the same size limit.
   */
  private static List<Case> charsetsAndEncodings() {
    List<Case> c = new ArrayList<>();
    Map<String, String> routes = new java.util.LinkedHashMap<>();
    routes.put("/tickets", "{\"ticketType\":\"t\",\"description\":\"%s\"}");
    routes.put("/tickets/{ticket}/assign", "{\"assignee\":\"%s\"}");
    routes.put("/dead-letters/{dl}/replay", "{\"ticketId\":\"%s\"}");
    for (Map.Entry<String, String> route : routes.entrySet()) {
      String path = route.getKey();
      byte[] valid = String.format(route.getValue(), "x").getBytes(UTF_8);
      for (String charset : List.of("ISO-8859-1", "windows-1252", "UTF-16", "klingon")) {
        c.add(
            bytes(
                path + ": charset=" + charset,
                path,
                "application/json; charset=" + charset,
                valid,
                415,
                "Content-Type must be application/json in UTF-8, not charset " + charset));
      }
      for (String coding : List.of("br", "foo", "gzip, br")) {
        c.add(
            new Case(
                path + ": Content-Encoding " + coding,
                Request.of("POST", path)
                    .body("application/json", valid)
                    .header("Content-Encoding", coding),
                415,
                "Content-Encoding '" + coding + "' is not supported"));
      }
      c.add(
          new Case(
              path + ": Content-Encoding gzip on a body that is not gzip",
              Request.of("POST", path)
                  .body("application/json", valid)
                  .header("Content-Encoding", "gzip"),
              400,
              "malformed request body"));
      // 10 MB that shrink to about 10 KB: the limit holds for what the body decodes to
      byte[] bomb = gzip(String.format(route.getValue(), "x".repeat(10_000_000)).getBytes(UTF_8));
      c.add(
          new Case(
              path + ": a gzip bomb (" + bomb.length + " bytes, 10 MB decoded)",
              Request.of("POST", path)
                  .body("application/json", bomb)
                  .header("Content-Encoding", "gzip"),
              413,
              "request body is too large"));
    }
    // decoded, and then checked like any other body
    c.add(
        new Case(
            "create: a gzip body with a blank ticketType",
            Request.of("POST", "/tickets")
                .body(
                    "application/json",
                    gzip("{\"ticketType\":\" \",\"description\":\"d\"}".getBytes(UTF_8)))
                .header("Content-Encoding", "gzip"),
            400,
            "ticketType must not be blank"));
    return c;
  }

  private static List<Case> unknownPathsAndMethods() {
    List<Case> c = new ArrayList<>();
    // ("/" leads to the console: ConsoleTest)
    for (String path :
        List.of(
            "/ticket",
            "/tickets-all",
            "/tickets/{ticket}/close",
            "/tickets/{ticket}/assign/x",
            "/dead-letter",
            "/dead-letters/{dl}/retry",
            "/dead-letters/{dl}/replay/x",
            "/health/nothing",
            "/admin",
            "/../../etc/passwd",
            "/%2e%2e/%2e%2e/etc/passwd",
            "/TICKETS")) {
      c.add(new Case("GET " + path, Request.of("GET", path), 404, NO_SUCH));
    }
    c.add(
        new Case(
            "POST /tickets/{id}/unknown",
            Request.of("POST", "/tickets/{ticket}/close")
                .body("application/json", "{}".getBytes(UTF_8)),
            404,
            NO_SUCH));
    Map<String, String> allowed = new java.util.LinkedHashMap<>();
    allowed.put("/tickets", "allowed: GET, POST");
    allowed.put("/tickets/{ticket}", "allowed: GET");
    allowed.put("/tickets/{ticket}/assign", "allowed: POST");
    allowed.put("/tickets/{ticket}/cancel", "allowed: POST");
    allowed.put("/dead-letters", "allowed: GET");
    allowed.put("/dead-letters/{dl}", "allowed: GET, DELETE");
    allowed.put("/dead-letters/{dl}/replay", "allowed: POST");
    allowed.put("/health", "allowed: GET");
    allowed.put("/health/live", "allowed: GET");
    allowed.put("/health/ready", "allowed: GET");
    allowed.put("/metrics", "allowed: GET");
    for (Map.Entry<String, String> route : allowed.entrySet()) {
      for (String method : List.of("GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS")) {
        if (!route.getValue().contains(method)) {
          Request r = Request.of(method, route.getKey());
          if (!method.equals("GET") && !method.equals("DELETE") && !method.equals("OPTIONS")) {
            r =
                r.body(
                    "application/json",
                    "{\"assignee\":\"mallory\",\"ticketType\":\"t\",\"description\":\"d\"}"
                        .getBytes(UTF_8));
          }
          c.add(new Case(method + " " + route.getKey(), r, 405, route.getValue()));
        }
      }
    }
    // a trailing slash is ignored (RequestRules): the route's own 405
    c.add(row("GET /tickets/{ticket}/cancel/", 405, "allowed: POST"));
    c.add(row("DELETE /tickets/", 405, "allowed: GET, POST"));
    // RFC 9110 wants 501 for a method the server does not know at all
    c.add(
        new Case(
            "a made-up method", Request.of("BREW", "/tickets"), 501, "Unsupported HTTP method"));
    return c;
  }

  /** Requests broken below the routes: the request line and headers. */
  private static List<Case> brokenRequests() {
    List<Case> c = new ArrayList<>();
    c.add(
        new Case(
            "invalid percent-encoding in the path",
            Request.of("GET", "/tickets/%zz"),
            400,
            "Illegal request-target"));
    c.add(
        new Case(
            "invalid percent-encoding in the query",
            Request.of("GET", "/tickets?status=%zz"),
            400,
            "Illegal request-target"));
    c.add(
        new Case(
            "a 10,000-character URI",
            Request.of("GET", "/tickets/" + "a".repeat(10_000)),
            414,
            "URI length exceeds"));
    c.add(
        new Case(
            "a 100,000-character header",
            Request.of("GET", "/tickets").header("X-Junk", "j".repeat(100_000)),
            431,
            "header"));
    c.add(
        new Case(
            "a negative Content-Length",
            Request.of("POST", "/tickets")
                .header("Content-Type", "application/json")
                .header("Content-Length", "-1"),
            400,
            "Content-Length"));
    c.add(
        new Case(
            "Accept only text/html",
            Request.of("GET", "/tickets/{ticket}").header("Accept", "text/html"),
            406,
            "application/json"));
    return c;
  }

  // ---- helpers ----------------------------------------------------------------------------------

  /**
   * Cases of a POST of a JSON body to {@code path} answered 400, one a line: {@code name | body |
   * what the error says}, each cell stripped; in bodies {@code {unknown}} stands for a ticket id
   * that does not exist. Each is named {@code "route: name"}.
   */
  private static void table(List<Case> c, String route, String path, String table) {
    for (String line : table.split("\n")) {
      String[] cells = line.split(" \\| ", -1);
      if (cells.length != 3) {
        throw new IllegalArgumentException("not name | body | error: " + line);
      }
      c.add(
          json(
              route + ": " + cells[0].strip(),
              path,
              cells[1].strip().replace("{unknown}", UNKNOWN),
              400,
              cells[2].strip()));
    }
  }

  /** A request without a body, named after itself: {@code "GET /tickets?limit=0"}. */
  private static Case row(String request, int status, String error) {
    int space = request.indexOf(' ');
    return new Case(
        request,
        Request.of(request.substring(0, space), request.substring(space + 1)),
        status,
        error);
  }

  /** For each value, a case per route ({@code "GET /tickets?limit=%s"}) with the value put in. */
  private static void forEach(
      List<Case> c, List<String> values, int status, String error, String... routes) {
    for (String value : values) {
      for (String route : routes) {
        c.add(row(route.replace("%s", value), status, error));
      }
    }
  }

  private static byte[] gzip(byte[] bytes) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (java.util.zip.GZIPOutputStream gzip = new java.util.zip.GZIPOutputStream(out)) {
      gzip.write(bytes);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static Case json(String name, String path, String body, int status, String error) {
    return bytes(name, path, "application/json", body.getBytes(UTF_8), status, error);
  }

  private static Case bytes(
      String name, String path, String contentType, byte[] body, int status, String error) {
    return new Case(name, Request.of("POST", path).body(contentType, body), status, error);
  }

  private static byte[] utf8WithRaw(String before, byte[] raw, String after) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(before.getBytes(UTF_8));
    out.writeBytes(raw);
    out.writeBytes(after.getBytes(UTF_8));
    return out.toByteArray();
  }

  /** The template with its text padded so that the whole body is exactly {@code size} bytes. */
  private static String padTo(String template, int size) {
    int overhead = String.format(template, "").getBytes(UTF_8).length;
    return String.format(template, "x".repeat(size - overhead));
  }
}
