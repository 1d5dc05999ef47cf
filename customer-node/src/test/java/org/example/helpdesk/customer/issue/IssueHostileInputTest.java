package org.example.helpdesk.customer.issue;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;
import org.example.helpdesk.customer.CustomerTestNode;
import org.example.helpdesk.testsupport.HttpTestClient;
import org.example.helpdesk.testsupport.RawHttp;
import org.example.helpdesk.testsupport.RawHttp.Reply;
import org.example.helpdesk.testsupport.UnreadableRequests;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Hostile requests against every route of the customer node ({@code POST /issues}, {@code POST
 * /issues/{id}/close}, {@code GET /issues/{id}}, {@code /health}, {@code /health/ready}, {@code
 * /metrics}): each gets the documented 4xx as JSON {@code {"error": ...}} naming the problem, the
 * node keeps serving, and nothing stored changes. (The customer's pages: CustomerPagesTest.)
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class IssueHostileInputTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String JANE = "jane@example.com";

  /** An issue reported before the hostile requests; none of them may touch it. */
  private static final String SEED = UUID.randomUUID().toString();

  private static final String UNKNOWN = UUID.randomUUID().toString();

  private static CustomerTestNode node;
  private static List<Map<String, Object>> storedBefore;
  private static long rowsBefore;

  @BeforeAll
  static void start() {
    node = new CustomerTestNode();
    HttpTestClient.Response seeded =
        node.http.postJson(
            "/issues",
            "{\"issueId\":\"" + SEED + "\",\"email\":\"" + JANE + "\",\"content\":\"seed issue\"}");
    assertEquals(201, seeded.status(), seeded.toString());
    rowsBefore = durableStateRows();
    storedBefore = storedIssues();
  }

  @AfterAll
  static void stop() {
    if (node != null) {
      node.close();
    }
  }

  // ---- the cases ------------------------------------------------------------------------------

  /** How to send one hostile request. */
  @FunctionalInterface
  interface Request {
    Reply send(CustomerTestNode node);
  }

  /** A hostile request and the 4xx it must get, with a text the error must contain. */
  record Case(String name, Request request, int status, String problem) {
    @Override
    public String toString() {
      return name + " -> " + status;
    }
  }

  static Stream<Case> hostileRequests() {
    List<Case> cases = new ArrayList<>();
    malformedJson(cases);
    wrongTypesAndFields(cases);
    blankAndOverlong(cases);
    invalidEmails(cases);
    controlCharactersInContent(cases);
    invalidUtf8(cases);
    nestingBombsAndSizes(cases);
    contentTypes(cases);
    malformedIdsInPaths(cases);
    malformedIssueIdField(cases);
    unknownPaths(cases);
    wrongMethods(cases);
    charsetsAndEncodings(cases);
    return cases.stream();
  }

  private static void malformedJson(List<Case> cases) {
    table(
        cases,
        """
        truncated: no closing brace    | {"email":"{jane}","content":"c"                | malformed JSON
        truncated inside a string      | {"email":"{jane}","content":"c                 | malformed JSON
        truncated after a comma        | {"email":"{jane}",                             | malformed JSON
        truncated after a field name   | {"email"                                       | malformed JSON
        just an opening brace          | {                                              | malformed JSON
        missing colon                  | {"email" "{jane}","content":"c"}               | malformed JSON
        single quotes                  | {'email':'{jane}','content':'c'}               | malformed JSON
        unquoted field names           | {email:"{jane}",content:"c"}                   | malformed JSON
        trailing comma                 | {"email":"{jane}","content":"c",}              | malformed JSON
        extra closing brace            | {"email":"{jane}","content":"c"}}              | malformed JSON
        trailing garbage               | {"email":"{jane}","content":"c"} garbage       | malformed JSON
        comment                        | {"email":"{jane}",/* hi */"content":"c"}       | malformed JSON
        invalid escape                 | {"email":"{jane}","content":"a\\qb"}           | malformed JSON
        truncated unicode escape       | {"email":"{jane}","content":"a\\u12"}          | malformed JSON
        NaN                            | {"email":NaN,"content":"c"}                    | malformed JSON
        empty body                     |                                                | a JSON request body is required
        null body                      | null                                           | must be a JSON object
        a string                       | "{jane}"                                       | must be a JSON object
        a number                       | 42                                             | must be a JSON object
        a boolean                      | true                                           | must be a JSON object
        an array of the object         | [{"email":"{jane}","content":"c"}]             | must be a JSON object
        """);
    // (bodies a table line cannot hold: a raw control character, only white space)
    bad(
        cases,
        "unescaped control character in a string",
        "{\"email\":\"" + JANE + "\",\"content\":\"a\u0001b\"}",
        "malformed JSON");
    bad(cases, "whitespace-only body", "  \n\t ", "JSON");
  }

  private static void wrongTypesAndFields(List<Case> cases) {
    String content = "\"content\":\"c\"";
    String email = "\"email\":\"" + JANE + "\"";
    for (String[] wrong :
        new String[][] {
          {"number", "42"},
          {"float", "1.5"},
          {"boolean", "true"},
          {"array", "[\"" + JANE + "\"]"},
          {"object", "{\"value\":\"" + JANE + "\"}"},
          {"empty array", "[]"},
          {"empty object", "{}"}
        }) {
      bad(
          cases,
          "email as " + wrong[0],
          "{\"email\":" + wrong[1] + "," + content + "}",
          "invalid field 'email': expected a string");
      bad(
          cases,
          "content as " + wrong[0],
          "{" + email + ",\"content\":" + wrong[1] + "}",
          "invalid field 'content': expected a string");
      bad(
          cases,
          "issueId as " + wrong[0],
          "{" + email + "," + content + ",\"issueId\":" + wrong[1] + "}",
          "invalid field 'issueId': expected a string");
    }
    // unknown fields of a body that is otherwise incomplete: the missing field is what is reported
    table(
        cases,
        """
        email null                     | {"email":null,"content":"c"}                          | email is required
        content null                   | {"email":"{jane}","content":null}                      | content is required
        empty object                   | {}                                                    | email is required
        email missing                  | {"content":"c"}                                       | email is required
        content missing                | {"email":"{jane}"}                                     | content is required
        unknown field                  | {"email":"{jane}","content":"c","extra":1}             | unknown field 'extra'
        unknown field first            | {"priority":"high","email":"{jane}","content":"c"}     | unknown field 'priority'
        field name in another case     | {"Email":"{jane}","content":"c"}                       | email is required
        status smuggled in             | {"email":"{jane}","content":"c","status":"closed"}     | unknown field 'status'
        __proto__                      | {"__proto__":{},"email":"{jane}","content":"c"}        | unknown field '__proto__'
        report of the seed with a status | {"issueId":"{seed}","email":"{jane}","content":"seed issue","status":"closed"} | unknown field 'status'
        """);
  }

  private static void blankAndOverlong(List<Case> cases) {
    table(
        cases,
        """
        email empty                    | {"email":"","content":"c"}                 | email must be a valid e-mail address
        email whitespace               | {"email":"   ","content":"c"}              | email must be a valid e-mail address
        email tabs and line breaks     | {"email":"\\t\\r\\n","content":"c"}          | email must be a valid e-mail address
        content empty                  | {"email":"{jane}","content":""}             | content must not be blank
        content whitespace             | {"email":"{jane}","content":"    "}         | content must not be blank
        content tabs and line breaks   | {"email":"{jane}","content":"\\t\\r\\n "}     | content must not be blank
        invalid content on the seed issue | {"issueId":"{seed}","email":"{jane}","content":""} | content must not be blank
        """);
    String email = "\"email\":\"" + JANE + "\"";
    bad(
        cases,
        "content of 10,001 characters",
        "{" + email + ",\"content\":\"" + "x".repeat(10_001) + "\"}",
        "content must be at most 10000 characters");
    bad(
        cases,
        "content of 10,001 two-byte characters",
        "{" + email + ",\"content\":\"" + "é".repeat(10_001) + "\"}",
        "content must be at most 10000 characters");
  }

  private static void invalidEmails(List<Case> cases) {
    List<String> invalid =
        List.of(
            "janeexample.com", // no @
            "jane@@example.com", // two @
            "ja@ne@example.com", // two @
            "jane@example", // no dot in the domain
            "jane doe@example.com", // space
            "jane@exam ple.com", // space in the domain
            ".jane@example.com", // leading dot
            "jane..doe@example.com", // consecutive dots
            "jane.@example.com", // dot before @
            "jane@example..com", // consecutive dots in the domain
            "jane@.example.com", // domain starts with a dot
            "jane@-example.com", // label starts with a hyphen
            "@example.com", // no local part
            "jane@", // no domain
            "jane@exa_mple.com", // underscore in the domain
            "jané@example.com", // non-ASCII
            "jane@exämple.com", // non-ASCII domain
            "jane\\u0000@example.com", // NUL
            "jane@example.com\\u0000", // trailing NUL
            "jane\\u0007@example.com", // BEL
            "jane@exa\\u001bmple.com", // ESC
            "jane@example.com\\u007f", // DEL
            "jane@example.com\\u0085", // NEL, a C1 control
            "\\u200bjane@example.com", // zero-width space
            "jane@example.com\\u202e", // right-to-left override
            "<script>@example.com",
            "jane@example.com'; DROP TABLE durable_state; --",
            "a".repeat(65) + "@example.com", // local part over 64
            "jane@" + "a".repeat(64) + ".com", // label over 63
            "a".repeat(64)
                + "@"
                + "b".repeat(63)
                + "."
                + "c".repeat(63)
                + "."
                + "d".repeat(58)
                + ".com", // 255 total
            "a".repeat(64) + "@" + ("b".repeat(60) + ".").repeat(20) + "com"); // far over 254
    badValues(
        cases,
        "email",
        invalid,
        email -> "{\"email\":\"" + email + "\",\"content\":\"c\"}",
        "email must be a valid e-mail address");
  }

  private static void controlCharactersInContent(List<Case> cases) {
    for (String control :
        List.of(
            "\\u0000",
            "\\u0007",
            "\\u001b",
            "\\u001b[31m",
            "\\u007f",
            "\\u0085",
            "\\b",
            "\\f",
            "\\u000b")) {
      bad(
          cases,
          "content with " + control,
          "{\"email\":\"" + JANE + "\",\"content\":\"bad " + control + " content\"}",
          "content must not contain control characters");
    }
  }

  private static void invalidUtf8(List<Case> cases) {
    byte[][] invalid = {
      {(byte) 0xC3, 0x28}, // a two-byte lead without its continuation byte
      {(byte) 0xFF}, // never valid in UTF-8
      {(byte) 0xFE, (byte) 0xFF}, // a UTF-16 byte-order mark, out of place
      {(byte) 0x80}, // a lone continuation byte
      {(byte) 0xE2, (byte) 0x82}, // a three-byte sequence cut short
      {(byte) 0xF0, (byte) 0x9F, (byte) 0x98}, // a four-byte sequence cut short
    };
    for (byte[] bytes : invalid) {
      String hex = hex(bytes);
      cases.add(
          new Case(
              "content with invalid UTF-8 " + hex,
              n ->
                  post(
                      n,
                      "/issues",
                      "application/json",
                      concat(
                          "{\"email\":\"" + JANE + "\",\"content\":\"bad ", bytes, " content\"}")),
              400,
              "malformed JSON"));
      cases.add(
          new Case(
              "email with invalid UTF-8 " + hex,
              n ->
                  post(
                      n,
                      "/issues",
                      "application/json",
                      concat("{\"email\":\"jane", bytes, "@example.com\",\"content\":\"c\"}")),
              400,
              "malformed JSON"));
    }
    cases.add(
        new Case(
            "body that is only 0xFF bytes",
            n ->
                post(
                    n,
                    "/issues",
                    "application/json",
                    new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF}),
            400,
            "JSON"));
  }

  private static void nestingBombsAndSizes(List<Case> cases) {
    String arrays = "[".repeat(10_000) + "]".repeat(10_000);
    String objects = "{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000);
    bad(cases, "10,000 nested arrays", arrays, "must be a JSON object");
    bad(cases, "10,000 nested objects", objects, "malformed JSON: nested too deeply");
    bad(
        cases,
        "10,000 nested arrays as the email",
        "{\"email\":" + arrays + ",\"content\":\"c\"}",
        "invalid field 'email'");
    bad(
        cases,
        "10,000 nested objects as the content",
        "{\"email\":\"" + JANE + "\",\"content\":" + objects + "}",
        "invalid field 'content'");
    bad(
        cases,
        "10,000 nested arrays as the issueId",
        "{\"email\":\"" + JANE + "\",\"content\":\"c\",\"issueId\":" + arrays + "}",
        "invalid field 'issueId'");
    bad(
        cases,
        "60 nested arrays inside an unknown field",
        "{\"email\":\""
            + JANE
            + "\",\"content\":\"c\",\"x\":"
            + "[".repeat(60)
            + "]".repeat(60)
            + "}",
        "unknown field 'x'");
    bad(
        cases,
        "70 nested arrays inside an unknown field",
        "{\"email\":\""
            + JANE
            + "\",\"content\":\"c\",\"x\":"
            + "[".repeat(70)
            + "]".repeat(70)
            + "}",
        "malformed JSON: nested too deeply");
    assertTrue(objects.length() < 64 * 1024);

    String small = "{\"email\":\"" + JANE + "\",\"content\":\"c\"}";
    bad(
        cases,
        "a body of 64 KiB + 1 byte",
        413,
        small + " ".repeat(64 * 1024 + 1 - small.length()),
        "request body is too large");
    bad(
        cases,
        "content of 70,000 characters",
        413,
        "{\"email\":\"" + JANE + "\",\"content\":\"" + "x".repeat(70_000) + "\"}",
        "request body is too large");
    bad(
        cases,
        "100,000 nested arrays",
        413,
        "[".repeat(100_000) + "]".repeat(100_000),
        "request body is too large");
    byte[] megabytes =
        ("{\"email\":\"" + JANE + "\",\"content\":\"" + "x".repeat(5 * 1024 * 1024) + "\"}")
            .getBytes(UTF_8);
    // sent raw: java.net.http.HttpClient writes the whole body before it reads, and loses the early
    // 413 to the closed connection
    cases.add(
        new Case(
            "a body of 5 MiB, raw",
            n -> raw(n, "POST", "/issues", megabytes, "Content-Type: application/json"),
            413,
            "too large"));
    cases.add(
        new Case(
            "a declared Content-Length of 5 MiB with only a little sent",
            n ->
                RawHttp.send(
                    port(n),
                    ("POST /issues HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 5242880\r\n"
                            + "Connection: close\r\n\r\n")
                        .getBytes(UTF_8),
                    "{\"email\":\"jane@example.com\",\"content\":\"".getBytes(UTF_8)),
            413,
            "too large"));
  }

  private static void contentTypes(List<Case> cases) {
    byte[] json = ("{\"email\":\"" + JANE + "\",\"content\":\"c\"}").getBytes(UTF_8);
    for (String type :
        List.of(
            "text/plain",
            "text/plain; charset=utf-8",
            "application/xml",
            "text/xml",
            "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=x",
            "application/octet-stream",
            "text/json",
            "application/jsonp",
            "application/json-patch+json")) {
      cases.add(
          new Case(
              "Content-Type " + type,
              n -> post(n, "/issues", type, json),
              415,
              "Content-Type must be application/json"));
    }
    cases.add(
        new Case(
            "XML body as application/xml",
            n ->
                post(
                    n,
                    "/issues",
                    "application/xml",
                    "<issue><email>jane@example.com</email><content>c</content></issue>"
                        .getBytes(UTF_8)),
            415,
            "Content-Type must be application/json"));
    cases.add(
        new Case(
            "form body",
            n ->
                post(
                    n,
                    "/issues",
                    "application/x-www-form-urlencoded",
                    "email=jane%40example.com&content=c".getBytes(UTF_8)),
            415,
            "Content-Type must be application/json"));
    cases.add(
        new Case(
            "no Content-Type",
            n -> post(n, "/issues", null, json),
            415,
            "Content-Type must be application/json"));
    cases.add(
        new Case(
            "no Content-Type, raw",
            n -> raw(n, "POST", "/issues", json),
            415,
            "Content-Type must be application/json"));
    cases.add(
        new Case(
            "no Content-Type, no body",
            n -> raw(n, "POST", "/issues", null),
            415,
            "Content-Type must be application/json"));
  }

  private static void malformedIdsInPaths(List<Case> cases) {
    List<String> malformed =
        List.of(
            "123", // too short
            "nope",
            SEED.substring(0, 35), // one character short
            SEED + "0", // one character long
            "zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz", // not hex
            SEED.replace("-", ""), // no dashes
            "1-2-3-4-5", // UUID.fromString would take it
            "%20", // a space
            "%20" + SEED, // padded
            SEED + "%20",
            "%7B" + SEED + "%7D", // braces
            "urn:uuid:" + SEED,
            "'%20OR%20'1'='1",
            "1;DROP%20TABLE%20durable_state;--",
            "%27%3B%20DELETE%20FROM%20durable_state%3B--",
            "%00",
            "%252e%252e%252f",
            "%C3%A9",
            "%E2%80%AE" + SEED, // right-to-left override
            "x".repeat(1_000));
    for (String id : malformed) {
      String shown = shown(id);
      cases.add(
          new Case(
              "GET /issues/" + shown, n -> get(n, "/issues/" + id), 400, "issueId must be a UUID"));
      cases.add(
          new Case(
              "POST /issues/" + shown + "/close",
              n -> post(n, "/issues/" + id + "/close", null, new byte[0]),
              400,
              "issueId must be a UUID"));
    }
    // request-targets no URI library would send: the server's parser answers, still in JSON
    for (String target :
        List.of(
            "/issues/%ZZ",
            "/issues/%",
            "/issues/%E2%8",
            "/issues/<script>",
            "/issues/" + SEED + "\"",
            "/health?%ZZ")) {
      cases.add(
          new Case(
              "raw GET " + target,
              n -> raw(n, "GET", target, null),
              400,
              "Illegal request-target"));
    }
    cases.add(
        new Case(
            "raw POST /issues/%ZZ/close",
            n -> raw(n, "POST", "/issues/%ZZ/close", null), 400, "Illegal request-target"));
  }

  private static void malformedIssueIdField(List<Case> cases) {
    List<String> malformed =
        List.of(
            "",
            "   ",
            "123",
            "nope",
            SEED.substring(0, 35),
            SEED + "0",
            "zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz",
            SEED.replace("-", ""),
            "1-2-3-4-5",
            " " + SEED,
            SEED + " ",
            SEED + "\\n",
            "{" + SEED + "}",
            "urn:uuid:" + SEED,
            "' OR '1'='1",
            "'; DROP TABLE durable_state; --",
            "%27%3B%20DELETE%20FROM%20durable_state",
            "%00",
            SEED.replace('-', '_'),
            "\\u0000" + SEED,
            "x".repeat(5_000));
    badValues(
        cases,
        "issueId",
        malformed,
        id -> "{\"email\":\"" + JANE + "\",\"content\":\"c\",\"issueId\":\"" + id + "\"}",
        "issueId must be a UUID");
  }

  private static void unknownPaths(List<Case> cases) {
    for (String path :
        List.of(
            "/tickets",
            "/Issues",
            "/issuesX",
            "/issues/" + SEED + "/reopen",
            "/issues/" + SEED + "/close/now",
            "/issues//close",
            "/healthz",
            "/health/unknown",
            "/health/ready/now",
            "/metrics/now",
            "/metricsX",
            "/%2e%2e/etc/passwd",
            "/admin",
            "/issues/%2e%2e/close")) { // the server resolves dot segments: "/close" ("/" is the
      // report page)
      cases.add(new Case("GET " + path, n -> get(n, path), 404, "no such resource"));
    }
    cases.add(
        new Case(
            "POST /issues/{seed}/reopen",
            n -> post(n, "/issues/" + SEED + "/reopen", "application/json", "{}".getBytes(UTF_8)),
            404,
            "no such resource"));
    cases.add(
        new Case(
            "GET /issues/{unknown}", n -> get(n, "/issues/" + UNKNOWN), 404, "does not exist"));
    cases.add(
        new Case(
            "POST /issues/{unknown}/close",
            n -> post(n, "/issues/" + UNKNOWN + "/close", null, new byte[0]),
            404,
            "does not exist"));
    cases.add(
        new Case(
            "POST /issues/{unknown}/close with a junk JSON body",
            n ->
                post(
                    n,
                    "/issues/" + UNKNOWN + "/close",
                    "application/json",
                    "{\"status\":\"closed\"".getBytes(UTF_8)),
            404,
            "does not exist"));
  }

  private static void wrongMethods(List<Case> cases) {
    String seed = "/issues/" + SEED;
    Object[][] wrong = {
      {"GET", "/issues", "POST"},
      {"PUT", "/issues", "POST"},
      {"DELETE", "/issues", "POST"},
      {"PATCH", "/issues", "POST"},
      {"OPTIONS", "/issues", "POST"},
      {"GET", "/issues/", "POST"},
      {"POST", seed, "GET"},
      {"PUT", seed, "GET"},
      {"DELETE", seed, "GET"},
      {"PATCH", seed, "GET"},
      {"GET", seed + "/close", "POST"},
      // a trailing slash is ignored (RequestRules): the route's own 405
      {"GET", seed + "/close/", "POST"},
      {"POST", seed + "/", "GET"},
      {"PUT", seed + "/close", "POST"},
      {"DELETE", seed + "/close", "POST"},
      {"POST", "/health", "GET"},
      {"DELETE", "/health", "GET"},
      {"POST", "/health/ready", "GET"},
      {"PUT", "/health/ready", "GET"},
      {"POST", "/metrics", "GET"},
      {"DELETE", "/metrics", "GET"},
    };
    for (Object[] w : wrong) {
      String method = (String) w[0];
      String path = (String) w[1];
      cases.add(
          new Case(
              method + " " + path.replace(SEED, "{seed}"),
              n ->
                  reply(
                      n.http.send(
                          method,
                          path,
                          method.equals("GET") ? null : "application/json",
                          method.equals("GET")
                              ? null
                              : ("{\"email\":\"" + JANE + "\",\"content\":\"c\"}")
                                  .getBytes(UTF_8))),
              405,
              "allowed: " + w[2]));
    }
  }

  /** Issue 14: a body in another charset or coding is refused (415), never misread. */
  private static void charsetsAndEncodings(List<Case> cases) {
    byte[] json = ("{\"email\":\"" + JANE + "\",\"content\":\"c\"}").getBytes(UTF_8);
    for (String charset : List.of("ISO-8859-1", "windows-1252", "UTF-16", "klingon")) {
      cases.add(
          new Case(
              "Content-Type application/json; charset=" + charset,
              n -> post(n, "/issues", "application/json; charset=" + charset, json),
              415,
              "Content-Type must be application/json in UTF-8, not charset " + charset));
    }
    for (String coding : List.of("br", "foo", "compress", "gzip, br", "gzip, gzip")) {
      cases.add(
          new Case(
              "Content-Encoding " + coding,
              n -> encoded(n, coding, json),
              415,
              "Content-Encoding '" + coding + "' is not supported"));
    }
    byte[] blank = ("{\"email\":\"" + JANE + "\",\"content\":\"  \"}").getBytes(UTF_8);
    cases.add(
        new Case(
            "gzip body: decoded and then checked like any other",
            n -> encoded(n, "gzip", gzip(blank)),
            400,
            "content must not be blank"));
    cases.add(
        new Case(
            "deflate body: decoded and then checked like any other",
            n -> encoded(n, "deflate", deflate(blank)),
            400,
            "content must not be blank"));
    cases.add(
        new Case(
            "Content-Encoding gzip on a body that is not gzip",
            n -> encoded(n, "gzip", json),
            400,
            "malformed request body"));
    // 10 MB that shrink to about 10 KB: the limit holds for what the body decodes to
    byte[] bomb =
        gzip(
            ("{\"email\":\"" + JANE + "\",\"content\":\"" + "x".repeat(10_000_000) + "\"}")
                .getBytes(UTF_8));
    assertTrue(bomb.length < 64 * 1024, "the bomb itself is within the limit");
    cases.add(
        new Case(
            "a gzip bomb (" + bomb.length + " bytes of gzip, 10 MB decoded)",
            n -> encoded(n, "gzip", bomb),
            413,
            "request body is too large"));
  }

  /**
   * Hostile requests the node gets wrong today (see the report that came with this test): each case
   * states the behaviour it should have. Those that are accepted write an issue, so they run last,
   * and only when enabled.
   */
  static Stream<Case> formerDefects() {
    List<Case> cases = new ArrayList<>();
    // Jackson's UTF-8 decoder takes overlong forms, encoded surrogates and code points past
    // U+10FFFF
    byte[][] acceptedInvalidUtf8 = {
      {(byte) 0xC0, (byte) 0xAF}, // overlong '/'
      {(byte) 0xC1, (byte) 0xA1}, // overlong 'a'
      {(byte) 0xC0, (byte) 0xA2}, // overlong '"', stored as a quote
      {(byte) 0xE0, (byte) 0x80, (byte) 0xAF}, // overlong '/', three bytes
      {(byte) 0xF0, (byte) 0x80, (byte) 0x80, (byte) 0xAF}, // overlong '/', four bytes
      {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, // the surrogate U+D800 encoded
      {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, // U+110000, past the last code point
    };
    for (byte[] bytes : acceptedInvalidUtf8) {
      cases.add(
          new Case(
              "content with invalid UTF-8 " + hex(bytes),
              n ->
                  post(
                      n,
                      "/issues",
                      "application/json",
                      concat(
                          "{\"email\":\"" + JANE + "\",\"content\":\"bad ", bytes, " content\"}")),
              400,
              "UTF-8"));
    }
    // a string that is no Unicode text: stored as "\uD800" (which PostgreSQL's jsonb refuses), read
    // back as "?"
    bad(
        cases,
        "content with an unpaired high surrogate",
        "{\"email\":\"" + JANE + "\",\"content\":\"lone \\ud800 surrogate\"}",
        "content");
    bad(
        cases,
        "content with an unpaired low surrogate",
        "{\"email\":\"" + JANE + "\",\"content\":\"lone \\udc00 surrogate\"}",
        "content");
    // Email.of strips with String.strip(), which counts U+000B, U+000C and U+001C..U+001F as white
    // space
    for (String control : List.of("\\u001c", "\\u001d", "\\u001e", "\\u001f", "\\u000b", "\\f")) {
      bad(
          cases,
          "email with a control character " + control + " around it",
          "{\"email\":\"" + control + JANE + control + "\",\"content\":\"c\"}",
          "email must be a valid e-mail address");
    }
    // a 400 already, but the error says "the body must be a JSON object" of a body that is one
    String valid = "{\"email\":\"" + JANE + "\",\"content\":\"c\"}";
    bad(
        cases,
        "a second JSON value after the object",
        valid + " {\"content\":\"d\"}",
        "more after the JSON value");
    bad(cases, "a number after the object", valid + " 1", "more after the JSON value");
    return cases.stream();
  }

  // ---- the tests ------------------------------------------------------------------------------

  @Order(1)
  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("hostileRequests")
  void aHostileRequestGetsTheDocumentedJsonError(Case c) {
    Reply reply = c.request().send(node);

    assertEquals(c.status(), reply.status(), () -> c.name() + ": " + reply);
    assertEquals("application/json", reply.header("Content-Type"), () -> c.name() + ": " + reply);
    JsonNode body;
    try {
      body = JSON.readTree(reply.body());
    } catch (IOException e) {
      throw new AssertionError(c.name() + ": not JSON: " + reply, e);
    }
    assertTrue(
        body.isObject() && body.size() == 1 && body.path("error").isTextual(),
        () -> c.name() + ": not {\"error\": ...}: " + reply);
    String error = body.path("error").asText();
    assertTrue(!error.isBlank(), () -> c.name() + ": empty error");
    assertTrue(
        error.contains(c.problem()),
        () -> c.name() + ": error '" + error + "' should mention '" + c.problem() + "'");
  }

  @Order(2)
  @Test
  void afterwardsNothingStoredChangedAndTheNodeStillServes() {
    assertEquals(rowsBefore, durableStateRows(), "rows of durable_state");
    assertEquals(
        storedBefore, storedIssues(), "stored issues (outbox aside, the relay may drop entries)");
    HttpTestClient.Response seed = node.http.get("/issues/" + SEED);
    assertEquals(200, seed.status(), seed.toString());
    assertEquals("open", seed.json().path("status").asText());
    assertEquals("seed issue", seed.json().path("content").asText());
    assertEquals(404, node.http.get("/issues/" + UNKNOWN).status());

    assertEquals(200, node.http.get("/health").status());
    assertEquals(200, node.http.get("/metrics").status());
    HttpTestClient.Response created =
        node.http.postJson("/issues", "{\"email\":\"" + JANE + "\",\"content\":\"still serving\"}");
    assertEquals(201, created.status(), created.toString());
    assertEquals(rowsBefore + 1, durableStateRows());
  }

  /** Issue 14: HEAD is answered wherever GET is, as GET without the body. */
  @Order(1)
  @ParameterizedTest(name = "HEAD {0}")
  @ValueSource(strings = {"/issues/{seed}", "/issues/{seed}/", "/health", "/metrics", "/"})
  void headIsAnsweredLikeGetWithoutTheBody(String shown) {
    String path = shown.replace("{seed}", SEED);
    Reply get = RawHttp.sendUntilClosed(port(node), "GET", path);
    Reply head = RawHttp.sendUntilClosed(port(node), "HEAD", path);
    assertEquals(get.status(), head.status(), () -> "HEAD " + path + ": " + head);
    assertEquals("", head.body(), () -> "HEAD " + path + " has no body");
    assertEquals(get.header("Content-Type"), head.header("Content-Type"), path);
  }

  /** Issue 14: HEAD of a route that serves no GET is its 405, without the body. */
  @Order(1)
  @Test
  void headWhereThereIsNoGetIs405WithoutTheBody() {
    Reply closeHead = RawHttp.sendUntilClosed(port(node), "HEAD", "/issues/" + SEED + "/close");
    assertEquals(405, closeHead.status(), closeHead::toString);
    assertEquals("", closeHead.body());
  }

  /** Issue 14: a trailing slash is ignored on every route, here as on the backoffice. */
  @Order(1)
  @Test
  void aTrailingSlashIsIgnored() {
    HttpTestClient.Response with = node.http.get("/issues/" + SEED + "/");
    assertEquals(200, with.status(), with.toString());
    assertEquals(node.http.get("/issues/" + SEED).body(), with.body());
    assertEquals(200, node.http.get("/health/").status());
    // (POST /issues/ reporting an issue: IssueApiTest's path; here nothing may be written)
  }

  /**
   * Issue 14: a request line the parser cannot read gets its 400 at once, not after the server's 60
   * s idle-timeout; an overlong request line or header its 414 or 431.
   */
  @Order(1)
  @ParameterizedTest(name = "{0}")
  @MethodSource("unreadableRequests")
  void aBrokenRequestLineIsAnsweredAtOnce(UnreadableRequests.Unreadable unreadable) {
    UnreadableRequests.assertAnsweredAtOnce(port(node), unreadable);
  }

  static List<UnreadableRequests.Unreadable> unreadableRequests() {
    return UnreadableRequests.cases("/issues");
  }

  /** Requests the node once took (or answered vaguely), found by this test and fixed since. */
  @Order(1)
  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("formerDefects")
  void aRequestOnceAcceptedIsRejectedNow(Case c) {
    aHostileRequestGetsTheDocumentedJsonError(c);
  }

  // ---- helpers --------------------------------------------------------------------------------

  /**
   * For each value, a {@code POST /issues} of the body made with it, answered 400 with the problem;
   * named {@code what 'value'}.
   */
  private static void badValues(
      List<Case> cases,
      String what,
      List<String> values,
      java.util.function.UnaryOperator<String> body,
      String problem) {
    for (String value : values) {
      bad(cases, what + " '" + shown(value) + "'", body.apply(value), problem);
    }
  }

  /** A value as a case's name shows it: cut after 40 characters, with its length. */
  private static String shown(String value) {
    return value.length() > 40 ? value.substring(0, 40) + "...(" + value.length() + ")" : value;
  }

  /**
   * Cases of {@code POST /issues} answered 400, one a line: {@code name | body | what the error
   * says}, each cell stripped; in bodies {@code {jane}} stands for the e-mail and {@code {seed}}
   * for the seed issue's id.
   */
  private static void table(List<Case> cases, String table) {
    for (String line : table.split("\n")) {
      String[] cells = line.split(" \\| ", -1);
      if (cells.length != 3) {
        throw new IllegalArgumentException("not name | body | problem: " + line);
      }
      bad(
          cases,
          cells[0].strip(),
          cells[1].strip().replace("{jane}", JANE).replace("{seed}", SEED),
          cells[2].strip());
    }
  }

  private static void bad(List<Case> cases, String name, String body, String problem) {
    bad(cases, name, 400, body, problem);
  }

  private static void bad(List<Case> cases, String name, int status, String body, String problem) {
    byte[] bytes = body.getBytes(UTF_8);
    cases.add(
        new Case(
            "POST /issues " + name,
            n -> post(n, "/issues", "application/json", bytes),
            status,
            problem));
  }

  private static Reply post(CustomerTestNode n, String path, String contentType, byte[] body) {
    return reply(n.http.post(path, contentType, body));
  }

  private static Reply get(CustomerTestNode n, String path) {
    return reply(n.http.get(path));
  }

  private static Reply raw(
      CustomerTestNode n, String method, String target, byte[] body, String... headers) {
    RawHttp.Request request = RawHttp.Request.of(method, target).body(null, body).anonymous();
    for (String header : headers) {
      int colon = header.indexOf(':');
      request = request.header(header.substring(0, colon), header.substring(colon + 1).strip());
    }
    return RawHttp.send(port(n), request);
  }

  private static Reply encoded(CustomerTestNode n, String coding, byte[] body) {
    return raw(
        n,
        "POST",
        "/issues",
        body,
        "Content-Type: application/json",
        "Content-Encoding: " + coding);
  }

  private static byte[] gzip(byte[] bytes) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
      gzip.write(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static byte[] deflate(byte[] bytes) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (DeflaterOutputStream deflate = new DeflaterOutputStream(out)) {
      deflate.write(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static int port(CustomerTestNode n) {
    return n.node.node().httpAddress().getPort();
  }

  private static Reply reply(HttpTestClient.Response response) {
    assertNotNull(response);
    Map<String, String> headers = new java.util.LinkedHashMap<>();
    response
        .raw()
        .headers()
        .map()
        .forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), v.get(0)));
    return new Reply(response.status(), headers, response.body());
  }

  private static byte[] concat(String before, byte[] middle, String after) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(before.getBytes(UTF_8));
    out.writeBytes(middle);
    out.writeBytes(after.getBytes(UTF_8));
    return out.toByteArray();
  }

  private static String hex(byte[] bytes) {
    StringBuilder s = new StringBuilder();
    for (byte b : bytes) {
      s.append(String.format("0x%02X ", b & 0xFF));
    }
    return s.toString().trim();
  }

  private static long durableStateRows() {
    return node.sql.count("SELECT count(*) FROM durable_state");
  }

  /** Every stored issue, without its outbox (which the relay empties as it publishes). */
  private static List<Map<String, Object>> storedIssues() {
    return node.sql.rows(
        "SELECT persistence_id, (convert_from(state_payload, 'UTF8')::jsonb - 'outbox')::text AS issue "
            + "FROM durable_state ORDER BY persistence_id");
  }
}
