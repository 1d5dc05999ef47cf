package org.example.helpdesk.customer.web;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.example.helpdesk.customer.web.Requests.BROWSER_ACCEPT;
import static org.example.helpdesk.customer.web.Requests.admin;
import static org.example.helpdesk.customer.web.Requests.adminJson;
import static org.example.helpdesk.customer.web.Requests.get;
import static org.example.helpdesk.customer.web.Requests.header;
import static org.example.helpdesk.customer.web.Requests.postForm;
import static org.example.helpdesk.customer.web.Requests.postJson;
import static org.example.helpdesk.customer.web.Requests.send;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.example.helpdesk.customer.CustomerTestNode;
import org.example.helpdesk.customer.issue.IssueEntity;
import org.example.helpdesk.customer.outbox.OutboxRelay;
import org.example.helpdesk.testsupport.TestPostgres;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The OpenAPI document at {@code /openapi.json} against the node itself: every route the node
 * serves is in it, every operation in it is served, and each documented status (with each
 * documented media type) is one the node really answers, provoked here by a real request.
 */
class CustomerOpenApiTest {

  /** Every route of the JSON API: IssueRoutes, and the health and metrics routes of every node. */
  private static final Set<String> SERVED =
      Set.of(
          "POST /issues",
          "GET /issues/{issueId}",
          "POST /issues/{issueId}/close",
          "GET /health",
          "GET /health/live",
          "GET /health/ready",
          "GET /metrics",
          "GET /admin/projections",
          "POST /admin/projections/{name}/pause",
          "POST /admin/projections/{name}/resume",
          "POST /admin/projections/{name}/offset",
          "GET /admin/dead-letters",
          "GET /admin/dead-letters/{id}",
          "DELETE /admin/dead-letters/{id}",
          "POST /admin/dead-letters/{id}/replay");

  private static final Set<String> METHODS =
      Set.of("get", "put", "post", "delete", "patch", "head", "options", "trace");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String JANE = "jane@example.com";

  @RegisterExtension static final CustomerTestNode node = new CustomerTestNode();

  /**
   * A node that never joins its cluster (its seed node does not exist): how a node answers when it
   * cannot serve.
   */
  @RegisterExtension
  static final CustomerTestNode cutOff =
      new CustomerTestNode(
          TestPostgres.newSchemaName("customer"),
          ConfigFactory.parseMap(
              Map.of(
                  "helpdesk.cluster.seed-nodes", "127.0.0.1:1",
                  "helpdesk.http.ask-timeout", "1s",
                  // its projections never start: a pause waits this long for them
                  "pekko.projection.management.ask-timeout", "1s",
                  "pekko.projection.management.operation-timeout", "1s",
                  // reachable from another address of this host: /metrics refuses it
                  "helpdesk.http.host", "0.0.0.0")));

  private static JsonNode doc;

  @BeforeAll
  static void start() throws IOException {
    HttpResponse<String> served = get(node, "/openapi.json", null);
    assertEquals(200, served.statusCode());
    assertEquals("application/json", header(served, "Content-Type"));
    doc = JSON.readTree(served.body());
  }

