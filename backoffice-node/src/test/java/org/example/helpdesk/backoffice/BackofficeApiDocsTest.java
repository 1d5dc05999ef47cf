package org.example.helpdesk.backoffice;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.example.helpdesk.backoffice.Browser.Page;
import org.example.helpdesk.backoffice.auth.Access;
import org.example.helpdesk.testsupport.HttpTestClient;
import org.example.helpdesk.testsupport.TcpProxy;
import org.example.helpdesk.testsupport.TestEmployees;
import org.example.helpdesk.testsupport.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The OpenAPI document at {@code /openapi.json} against the node: it lists exactly the routes the
 * node serves, and every status it documents is one a real request gets. The node reaches its
 * database through a proxy, so that the 503s can be had by cutting it (last).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BackofficeApiDocsTest {

  /** The JSON API as TicketRoutes, DeadLetterRoutes, HealthRoutes and NodeMetrics serve it. */
  private static final Set<String> ROUTES =
      Set.of(
          "GET /tickets",
          "POST /tickets",
          "GET /tickets/{ticketId}",
          "POST /tickets/{ticketId}/assign",
          "POST /tickets/{ticketId}/cancel",
          "POST /tickets/{ticketId}/answer",
          "GET /tickets/{ticketId}/history",
          "GET /dead-letters",
          "GET /dead-letters/{id}",
          "DELETE /dead-letters/{id}",
          "POST /dead-letters/{id}/replay",
          "POST /dead-letters/bulk/replay",
          "POST /dead-letters/bulk/delete",
          "GET /admin/projections",
          "POST /admin/projections/{name}/pause",
          "POST /admin/projections/{name}/resume",
          "POST /admin/projections/{name}/rebuild",
          "POST /admin/projections/{name}/offset",
          "GET /health",
          "GET /health/live",
          "GET /health/ready",
          "GET /metrics");

  /**
   * Documented statuses no request here provokes: {@code /health} is 503 while the node is not (or
   * no longer) an Up member of its cluster, which only happens while it joins or leaves.
   */
  private static final Set<String> NOT_PROVOKED = Set.of("GET /health 503");

  private static final String TESS = "tess";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String BIG = "{\"description\":\"" + "x".repeat(70_000) + "\"}";

  private static TcpProxy database;
  private static BackofficeTestNode node;
  private static JsonNode document;
  private static Browser signedIn;
  private static String awaitingTicket;
  private static String ticketToCancel;
  private static String cancelledTicket;
  private static String customerTicket;
  private static long failingLetter;
  private static long fixableLetter;
  private static UUID fixableTicket;
  private static long letterToDelete;

  @BeforeAll
  static void start() throws Exception {
    java.net.URI db = java.net.URI.create(TestPostgres.jdbcUrl().substring("jdbc:".length()));
    database = new TcpProxy(db.getHost(), db.getPort());
    node =
        new BackofficeTestNode(
            ConfigFactory.parseMap(
                Map.of(
                    "helpdesk.database.url",
                        TestPostgres.jdbcUrl()
                            .replaceFirst("//[^/]+/", "//127.0.0.1:" + database.port() + "/"),
                    "helpdesk.database.connection-timeout", "2s",
                    "helpdesk.auth.employees",
                        TestEmployees.ENTRIES
                            + " "
                            + BackofficeTestNode.employee(TESS, "agent", "tess-password"),
                    "helpdesk.auth.base-delay", "60s",
                    // /metrics asks for credentials from addresses other than loopback
                    "helpdesk.http.host", "0.0.0.0")));
    document = JSON.readTree(node.browser().get("/openapi.json").body());
    signedIn = node.browser().signIn(TestEmployees.OPERATOR, TestEmployees.OPERATOR_PASSWORD);

    awaitingTicket = createTicket();
    ticketToCancel = createTicket();
    cancelledTicket = createTicket();
    assertEquals(
        200, node.http.post("/tickets/" + cancelledTicket + "/cancel", null, new byte[0]).status());
    customerTicket = node.customerTicket("a customer's issue, for the documentation").toString();
    BackofficeTestNode.publishRaw("ticket.cancel", "docs-failing", "not json");
    BackofficeTestNode.publishRaw("ticket.cancel", "docs-delete", "not json either");
    fixableTicket = UUID.randomUUID();
    BackofficeTestNode.publishRaw(
        "ticket.prepareTicket",
        "docs-fixable",
        "{\"ticketId\":\"" + fixableTicket + "\",\"ticketType\":\" \",\"description\":\"d\"}");
    await().atMost(Duration.ofSeconds(20)).until(() -> node.deadLetters().size() == 3);
    failingLetter = node.deadLetter("docs-failing").orElseThrow().path("id").asLong();
    letterToDelete = node.deadLetter("docs-delete").orElseThrow().path("id").asLong();
    fixableLetter = node.deadLetter("docs-fixable").orElseThrow().path("id").asLong();
    // blocked: three wrong passwords in a row, from loopback and from this host's other address
    // (an address that has not failed is not held back by the others' failures)
    for (int i = 0; i < 3; i++) {
      assertEquals(401, node.http.as(TESS, "guess").get("/tickets").status());
    }
    Optional<InetAddress> other = BackofficeTestNode.nonLoopbackAddress();
    if (other.isPresent()) {
      Browser elsewhere = new Browser("http://" + other.get().getHostAddress() + ":" + node.port());
      for (int i = 0; i < 3; i++) {
        assertEquals(
            401,
            elsewhere
                .get("/tickets", "Authorization", HttpTestClient.basic(TESS, "guess"))
                .status());
      }
    }
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> node.http.anonymous().get("/health/ready").status() == 200);
  }

  @AfterAll
  static void stop() {
    database.restore();
    node.close();
    database.close();
  }

  @Test
  @Order(1)
  void theDocumentListsEveryRouteTheNodeServesAndNoOther() {
    assertEquals("3.0.3", document.path("openapi").asText());
    assertEquals(ROUTES, new TreeSet<>(operations().keySet()));
    JsonNode schemes = document.path("components").path("securitySchemes");
    assertEquals("basic", schemes.path("basicAuth").path("scheme").asText());
    assertEquals(Access.SESSION_COOKIE, schemes.path("cookieAuth").path("name").asText());
    // every $ref leads somewhere
    Matcher refs =
        Pattern.compile("\"\\$ref\"\\s*:\\s*\"#/([^\"]+)\"").matcher(document.toString());
    while (refs.find()) {
      JsonNode target = document;
      for (String part : refs.group(1).split("/")) {
        target = target.path(part);
      }
      assertFalse(target.isMissingNode(), "dangling $ref " + refs.group(1));
    }
  }

  @Test
  @Order(2)
  void everyDocumentedOperationIsServed() {
    for (String op : operations().keySet()) {
      String[] parts = op.split(" ", 2);
      String path =
          parts[1]
              .replace("{ticketId}", UUID.randomUUID().toString())
              .replace("{id}", "987654321")
              .replace("{name}", "none");
      String body =
          parts[1].endsWith("/assign")
              ? "{\"assignee\":\"alice\"}"
              : parts[1].endsWith("/answer")
                  ? "{\"reply\":\"hello\"}"
                  : parts[1].equals("/tickets")
                      ? "{\"ticketType\":\"t\",\"description\":\"d\"}"
                      : null;
      Page page =
          operator()
              .request(
                  parts[0],
                  path,
                  body == null ? null : "application/json",
                  body == null ? null : body.getBytes(UTF_8));

      assertNotEquals(405, page.status(), () -> op + ": " + page);
      assertFalse(page.body().contains("no such resource"), () -> op + " is not served: " + page);
    }
  }

  @Test
  @Order(3)
  void everyDocumentedStatusIsAnsweredToARealRequest() {
    Map<String, Supplier<Page>> provoke = provocations();
    Map<String, Set<Integer>> documented = operations();
    Set<String> statuses = new TreeSet<>();
    documented.forEach((op, codes) -> codes.forEach(code -> statuses.add(op + " " + code)));
    Set<String> undocumented = new TreeSet<>(provoke.keySet());
    undocumented.removeAll(statuses);
    assertEquals(Set.of(), undocumented, "provoked but not documented");

    List<String> wrong = new ArrayList<>();
    for (String status : statuses) {
      if (NOT_PROVOKED.contains(status)
          || status.endsWith(" 503")
          || status.startsWith("GET /metrics 4")) {
        continue; // the 503s with the database down, /metrics' 401 and 429 from another address:
        // below
      }
      Supplier<Page> request = provoke.get(status);
      if (request == null) {
        wrong.add(status + ": no request provokes it");
        continue;
      }
      Page page = request.get();
      int expected = Integer.parseInt(status.substring(status.lastIndexOf(' ') + 1));
      if (page.status() != expected) {
        wrong.add(status + ": got " + page);
      } else if (expected >= 400 && !page.json().path("error").isTextual()) {
        wrong.add(status + ": no JSON error: " + page);
      }
    }
    assertEquals(List.of(), wrong);
  }

  @Test
  @Order(4)
  void theResponsesHaveTheDocumentedFields() {
    assertFields("Ticket", operator().get("/tickets/" + awaitingTicket).json());
    assertFields("Ticket", operator().get("/tickets").json().get(0));
    for (JsonNode entry : operator().get("/tickets/" + awaitingTicket + "/history").json()) {
      assertFields("HistoryEntry", entry);
    }
    assertFields("DeadLetter", operator().get("/dead-letters/" + failingLetter).json());
    assertFields("DeadLetter", operator().get("/dead-letters").json().get(0));
    assertFields("Readiness", node.browser().get("/health/ready").json());
    assertFields("Health", node.browser().get("/health").json());
    JsonNode projection = operator().get("/admin/projections").json().path("projections").get(0);
    assertFields("Projection", projection);
    assertFields("ProjectionInstance", projection.path("instances").get(0));
  }

  @Test
  @Order(5)
  void metricsAskForCredentialsFromAnotherAddress() {
    Optional<InetAddress> other = BackofficeTestNode.nonLoopbackAddress();
    Assumptions.assumeTrue(other.isPresent(), "this host has no address but loopback");
    Browser elsewhere = new Browser("http://" + other.get().getHostAddress() + ":" + node.port());

    assertEquals(Set.of(200, 401, 429), operations().get("GET /metrics"));
    assertEquals(401, elsewhere.get("/metrics").status());
    assertEquals(
        429,
        elsewhere
            .get("/metrics", "Authorization", HttpTestClient.basic(TESS, "tess-password"))
            .status());
    assertEquals(
        200,
        elsewhere
            .get(
                "/metrics",
                "Authorization",
                HttpTestClient.basic(TestEmployees.AGENT, TestEmployees.AGENT_PASSWORD))
            .status());
  }

  @Test
  @Order(6)
  void theDocsPageLoadsSwaggerUiAndItsAssetsFromTheNode() {
    Page docs = node.browser().get("/docs");
    assertEquals(200, docs.status());
    assertTrue(docs.header("Content-Type").startsWith("text/html"));
    assertTrue(docs.body().contains("swagger-ui-bundle.js"), docs::toString);
    assertTrue(docs.body().contains("/assets/app/docs.js"), docs::toString);
    Matcher assets = Pattern.compile("(?:src|href)=\"(/assets/[^\"]+)\"").matcher(docs.body());
    int count = 0;
    while (assets.find()) {
      Page asset = node.browser().get(assets.group(1));
      assertEquals(200, asset.status(), () -> assets.group(1) + ": " + asset.status());
      count++;
    }
    assertTrue(count >= 3, "the bundle, its styles, docs.js");
    assertTrue(node.browser().get("/assets/app/docs.js").body().contains("/openapi.json"));
    assertEquals("application/json", node.browser().get("/openapi.json").header("Content-Type"));
  }

  @Test
  @Order(7)
  void withTheDatabaseDownTheDocumented503sAreAnswered() {
    List<String> unavailable = new ArrayList<>();
    operations()
        .forEach(
            (op, codes) -> {
              if (codes.contains(503) && !NOT_PROVOKED.contains(op + " 503")) {
                unavailable.add(op);
              }
            });
    Map<String, Supplier<Page>> requests = whileDown();
    assertEquals(new TreeSet<>(unavailable), new TreeSet<>(requests.keySet()));

    database.cut();
    try {
      Map<String, CompletableFuture<Page>> answers = new TreeMap<>();
      requests.forEach((op, request) -> answers.put(op, CompletableFuture.supplyAsync(request)));
      List<String> wrong = new ArrayList<>();
      answers.forEach(
          (op, answer) -> {
            Page page = answer.join();
            if (page.status() != 503) {
              wrong.add(op + ": got " + page);
            }
          });
      assertEquals(List.of(), wrong);
    } finally {
      database.restore();
    }
  }

  // ---- the requests ----------------------------------------------------------------------------

  /** A request for each documented status but the 503s, by "METHOD path status". */
  private static Map<String, Supplier<Page>> provocations() {
    Map<String, Supplier<Page>> p = new LinkedHashMap<>();
    String unknownTicket = "/tickets/" + UUID.randomUUID();
    String ticket = "/tickets/" + awaitingTicket;
    String letter = "/dead-letters/" + failingLetter;

    p.put("GET /tickets 200", () -> operator().get("/tickets?status=awaiting&limit=10"));
    p.put("GET /tickets 400", () -> operator().get("/tickets?status=lost"));
    p.put("GET /tickets 401", () -> node.browser().get("/tickets"));
    p.put("GET /tickets 429", () -> blocked().get("/tickets"));

    p.put(
        "POST /tickets 201",
        () ->
            json(
                operator(),
                "POST",
                "/tickets",
                "{\"ticketType\":\"internal\",\"description\":\"docs\"}"));
    p.put(
        "POST /tickets 400",
        () -> json(operator(), "POST", "/tickets", "{\"ticketType\":\"internal\"}"));
    p.put(
        "POST /tickets 401",
        () ->
            json(
                node.browser(),
                "POST",
                "/tickets",
                "{\"ticketType\":\"internal\",\"description\":\"docs\"}"));
    p.put(
        "POST /tickets 403",
        () ->
            json(
                signedIn,
                "POST",
                "/tickets",
                "{\"ticketType\":\"internal\",\"description\":\"no token\"}"));
    p.put("POST /tickets 413", () -> json(operator(), "POST", "/tickets", BIG));
    p.put(
        "POST /tickets 415",
        () -> operator().request("POST", "/tickets", "text/plain", "ticket".getBytes(UTF_8)));
    p.put(
        "POST /tickets 429",
        () ->
            json(
                blocked(),
                "POST",
                "/tickets",
                "{\"ticketType\":\"internal\",\"description\":\"docs\"}"));

    p.put("GET /tickets/{ticketId} 200", () -> operator().get(ticket));
    p.put("GET /tickets/{ticketId} 400", () -> operator().get("/tickets/not-a-uuid"));
    p.put("GET /tickets/{ticketId} 401", () -> node.browser().get(ticket));
    p.put("GET /tickets/{ticketId} 404", () -> operator().get(unknownTicket));
    p.put("GET /tickets/{ticketId} 429", () -> blocked().get(ticket));

    String assignment = "{\"assignee\":\"alice\"}";
    p.put(
        "POST /tickets/{ticketId}/assign 200",
        () -> json(operator(), "POST", ticket + "/assign", assignment));
    p.put(
        "POST /tickets/{ticketId}/assign 400",
        () -> json(operator(), "POST", ticket + "/assign", "{\"assignee\":\" \"}"));
    p.put(
        "POST /tickets/{ticketId}/assign 401",
        () -> json(node.browser(), "POST", ticket + "/assign", assignment));
    p.put(
        "POST /tickets/{ticketId}/assign 403",
        () -> json(signedIn, "POST", ticket + "/assign", assignment));
    p.put(
        "POST /tickets/{ticketId}/assign 404",
        () -> json(operator(), "POST", unknownTicket + "/assign", assignment));
    p.put(
        "POST /tickets/{ticketId}/assign 409",
        () -> json(operator(), "POST", "/tickets/" + cancelledTicket + "/assign", assignment));
    p.put(
        "POST /tickets/{ticketId}/assign 413",
        () -> json(operator(), "POST", ticket + "/assign", BIG));
    p.put(
        "POST /tickets/{ticketId}/assign 415",
        () ->
            operator().request("POST", ticket + "/assign", "text/plain", "alice".getBytes(UTF_8)));
    p.put(
        "POST /tickets/{ticketId}/assign 429",
        () -> json(blocked(), "POST", ticket + "/assign", assignment));

    String reply = "{\"reply\":\"Thanks, we are on it.\"}";
    String answer = "/tickets/" + customerTicket + "/answer";
    p.put("POST /tickets/{ticketId}/answer 200", () -> json(operator(), "POST", answer, reply));
    p.put(
        "POST /tickets/{ticketId}/answer 400",
        () -> json(operator(), "POST", answer, "{\"reply\":\" \"}"));
    p.put("POST /tickets/{ticketId}/answer 401", () -> json(node.browser(), "POST", answer, reply));
    p.put("POST /tickets/{ticketId}/answer 403", () -> json(signedIn, "POST", answer, reply));
    p.put(
        "POST /tickets/{ticketId}/answer 404",
        () -> json(operator(), "POST", unknownTicket + "/answer", reply));
    p.put(
        "POST /tickets/{ticketId}/answer 409",
        () -> json(operator(), "POST", ticket + "/answer", reply));
    p.put("POST /tickets/{ticketId}/answer 413", () -> json(operator(), "POST", answer, BIG));
    p.put(
        "POST /tickets/{ticketId}/answer 415",
        () -> operator().request("POST", answer, "text/plain", "hello".getBytes(UTF_8)));
    p.put("POST /tickets/{ticketId}/answer 429", () -> json(blocked(), "POST", answer, reply));

    p.put("GET /tickets/{ticketId}/history 200", () -> operator().get(ticket + "/history"));
    p.put(
        "GET /tickets/{ticketId}/history 400", () -> operator().get("/tickets/not-a-uuid/history"));
    p.put("GET /tickets/{ticketId}/history 401", () -> node.browser().get(ticket + "/history"));
    p.put("GET /tickets/{ticketId}/history 404", () -> operator().get(unknownTicket + "/history"));
    p.put("GET /tickets/{ticketId}/history 429", () -> blocked().get(ticket + "/history"));

    String cancel = "/tickets/" + ticketToCancel + "/cancel";
    p.put(
        "POST /tickets/{ticketId}/cancel 200",
        () -> operator().request("POST", cancel, null, null));
    p.put(
        "POST /tickets/{ticketId}/cancel 400",
        () -> operator().request("POST", "/tickets/123/cancel", null, null));
    p.put(
        "POST /tickets/{ticketId}/cancel 401",
        () -> node.browser().request("POST", cancel, null, null));
    p.put(
        "POST /tickets/{ticketId}/cancel 403", () -> signedIn.request("POST", cancel, null, null));
    p.put(
        "POST /tickets/{ticketId}/cancel 404",
        () -> operator().request("POST", unknownTicket + "/cancel", null, null));
    p.put(
        "POST /tickets/{ticketId}/cancel 429", () -> blocked().request("POST", cancel, null, null));

    p.put("GET /dead-letters 200", () -> operator().get("/dead-letters?limit=10"));
    p.put("GET /dead-letters 400", () -> operator().get("/dead-letters?limit=0"));
    p.put("GET /dead-letters 401", () -> node.browser().get("/dead-letters"));
    p.put("GET /dead-letters 403", () -> agent().get("/dead-letters"));
    p.put("GET /dead-letters 429", () -> blocked().get("/dead-letters"));

    p.put("GET /dead-letters/{id} 200", () -> operator().get(letter));
    p.put("GET /dead-letters/{id} 400", () -> operator().get("/dead-letters/first"));
    p.put("GET /dead-letters/{id} 401", () -> node.browser().get(letter));
    p.put("GET /dead-letters/{id} 403", () -> agent().get(letter));
    p.put("GET /dead-letters/{id} 404", () -> operator().get("/dead-letters/987654321"));
    p.put("GET /dead-letters/{id} 429", () -> blocked().get(letter));

    String delete = "/dead-letters/" + letterToDelete;
    p.put("DELETE /dead-letters/{id} 204", () -> operator().request("DELETE", delete, null, null));
    p.put(
        "DELETE /dead-letters/{id} 400",
        () -> operator().request("DELETE", "/dead-letters/first", null, null));
    p.put(
        "DELETE /dead-letters/{id} 401",
        () -> node.browser().request("DELETE", delete, null, null));
    p.put("DELETE /dead-letters/{id} 403", () -> agent().request("DELETE", delete, null, null));
    p.put(
        "DELETE /dead-letters/{id} 404",
        () -> operator().request("DELETE", "/dead-letters/987654321", null, null));
    p.put("DELETE /dead-letters/{id} 429", () -> blocked().request("DELETE", delete, null, null));

    String corrected =
        "{\"ticketId\":\""
            + fixableTicket
            + "\",\"ticketType\":\"customer-issue\",\"description\":\"d\"}";
    p.put(
        "POST /dead-letters/{id}/replay 200",
        () -> json(operator(), "POST", "/dead-letters/" + fixableLetter + "/replay", corrected));
    p.put(
        "POST /dead-letters/{id}/replay 400",
        () -> json(operator(), "POST", letter + "/replay", "{\"ticketId\":"));
    p.put(
        "POST /dead-letters/{id}/replay 401",
        () -> node.browser().request("POST", letter + "/replay", null, null));
    p.put(
        "POST /dead-letters/{id}/replay 403",
        () -> agent().request("POST", letter + "/replay", null, null));
    p.put(
        "POST /dead-letters/{id}/replay 404",
        () -> operator().request("POST", "/dead-letters/987654321/replay", null, null));
    p.put(
        "POST /dead-letters/{id}/replay 409",
        () -> operator().request("POST", letter + "/replay", null, null));
    p.put(
        "POST /dead-letters/{id}/replay 413",
        () -> json(operator(), "POST", letter + "/replay", BIG));
    p.put(
        "POST /dead-letters/{id}/replay 415",
        () ->
            operator().request("POST", letter + "/replay", "text/plain", "again".getBytes(UTF_8)));
    p.put(
        "POST /dead-letters/{id}/replay 429",
        () -> blocked().request("POST", letter + "/replay", null, null));

    p.put("GET /admin/projections 200", () -> operator().get("/admin/projections"));
    p.put("GET /admin/projections 401", () -> node.browser().get("/admin/projections"));
    p.put("GET /admin/projections 403", () -> agent().get("/admin/projections"));
    p.put("GET /admin/projections 429", () -> blocked().get("/admin/projections"));
    // (in this order: pause, rebuild while paused, resume)
    for (String control : List.of("pause", "resume", "rebuild")) {
      String op = "POST /admin/projections/{name}/" + control;
      String path = "/admin/projections/tickets/" + control;
      p.put(
          op + (control.equals("rebuild") ? " 202" : " 200"),
          () -> operator().request("POST", path, null, null));
      p.put(op + " 401", () -> node.browser().request("POST", path, null, null));
      p.put(op + " 403", () -> agent().request("POST", path, null, null));
      p.put(
          op + " 404",
          () -> operator().request("POST", "/admin/projections/none/" + control, null, null));
      p.put(op + " 429", () -> blocked().request("POST", path, null, null));
    }
    p.put(
        "POST /admin/projections/{name}/rebuild 409",
        BackofficeApiDocsTest::rebuildWhileAnotherNodeRebuilds);

    String offset = "/admin/projections/tickets/offset";
    String toHead = "{\"key\":\"ticket-0\",\"toHead\":true}";
    String move = "POST /admin/projections/{name}/offset";
    // (before the pause and resume above: in the order of the statuses, it comes first)
    p.put(move + " 200", BackofficeApiDocsTest::moveAnOffsetToWhereItIs);
    p.put(move + " 400", () -> json(operator(), "POST", offset, "{\"key\":\"ticket-0\"}"));
    p.put(move + " 401", () -> json(node.browser(), "POST", offset, toHead));
    p.put(move + " 403", () -> json(agent(), "POST", offset, toHead));
    p.put(move + " 404", () -> json(operator(), "POST", "/admin/projections/none/offset", toHead));
    p.put(move + " 409", () -> json(operator(), "POST", offset, toHead));
    p.put(move + " 413", () -> json(operator(), "POST", offset, BIG));
    p.put(
        move + " 415",
        () -> operator().request("POST", offset, "text/plain", toHead.getBytes(UTF_8)));
    p.put(move + " 429", () -> json(blocked(), "POST", offset, toHead));

    // (counts only: the letters above stay for the other requests)
    String count = "{\"type\":\"ticket.cancel\",\"dryRun\":true}";
    for (String action : List.of("replay", "delete")) {
      String op = "POST /dead-letters/bulk/" + action;
      String path = "/dead-letters/bulk/" + action;
      p.put(op + " 200", () -> json(operator(), "POST", path, count));
      p.put(op + " 400", () -> json(operator(), "POST", path, "{\"status\":\"resolved\"}"));
      p.put(op + " 401", () -> json(node.browser(), "POST", path, count));
      p.put(op + " 403", () -> json(agent(), "POST", path, count));
      p.put(op + " 413", () -> json(operator(), "POST", path, BIG));
      p.put(
          op + " 415", () -> operator().request("POST", path, "text/plain", count.getBytes(UTF_8)));
      p.put(op + " 429", () -> json(blocked(), "POST", path, count));
    }

    p.put("GET /health 200", () -> node.browser().get("/health"));
    p.put("GET /health/live 200", () -> node.browser().get("/health/live"));
    p.put("GET /health/ready 200", () -> node.browser().get("/health/ready"));
    p.put("GET /metrics 200", () -> node.browser().get("/metrics"));
    return p;
  }

  /** A request for each operation documented to answer 503, to send while the database is down. */
  private static Map<String, Supplier<Page>> whileDown() {
    Map<String, Supplier<Page>> p = new LinkedHashMap<>();
    String ticket = "/tickets/" + awaitingTicket;
    p.put("GET /tickets", () -> operator().get("/tickets"));
    p.put(
        "POST /tickets",
        () ->
            json(
                operator(),
                "POST",
                "/tickets",
                "{\"ticketType\":\"internal\",\"description\":\"while down\"}"));
    p.put("GET /tickets/{ticketId}", () -> operator().get(ticket));
    p.put(
        "POST /tickets/{ticketId}/assign",
        () -> json(operator(), "POST", ticket + "/assign", "{\"assignee\":\"bob\"}"));
    p.put(
        "POST /tickets/{ticketId}/cancel",
        () -> operator().request("POST", ticket + "/cancel", null, null));
    p.put(
        "POST /tickets/{ticketId}/answer",
        () ->
            json(
                operator(),
                "POST",
                "/tickets/" + customerTicket + "/answer",
                "{\"reply\":\"while the database is down\"}"));
    p.put("GET /tickets/{ticketId}/history", () -> operator().get(ticket + "/history"));
    p.put("GET /dead-letters", () -> operator().get("/dead-letters"));
    p.put("GET /dead-letters/{id}", () -> operator().get("/dead-letters/" + failingLetter));
    p.put(
        "DELETE /dead-letters/{id}",
        () -> operator().request("DELETE", "/dead-letters/" + failingLetter, null, null));
    p.put(
        "POST /dead-letters/{id}/replay",
        () -> operator().request("POST", "/dead-letters/" + failingLetter + "/replay", null, null));
    // (readiness is found at most once a second and shared meanwhile: the cut shows within that)
    p.put(
        "GET /health/ready",
        () ->
            await()
                .atMost(Duration.ofSeconds(5))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> node.browser().get("/health/ready"), page -> page.status() != 200));
    p.put("GET /admin/projections", () -> operator().get("/admin/projections"));
    p.put(
        "POST /admin/projections/{name}/pause",
        () -> operator().request("POST", "/admin/projections/tickets/pause", null, null));
    p.put(
        "POST /admin/projections/{name}/resume",
        () -> operator().request("POST", "/admin/projections/tickets/resume", null, null));
    p.put(
        "POST /admin/projections/{name}/rebuild",
        () -> operator().request("POST", "/admin/projections/tickets/rebuild", null, null));
    p.put(
        "POST /admin/projections/{name}/offset",
        () ->
            json(
                operator(),
                "POST",
                "/admin/projections/tickets/offset",
                "{\"key\":\"ticket-0\",\"toHead\":true}"));
    for (String action : List.of("replay", "delete")) {
      p.put(
          "POST /dead-letters/bulk/" + action,
          () -> json(operator(), "POST", "/dead-letters/bulk/" + action, "{\"dryRun\":true}"));
    }
    return p;
  }

  // ---- helpers ---------------------------------------------------------------------------------

  /** The documented operations, "METHOD path", with their statuses. */
  private static Map<String, Set<Integer>> operations() {
    Map<String, Set<Integer>> ops = new TreeMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> paths = document.path("paths").fields();
        paths.hasNext(); ) {
      Map.Entry<String, JsonNode> path = paths.next();
      for (Iterator<Map.Entry<String, JsonNode>> methods = path.getValue().fields();
          methods.hasNext(); ) {
        Map.Entry<String, JsonNode> method = methods.next();
        if (method.getKey().equals("parameters")) {
          continue;
        }
        Set<Integer> codes = new TreeSet<>();
        method
            .getValue()
            .path("responses")
            .fieldNames()
            .forEachRemaining(code -> codes.add(Integer.parseInt(code)));
        ops.put(method.getKey().toUpperCase(java.util.Locale.ROOT) + " " + path.getKey(), codes);
      }
    }
    return ops;
  }

  private static void assertFields(String schema, JsonNode value) {
    Set<String> documented = new TreeSet<>();
    document
        .path("components")
        .path("schemas")
        .path(schema)
        .path("properties")
        .fieldNames()
        .forEachRemaining(documented::add);
    Set<String> actual = new TreeSet<>();
    value.fieldNames().forEachRemaining(actual::add);
    assertEquals(documented, actual, schema + ": " + value);
  }

  private static Browser operator() {
    return withBasic(TestEmployees.OPERATOR, TestEmployees.OPERATOR_PASSWORD);
  }

  private static Browser agent() {
    return withBasic(TestEmployees.AGENT, TestEmployees.AGENT_PASSWORD);
  }

  /** The account that guessed wrong too often. */
  private static Browser blocked() {
    return withBasic(TESS, "tess-password");
  }

  private static Browser withBasic(String name, String password) {
    return node.browser().withBasic(name, password);
  }

  private static Page json(Browser browser, String method, String path, String json) {
    return browser.request(method, path, "application/json", json.getBytes(UTF_8));
  }

  /**
   * Pauses the projection, sets one instance's offset to where it is (to its head when it has
   * stored none: nothing waits there), resumes it: the answer of the set.
   */
  private static Page moveAnOffsetToWhereItIs() {
    assertEquals(
        200, operator().request("POST", "/admin/projections/tickets/pause", null, null).status());
    try {
      JsonNode instance =
          operator()
              .get("/admin/projections")
              .json()
              .path("projections")
              .get(0)
              .path("instances")
              .get(0);
      String key = instance.path("key").asText();
      return json(
          operator(),
          "POST",
          "/admin/projections/tickets/offset",
          instance.path("offset").isTextual()
              ? "{\"key\":\"" + key + "\",\"offset\":\"" + instance.path("offset").asText() + "\"}"
              : "{\"key\":\"" + key + "\",\"toHead\":true}");
    } finally {
      assertEquals(
          200,
          operator().request("POST", "/admin/projections/tickets/resume", null, null).status());
    }
  }

  /** A rebuild while another node's holds the schema's rebuild lock (after this node's ended). */
  private static Page rebuildWhileAnotherNodeRebuilds() {
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                !Set.of("building", "pausing", "catching-up", "swapping", "resuming")
                    .contains(
                        operator()
                            .get("/admin/projections")
                            .json()
                            .path("projections")
                            .get(0)
                            .path("rebuild")
                            .path("state")
                            .asText()));
    try (java.sql.Connection c = TestPostgres.connect();
        java.sql.Statement s = c.createStatement()) {
      c.setSchema(node.schema);
      s.execute("SELECT pg_advisory_lock(hashtext(current_schema() || '.tickets-rebuild'))");
      return operator().request("POST", "/admin/projections/tickets/rebuild", null, null);
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String createTicket() {
    var created =
        node.http.postJson(
            "/tickets", "{\"ticketType\":\"internal\",\"description\":\"for the documentation\"}");
    assertEquals(201, created.status(), created::toString);
    String id = created.json().path("ticketId").asText();
    node.awaitStatus(UUID.fromString(id), "awaiting");
    return id;
  }
}