  /**
   * A request for each documented "METHOD path status [media type]" that gets exactly that answer.
   */
  private static Map<String, Supplier<HttpResponse<String>>> provocations() {
    String json = "application/json";
    String html = "text/html";
    String big = "{\"email\":\"" + JANE + "\",\"content\":\"" + "x".repeat(70_000) + "\"}";
    Map<String, Supplier<HttpResponse<String>>> p = new LinkedHashMap<>();

    p.put(
        "POST /issues 201 " + json,
        () -> postJson(node, "/issues", report(UUID.randomUUID(), "new")));
    p.put(
        "POST /issues 200 " + json,
        () -> {
          String again = report(UUID.randomUUID(), "twice");
          postJson(node, "/issues", again);
          return postJson(node, "/issues", again);
        });
    p.put(
        "POST /issues 400 " + json,
        () -> postJson(node, "/issues", "{\"email\":\"jane\",\"content\":\"c\"}"));
    p.put(
        "POST /issues 409 " + json,
        () -> {
          UUID id = UUID.randomUUID();
          postJson(node, "/issues", report(id, "first"));
          return postJson(node, "/issues", report(id, "other"));
        });
    p.put("POST /issues 413 " + json, () -> postJson(node, "/issues", big));
    p.put(
        "POST /issues 415 " + json,
        () -> send(node, "POST", "/issues", null, "text/plain", "{}".getBytes(UTF_8)));
    p.put(
        "POST /issues 503 " + json,
        () -> postJson(cutOff, "/issues", report(UUID.randomUUID(), "unanswered")));

    String unknown = "/issues/" + UUID.randomUUID();
    p.put("GET /issues/{issueId} 200 " + json, () -> get(node, reported(), "application/json"));
    p.put("GET /issues/{issueId} 200 " + html, () -> get(node, reported(), BROWSER_ACCEPT));
    p.put("GET /issues/{issueId} 400 " + json, () -> get(node, "/issues/nope", null));
    p.put("GET /issues/{issueId} 400 " + html, () -> get(node, "/issues/nope", BROWSER_ACCEPT));
    p.put("GET /issues/{issueId} 404 " + json, () -> get(node, unknown, null));
    p.put("GET /issues/{issueId} 404 " + html, () -> get(node, unknown, BROWSER_ACCEPT));
    p.put("GET /issues/{issueId} 503 " + json, () -> get(cutOff, unknown, null));
    p.put("GET /issues/{issueId} 503 " + html, () -> get(cutOff, unknown, BROWSER_ACCEPT));

    p.put(
        "POST /issues/{issueId}/close 200 " + json,
        () -> send(node, "POST", reported() + "/close", null, null, new byte[0]));
    p.put(
        "POST /issues/{issueId}/close 303", () -> postForm(node, reported() + "/close", Map.of()));
    p.put(
        "POST /issues/{issueId}/close 400 " + json,
        () -> send(node, "POST", "/issues/nope/close", null, null, new byte[0]));
    p.put(
        "POST /issues/{issueId}/close 400 " + html,
        () -> postForm(node, "/issues/nope/close", Map.of()));
    p.put(
        "POST /issues/{issueId}/close 404 " + json,
        () -> send(node, "POST", unknown + "/close", null, null, new byte[0]));
    p.put(
        "POST /issues/{issueId}/close 404 " + html,
        () -> postForm(node, unknown + "/close", Map.of()));
    p.put(
        "POST /issues/{issueId}/close 413 " + json,
        () -> postJson(node, reported() + "/close", big));
    p.put(
        "POST /issues/{issueId}/close 503 " + json,
        () -> send(cutOff, "POST", unknown + "/close", null, null, new byte[0]));
    p.put(
        "POST /issues/{issueId}/close 503 " + html,
        () -> postForm(cutOff, unknown + "/close", Map.of()));

    p.put("GET /health 200 " + json, () -> get(node, "/health", null));
    p.put("GET /health 503 " + json, () -> get(cutOff, "/health", null));
    p.put("GET /health/live 200 " + json, () -> get(node, "/health/live", null));
    p.put("GET /health/ready 200 " + json, () -> get(node, "/health/ready", null));
    p.put("GET /health/ready 503 " + json, () -> get(cutOff, "/health/ready", null));
    p.put("GET /metrics 200 text/plain", () -> get(node, "/metrics", null));
    p.put("GET /metrics 401 " + json, () -> fromElsewhere(cutOff, "GET", "/metrics"));

    p.put("GET /admin/projections 200 " + json, () -> admin(node, "GET", "/admin/projections"));
    p.put("GET /admin/projections 401 " + json, () -> get(node, "/admin/projections", null));
    // (in this order: pause, then resume)
    for (String control : List.of("pause", "resume")) {
      String op = "POST /admin/projections/{name}/" + control;
      String path = "/admin/projections/" + OutboxRelay.NAME + "/" + control;
      p.put(op + " 200 " + json, () -> admin(node, "POST", path));
      p.put(op + " 401 " + json, () -> send(node, "POST", path, null, null, new byte[0]));
      p.put(op + " 404 " + json, () -> admin(node, "POST", "/admin/projections/none/" + control));
      p.put(op + " 503 " + json, () -> admin(cutOff, "POST", path));
    }
    String offset = "/admin/projections/" + OutboxRelay.NAME + "/offset";
    String key = IssueEntity.tags().get(0);
    String toHead = "{\"key\":\"" + key + "\",\"toHead\":true}";
    String op = "POST /admin/projections/{name}/offset";
    p.put(op + " 200 " + json, CustomerOpenApiTest::moveAnOffsetToWhereItIs);
    p.put(op + " 400 " + json, () -> adminJson(node, offset, "{\"skip\":1}"));
    p.put(op + " 401 " + json, () -> postJson(node, offset, toHead));
    p.put(op + " 404 " + json, () -> adminJson(node, "/admin/projections/none/offset", toHead));
    p.put(op + " 409 " + json, () -> adminJson(node, offset, toHead));
    p.put(op + " 413 " + json, () -> adminJson(node, offset, big));
    p.put(
        op + " 415 " + json,
        () -> node.admin.send("POST", offset, "text/plain", toHead.getBytes(UTF_8)).raw());
    deadLetterProvocations(p);
    return p;
  }

  /** The dead letters' routes, on dead letters kept in the node's table. */
  private static void deadLetterProvocations(Map<String, Supplier<HttpResponse<String>>> p) {
    String json = "application/json";
    String list = "/admin/dead-letters";
    String none = list + "/999999999";
    p.put("GET /admin/dead-letters 200 " + json, () -> admin(node, "GET", list));
    p.put("GET /admin/dead-letters 401 " + json, () -> get(node, list, null));
    String one = "GET /admin/dead-letters/{id}";
    p.put(one + " 200 " + json, () -> admin(node, "GET", list + "/" + kept(node, null)));
    p.put(one + " 401 " + json, () -> get(node, list + "/" + kept(node, null), null));
    p.put(one + " 404 " + json, () -> admin(node, "GET", none));
    String delete = "DELETE /admin/dead-letters/{id}";
    p.put(delete + " 204", () -> admin(node, "DELETE", list + "/" + kept(node, null)));
    p.put(delete + " 401 " + json, () -> send(node, "DELETE", list + "/1", null, null, null));
    p.put(delete + " 404 " + json, () -> admin(node, "DELETE", none));
    String replay = "POST /admin/dead-letters/{id}/replay";
    p.put(
        replay + " 200 " + json,
        () -> {
          UUID issue = UUID.fromString(reported().substring("/issues/".length()));
          return admin(node, "POST", list + "/" + kept(node, issue) + "/replay");
        });
    p.put(
        replay + " 401 " + json,
        () -> send(node, "POST", list + "/1/replay", null, null, new byte[0]));
    p.put(replay + " 404 " + json, () -> admin(node, "POST", none + "/replay"));
    p.put(
        replay + " 409 " + json,
        () -> admin(node, "POST", list + "/" + kept(node, UUID.randomUUID()) + "/replay"));
    p.put(
        replay + " 503 " + json,
        () -> admin(cutOff, "POST", list + "/" + kept(cutOff, UUID.randomUUID()) + "/replay"));
  }

  /**
   * A dead letter kept in the node's table: an assignment of {@code issue}'s ticket, or, without an
   * issue, a message of an unknown type.
   *
   * @return its id
   */
  private static long kept(CustomerTestNode on, UUID issue) {
    String messageId = (issue == null ? UUID.randomUUID() : issue) + ":2";
    String type = issue == null ? "ticket.ticketWasFrozen" : "ticket.ticketWasAssigned";
    String body =
        "{\"ticketId\":\""
            + (issue == null ? UUID.randomUUID() : issue)
            + "\",\"sequence\":2,\"occurredAt\":\"2026-12-07T09:00:00Z\"}";
    return ((Number)
            on.sql
                .rows(
                    "INSERT INTO event_dead_letters (message_id, type, issue_id, body, body_size,"
                        + " headers, reason, first_failed_at, last_failed_at, attempts)"
                        + " VALUES (?, ?, ?, ?, ?, '{}'::jsonb, 'kept by the test', now(), now(), 1)"
                        + " RETURNING id",
                    messageId,
                    type,
                    issue,
                    body.getBytes(UTF_8),
                    body.length())
                .get(0)
                .get("id"))
        .longValue();
  }

  /**
   * Pauses the relay, sets one instance's offset to where it is (to its head when it has stored
   * none: nothing waits there), resumes it: the answer of the set.
   */
  private static HttpResponse<String> moveAnOffsetToWhereItIs() {
    String admin = "/admin/projections/" + OutboxRelay.NAME;
    assertEquals(200, Requests.admin(node, "POST", admin + "/pause").statusCode());
    try {
      JsonNode instance =
          JSON.readTree(Requests.admin(node, "GET", "/admin/projections").body())
              .path("projections")
              .get(0)
              .path("instances")
              .get(0);
      String key = instance.path("key").asText();
      return adminJson(
          node,
          admin + "/offset",
          instance.path("offset").isTextual()
              ? "{\"key\":\"" + key + "\",\"offset\":\"" + instance.path("offset").asText() + "\"}"
              : "{\"key\":\"" + key + "\",\"toHead\":true}");
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } finally {
      assertEquals(200, Requests.admin(node, "POST", admin + "/resume").statusCode());
    }
  }

  @Test
  void theDocumentIsOpenApi3AndEveryReferenceResolves() {
    assertTrue(doc.path("openapi").asText().startsWith("3.0."), doc.path("openapi").asText());
    assertFalse(doc.path("info").path("title").asText().isBlank());
    List<String> refs = new ArrayList<>();
    collectRefs(doc, refs);
    assertFalse(refs.isEmpty());
    for (String ref : refs) {
      assertTrue(
          ref.startsWith("#/") && !doc.at(ref.substring(1)).isMissingNode(), "unresolved " + ref);
    }
  }

  @Test
  void everyRouteTheNodeServesIsDocumentedAndNothingElse() {
    assertEquals(new TreeSet<>(SERVED), operations());
  }

  @Test
  void everyDocumentedStatusHasARequestThatProvokesIt() {
    assertEquals(documentedAnswers(), new TreeSet<>(provocations().keySet()));
  }

  @TestFactory
  Stream<DynamicTest> eachDocumentedStatusIsReal() {
    return provocations().entrySet().stream()
        .map(
            e ->
                DynamicTest.dynamicTest(
                    e.getKey(), () -> assertAnswers(e.getKey(), e.getValue().get())));
  }

  @TestFactory
  Stream<DynamicTest> eachDocumentedOperationIsServed() {
    Map<String, Supplier<HttpResponse<String>>> provocations = provocations();
    return operations().stream()
        .map(
            op ->
                DynamicTest.dynamicTest(
                    op,
                    () -> {
                      // its first documented success, on the node that serves
                      String success =
                          provocations.keySet().stream()
                              .filter(k -> k.startsWith(op + " 2"))
                              .findFirst()
                              .orElseThrow();
                      HttpResponse<String> response = provocations.get(success).get();
                      assertFalse(
                          response.statusCode() == 404 || response.statusCode() == 405,
                          op + ": " + response.body());
                      assertEquals(2, response.statusCode() / 100, op + ": " + response.body());
                    }));
  }

  @Test
  void swaggerUiIsServedWithItsAssets() {
    HttpResponse<String> docs = get(node, "/docs", BROWSER_ACCEPT);

    assertEquals(200, docs.statusCode());
    assertEquals("text/html; charset=UTF-8", header(docs, "Content-Type"));
    assertTrue(
        docs.body().contains("swagger-ui-bundle.js")
            && docs.body().contains("\"/assets/app/docs.js\""),
        docs.body());
    Matcher assets = Pattern.compile("(?:src|href)=\"(/[^\"]+)\"").matcher(docs.body());
    int count = 0;
    while (assets.find()) {
      HttpResponse<String> asset = get(node, assets.group(1), null);
      assertEquals(200, asset.statusCode(), assets.group(1));
      count++;
    }
    assertTrue(count >= 3, "the page's scripts and styles");
  }

  // ---- helpers --------------------------------------------------------------------------------

  /** The status, media type and (for JSON) the top level of the documented schema. */
  private static void assertAnswers(String documented, HttpResponse<String> response)
      throws IOException {
    String[] parts = documented.split(" ");
    int status = Integer.parseInt(parts[2]);
    assertEquals(status, response.statusCode(), () -> documented + ": " + response.body());
    if (parts.length == 3) {
      return;
    }
    String mediaType = header(response, "Content-Type").split(";")[0].trim();
    assertEquals(parts[3], mediaType, documented);
    if (mediaType.equals("application/json")) {
      JsonNode schema =
          resolve(
              response(parts[0], parts[1], parts[2])
                  .path("content")
                  .path(mediaType)
                  .path("schema"));
      assertFitsTopLevel(documented, schema, JSON.readTree(response.body()));
    }
  }

  /**
   * The body is an object with the schema's required properties and, when it says so, no others.
   */
  private static void assertFitsTopLevel(String what, JsonNode schema, JsonNode body) {
    assertTrue(body.isObject(), what + ": " + body);
    schema
        .path("required")
        .forEach(r -> assertTrue(body.has(r.asText()), what + ": no " + r + " in " + body));
    if (schema.path("additionalProperties").isBoolean()
        && !schema.path("additionalProperties").asBoolean()) {
      body.fieldNames()
          .forEachRemaining(
              f ->
                  assertTrue(
                      schema.path("properties").has(f),
                      what + ": undocumented " + f + " in " + body));
    }
  }

  private static TreeSet<String> operations() {
    TreeSet<String> operations = new TreeSet<>();
    doc.path("paths")
        .fields()
        .forEachRemaining(
            path ->
                path.getValue()
                    .fieldNames()
                    .forEachRemaining(
                        method -> {
                          if (METHODS.contains(method)) {
                            operations.add(method.toUpperCase() + " " + path.getKey());
                          }
                        }));
    return operations;
  }

  private static TreeSet<String> documentedAnswers() {
    TreeSet<String> answers = new TreeSet<>();
    for (String op : operations()) {
      String[] parts = op.split(" ");
      doc.path("paths")
          .path(parts[1])
          .path(parts[0].toLowerCase())
          .path("responses")
          .fieldNames()
          .forEachRemaining(
              status -> {
                JsonNode content = response(parts[0], parts[1], status).path("content");
                if (content.isEmpty()) {
                  answers.add(op + " " + status);
                }
                content
                    .fieldNames()
                    .forEachRemaining(
                        mediaType -> answers.add(op + " " + status + " " + mediaType));
              });
    }
    return answers;
  }

  private static JsonNode response(String method, String path, String status) {
    return resolve(
        doc.path("paths").path(path).path(method.toLowerCase()).path("responses").path(status));
  }

  private static JsonNode resolve(JsonNode node) {
    return node.has("$ref") ? doc.at(node.path("$ref").asText().substring(1)) : node;
  }

  private static void collectRefs(JsonNode node, List<String> refs) {
    if (node.has("$ref")) {
      refs.add(node.path("$ref").asText());
    }
    node.forEach(child -> collectRefs(child, refs));
  }

  /** A request to the node from an address of this host other than loopback. */
  private static HttpResponse<String> fromElsewhere(
      CustomerTestNode to, String method, String path) {
    java.util.Optional<java.net.InetAddress> address;
    try {
      address =
          java.net.NetworkInterface.networkInterfaces()
              .filter(
                  i -> {
                    try {
                      return i.isUp() && !i.isLoopback();
                    } catch (java.net.SocketException e) {
                      return false;
                    }
                  })
              .flatMap(java.net.NetworkInterface::inetAddresses)
              .filter(
                  a ->
                      a instanceof java.net.Inet4Address
                          && !a.isLoopbackAddress()
                          && !a.isLinkLocalAddress())
              .findFirst();
    } catch (java.net.SocketException e) {
      address = java.util.Optional.empty();
    }
    org.junit.jupiter.api.Assumptions.assumeTrue(
        address.isPresent(), "this host has no address but loopback");
    try {
      return java.net.http.HttpClient.newHttpClient()
          .send(
              java.net.http.HttpRequest.newBuilder(
                      java.net.URI.create(
                          "http://"
                              + address.get().getHostAddress()
                              + ":"
                              + to.node.node().httpAddress().getPort()
                              + path))
                  .timeout(java.time.Duration.ofSeconds(30))
                  .method(method, java.net.http.HttpRequest.BodyPublishers.noBody())
                  .build(),
              HttpResponse.BodyHandlers.ofString(UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String report(UUID id, String content) {
    return "{\"issueId\":\""
        + id
        + "\",\"email\":\""
        + JANE
        + "\",\"content\":\""
        + content
        + "\"}";
  }

  /** The path of a newly reported, open issue. */
  private static String reported() {
    UUID id = UUID.randomUUID();
    assertEquals(201, postJson(node, "/issues", report(id, "documented")).statusCode());
    return "/issues/" + id;
  }
}
