package org.example.helpdesk.backoffice.deadletter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigFactory;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.example.helpdesk.amqp.CommandMessage;
import org.example.helpdesk.amqp.OutboundMessage;
import org.example.helpdesk.backoffice.BackofficeTestNode;
import org.example.helpdesk.backoffice.Browser;
import org.example.helpdesk.backoffice.Browser.Page;
import org.example.helpdesk.protocol.CancelTicket;
import org.example.helpdesk.protocol.Description;
import org.example.helpdesk.protocol.DistributedCommand;
import org.example.helpdesk.protocol.PrepareTicket;
import org.example.helpdesk.protocol.TicketType;
import org.example.helpdesk.testsupport.HttpTestClient;
import org.example.helpdesk.testsupport.TestEmployees;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bulk replay and delete of dead letters against a node on the real database and broker. The
 * letters are written as the inbox leaves them (a failed head, commands parked behind it), with
 * commands that would now succeed, so that what a replay applies can be seen in the journal.
 */
class BulkDeadLetterTest {

  private static final String REPLAY = "/dead-letters/bulk/replay";
  private static final String DELETE = "/dead-letters/bulk/delete";

  @RegisterExtension
  static final BackofficeTestNode node =
      new BackofficeTestNode(
          ConfigFactory.parseMap(Map.of("helpdesk.auth.employees", TestEmployees.ENTRIES)));

  @BeforeEach
  void noOpenLetters() {
    node.sql.execute("UPDATE dead_letters SET status = 'deleted' WHERE status <> 'resolved'");
  }

  @Test
  void aDryRunCountsWhatTheFilterMatchesAndChangesNothing() {
    UUID a = UUID.randomUUID();
    long headA = failed(prepare(a), a, "boom: the first", Instant.parse("2026-01-01T10:00:00Z"));
    parked(cancel(a), a, headA);
    UUID b = UUID.randomUUID();
    long headB = failed(prepare(b), b, "other trouble", Instant.parse("2026-01-02T10:00:00Z"));

    assertEquals(2, dryRun(REPLAY, "{}").path("matched").asLong(), "the failed ones");
    assertEquals(3, dryRun(DELETE, "{}").path("matched").asLong(), "failed and parked");
    assertEquals(headB, dryRun(REPLAY, "{}").path("upToId").asLong());
    JsonNode boom = dryRun(REPLAY, "{\"error\":\"BOOM\"}");
    System.out.println("[bulk] dry run: " + boom);
    assertEquals(1, boom.path("matched").asLong());
    assertEquals(2, dryRun(DELETE, "{\"ticketId\":\"" + a + "\"}").path("matched").asLong());
    assertEquals(1, dryRun(DELETE, "{\"status\":\"parked\"}").path("matched").asLong());
    assertEquals(0, dryRun(REPLAY, "{\"status\":\"parked\"}").path("matched").asLong());
    assertEquals(2, dryRun(REPLAY, "{\"type\":\"ticket.prepareTicket\"}").path("matched").asLong());
    assertEquals(0, dryRun(REPLAY, "{\"type\":\"ticket.cancel\"}").path("matched").asLong());
    assertEquals(
        1,
        dryRun(REPLAY, "{\"since\":\"2026-01-02T00:00:00Z\",\"until\":\"2026-01-03T00:00:00Z\"}")
            .path("matched")
            .asLong());
    assertEquals(1, dryRun(REPLAY, "{\"upToId\":" + headA + "}").path("matched").asLong());
    JsonNode none = dryRun(REPLAY, "{\"error\":\"nothing like it\"}");
    assertEquals(0, none.path("matched").asLong());
    assertTrue(none.path("upToId").isMissingNode(), none::toString);
    assertEquals(3, open(), "a dry run changes nothing");
    assertEquals(List.of(), node.events(a));
  }

  @Test
  void replayAppliesTheMatchingHeadsAndTheirParkedCommandsInTheOrderTheyArrived() {
    List<UUID> tickets = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      UUID t = UUID.randomUUID();
      tickets.add(t);
      long head = failed(prepare(t), t, "boom " + i, Instant.now());
      parked(cancel(t), t, head);
    }
    // letters the filter leaves out, and one that fails again
    UUID left = UUID.randomUUID();
    failed(prepare(left), left, "unrelated", Instant.now());
    UUID broken = UUID.randomUUID();
    failed("ticket.prepareTicket", "{\"ticketId\":\"" + broken + "\"}", broken, "boom broken");

    HttpTestClient.Response replayed = node.http.postJson(REPLAY, "{\"error\":\"boom\"}");

    assertEquals(200, replayed.status(), replayed::toString);
    JsonNode r = replayed.json();
    System.out.println("[bulk] replay: " + r);
    assertEquals("replay", r.path("action").asText());
    assertEquals(6, r.path("matched").asLong(), r::toString);
    assertEquals(5, r.path("replayed").asInt(), r::toString);
    assertEquals(5, r.path("releasedParked").asInt(), r::toString);
    assertEquals(1, r.path("failedAgain").asInt(), r::toString);
    assertEquals(0, r.path("skipped").asInt(), r::toString);
    // (the one that failed again keeps its original error, the new one added (issue 21): the
    // filter still matches it)
    assertEquals(1, r.path("remaining").asLong(), r::toString);
    String error =
        node.deadLetters().stream()
            .filter(d -> d.path("ticketId").asText().equals(broken.toString()))
            .findFirst()
            .orElseThrow()
            .path("error")
            .asText();
    assertTrue(
        error.startsWith("boom broken\nLast replay, ") && error.endsWith("ticketType is required"),
        error);
    for (UUID t : tickets) {
      assertEquals(List.of("TicketWasPrepared", "TicketWasCancelled"), node.events(t));
    }
    assertEquals(List.of(), node.events(left));
    assertEquals(2, open(), "the one left out and the one that failed again");
  }

  @Test
  void deleteTakesWhatMatchesAndReleasesOnlyWhatTheFilterLeftOut() {
    // w: head and parked both match: both go, and the parked prepare, which would succeed, is
    // never applied (deleted before its head, not released by it)
    UUID w = UUID.randomUUID();
    long headW = failed(cancel(w), w, "poison w", Instant.now());
    parked(prepare(w), w, headW);
    // v: only the head matches: deleting it releases v's parked prepare, which is applied
    UUID v = UUID.randomUUID();
    long headV = failed(cancel(v), v, "poison v", Instant.now());
    parked(prepare(v), v, headV);

    HttpTestClient.Response both = node.http.postJson(DELETE, "{\"ticketId\":\"" + w + "\"}");
    assertEquals(200, both.status(), both::toString);
    assertEquals(2, both.json().path("matched").asLong(), both::toString);
    assertEquals(2, both.json().path("deleted").asInt(), both::toString);
    assertTrue(both.json().path("replayed").isMissingNode(), both::toString);
    assertEquals(List.of(), node.events(w), "nothing of w was applied");

    HttpTestClient.Response head = node.http.postJson(DELETE, "{\"error\":\"poison v\"}");
    assertEquals(1, head.json().path("deleted").asInt(), head::toString);
    assertEquals(List.of("TicketWasPrepared"), node.events(v), "v's parked command followed");
    assertEquals(0, open());
  }

  @Test
  void twoBulkReplaysAtOnceApplyEachLetterOnce() throws Exception {
    List<UUID> tickets = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      UUID t = UUID.randomUUID();
      tickets.add(t);
      parked(cancel(t), t, failed(prepare(t), t, "race", Instant.now()));
    }
    long start = System.nanoTime();
    java.util.concurrent.CompletableFuture<HttpTestClient.Response> first =
        java.util.concurrent.CompletableFuture.supplyAsync(
            () -> node.http.postJson(REPLAY, "{\"error\":\"race\"}"));
    HttpTestClient.Response second = node.http.postJson(REPLAY, "{\"error\":\"race\"}");
    JsonNode a = first.get().json();
    JsonNode b = second.json();
    System.out.println(
        "[bulk] two bulk replays at once took "
            + (System.nanoTime() - start) / 1_000_000
            + " ms for 20 heads and 20 parked commands: "
            + a
            + " "
            + b);

    assertEquals(20, a.path("replayed").asInt() + b.path("replayed").asInt(), a + " " + b);
    assertEquals(
        20, a.path("releasedParked").asInt() + b.path("releasedParked").asInt(), a + " " + b);
    assertEquals(0, a.path("failedAgain").asInt() + b.path("failedAgain").asInt(), a + " " + b);
    for (UUID t : tickets) {
      assertEquals(List.of("TicketWasPrepared", "TicketWasCancelled"), node.events(t));
    }
    assertEquals(0, open());
  }

  @Test
  void aRequestTakesAtMostItsShareAndSaysHowManyRemain() {
    int more = BulkDeadLetters.MAX_PER_REQUEST + 1;
    node.sql.rows(
        "INSERT INTO dead_letters (message_id, type, body, body_size, headers, error, first_failed_at,"
            + " last_failed_at, attempts, status) SELECT 'many-' || n, 'ticket.cancel', 'x'::bytea, 1,"
            + " '{}'::jsonb, 'many', now(), now(), 1, 'failed' FROM generate_series(1, ?) n RETURNING id",
        more);

    JsonNode first = node.http.postJson(DELETE, "{\"error\":\"many\"}").json();
    assertEquals(BulkDeadLetters.MAX_PER_REQUEST, first.path("matched").asLong(), first::toString);
    assertEquals(BulkDeadLetters.MAX_PER_REQUEST, first.path("deleted").asInt(), first::toString);
    assertEquals(1, first.path("remaining").asLong(), first::toString);
    JsonNode rest = node.http.postJson(DELETE, "{\"error\":\"many\"}").json();
    assertEquals(1, rest.path("deleted").asInt(), rest::toString);
    assertEquals(0, rest.path("remaining").asLong(), rest::toString);
    assertEquals(0, open());
  }

  @Test
  void aLetterThatCannotBeChangedStopsTheRunWithWhatWasDoneCounted() {
    UUID a = UUID.randomUUID();
    long first = failed(prepare(a), a, "halt 1", Instant.now());
    UUID b = UUID.randomUUID();
    long broken = failed(prepare(b), b, "halt 2: stop here", Instant.now());
    UUID c = UUID.randomUUID();
    failed(prepare(c), c, "halt 3", Instant.now());
    // the database refuses to change that one letter (as it would any, were it away)
    node.sql.execute(
        "CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS"
            + " $$ BEGIN RAISE EXCEPTION 'refused'; END $$;"
            + " CREATE TRIGGER refuse BEFORE UPDATE ON dead_letters FOR EACH ROW"
            + " WHEN (OLD.error LIKE '%stop here%') EXECUTE FUNCTION refuse()");
    try {
      // (deletion goes newest first: c, then the broken one, where it stops before a)
      HttpTestClient.Response r = node.http.postJson(DELETE, "{\"error\":\"halt\"}");
      assertEquals(200, r.status(), r::toString);
      assertEquals(3, r.json().path("matched").asLong(), r::toString);
      assertEquals(1, r.json().path("deleted").asInt(), r::toString);
      assertTrue(r.json().path("stopped").asText().contains("dead letter " + broken), r::toString);
      assertTrue(r.json().path("remaining").isMissingNode(), r::toString);
      assertEquals(
          1,
          node.sql.count(
              "SELECT count(*) FROM dead_letters WHERE id = ? AND status = 'failed'", first));
    } finally {
      node.sql.execute("DROP TRIGGER refuse ON dead_letters; DROP FUNCTION refuse()");
    }
  }

  @Test
  void aConfirmationBoundByUpToIdLeavesLaterLettersAlone() {
    UUID a = UUID.randomUUID();
    failed(prepare(a), a, "counted", Instant.now());
    long upTo = dryRun(REPLAY, "{\"error\":\"counted\"}").path("upToId").asLong();
    UUID later = UUID.randomUUID();
    failed(prepare(later), later, "counted too late", Instant.now());

    JsonNode r =
        node.http.postJson(REPLAY, "{\"error\":\"counted\",\"upToId\":" + upTo + "}").json();
    assertEquals(1, r.path("replayed").asInt(), r::toString);
    assertEquals(List.of("TicketWasPrepared"), node.events(a));
    assertEquals(List.of(), node.events(later));
  }

  @ParameterizedTest(name = "POST {0} {1}")
  @MethodSource("badFilters")
  void aBadFilterIsRefused(String path, String body) {
    HttpTestClient.Response refused =
        node.http.post(
            path, "application/json", body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertEquals(400, refused.status(), () -> path + " " + body + ": " + refused);
    assertTrue(refused.json().path("error").isTextual(), refused::toString);
  }

  static Stream<Arguments> badFilters() {
    return Stream.of(
            "",
            "[]",
            "{\"status\":\"resolved\"}",
            "{\"ticketId\":\"not-a-uuid\"}",
            "{\"since\":\"yesterday\"}",
            "{\"since\":\"2026-01-02T00:00:00Z\",\"until\":\"2026-01-01T00:00:00Z\"}",
            "{\"upToId\":0}",
            "{\"dryRun\":\"maybe\"}",
            "{\"everything\":true}")
        .flatMap(body -> Stream.of(REPLAY, DELETE).map(path -> Arguments.of(path, body)));
  }

  @Test
  void onlyOperatorsMayAct() {
    assertEquals(401, node.http.anonymous().postJson(DELETE, "{}").status());
    assertEquals(
        403,
        node.http
            .as(TestEmployees.AGENT, TestEmployees.AGENT_PASSWORD)
            .postJson(DELETE, "{}")
            .status());
  }

  @Test
  void theConsoleShowsTheCountAndActsOnlyOnAConfirmedFormWithTheToken() {
    List<UUID> tickets = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      UUID t = UUID.randomUUID();
      tickets.add(t);
      failed(prepare(t), t, "console boom", Instant.now());
    }
    Browser operator =
        node.browser().signIn(TestEmployees.OPERATOR, TestEmployees.OPERATOR_PASSWORD);

    assertTrue(operator.get("/console/dead-letters").body().contains("/console/dead-letters/bulk"));
    Page preview =
        operator.get("/console/dead-letters/bulk?action=replay&error=console+boom&status=failed");
    assertEquals(200, preview.status(), preview::toString);
    assertTrue(preview.body().contains("3 dead letters would be replayed"), preview::toString);
    String csrf = preview.csrf();
    String upTo = value(preview.body(), "upToId");
    Map<String, String> form =
        Map.of(
            "action",
            "replay",
            "error",
            "console boom",
            "status",
            "failed",
            "upToId",
            upTo,
            "confirm",
            "yes");

    Map<String, String> noToken = new java.util.HashMap<>(form);
    assertEquals(403, operator.postForm("/console/dead-letters/bulk", noToken).status());
    Map<String, String> unconfirmed = new java.util.HashMap<>(form);
    unconfirmed.put("csrf", csrf);
    unconfirmed.remove("confirm");
    assertEquals(400, operator.postForm("/console/dead-letters/bulk", unconfirmed).status());
    assertEquals(3, open(), "nothing done without the token and the ticked box");

    Map<String, String> confirmed = new java.util.HashMap<>(form);
    confirmed.put("csrf", csrf);
    Page done = operator.postForm("/console/dead-letters/bulk", confirmed);
    assertEquals(303, done.status(), done::toString);
    Page outcome = operator.get(done.header("Location"));
    assertTrue(outcome.body().contains("3 replayed"), outcome::toString);
    tickets.forEach(t -> assertEquals(List.of("TicketWasPrepared"), node.events(t)));
    assertEquals(0, open());

    Page agent =
        node.browser()
            .signIn(TestEmployees.AGENT, TestEmployees.AGENT_PASSWORD)
            .get("/console/dead-letters/bulk");
    assertEquals(403, agent.status(), agent::toString);
    Page badTime = operator.get("/console/dead-letters/bulk?action=delete&since=soon");
    assertEquals(400, badTime.status(), badTime::toString);
  }

  // ---- helpers ---------------------------------------------------------------------------------

  private static JsonNode dryRun(String path, String filter) {
    String body =
        filter.equals("{}")
            ? "{\"dryRun\":true}"
            : filter.replaceFirst("\\}$", ",\"dryRun\":true}");
    HttpTestClient.Response r = node.http.postJson(path, body);
    assertEquals(200, r.status(), r::toString);
    assertTrue(r.json().path("dryRun").asBoolean(), r::toString);
    return r.json();
  }

  private static long open() {
    return node.sql.count(
        "SELECT count(*) FROM dead_letters WHERE status IN ('failed', 'parked', 'replaying')");
  }

  private static OutboundMessage prepare(UUID ticket) {
    return message(
        new PrepareTicket(ticket, TicketType.CUSTOMER_ISSUE, new Description("bulk")),
        ticket + ":1");
  }

  private static OutboundMessage cancel(UUID ticket) {
    return message(new CancelTicket(ticket), ticket + ":2");
  }

  private static OutboundMessage message(DistributedCommand command, String messageId) {
    return CommandMessage.toBackoffice(command, messageId, "bulk-test", Instant.now());
  }

  /** A failed head as the inbox records it; returns its id. */
  private static long failed(OutboundMessage m, UUID ticket, String error, Instant at) {
    return insert(
        m.properties().getMessageId(),
        m.properties().getType(),
        m.body(),
        error,
        at,
        "failed",
        ticket,
        null);
  }

  private static long failed(String type, String body, UUID ticket, String error) {
    return insert(
        UUID.randomUUID().toString(),
        type,
        body.getBytes(java.nio.charset.StandardCharsets.UTF_8),
        error,
        Instant.now(),
        "failed",
        ticket,
        null);
  }

  /** A command parked behind its ticket's head. */
  private static void parked(OutboundMessage m, UUID ticket, long head) {
    String headMessage =
        (String)
            node.sql
                .rows("SELECT message_id FROM dead_letters WHERE id = ?", head)
                .get(0)
                .get("message_id");
    insert(
        m.properties().getMessageId(),
        m.properties().getType(),
        m.body(),
        "waits for " + headMessage,
        Instant.now(),
        "parked",
        ticket,
        headMessage);
  }

  private static long insert(
      String messageId,
      String type,
      byte[] body,
      String error,
      Instant at,
      String status,
      UUID ticket,
      String waitsFor) {
    return ((Number)
            node.sql
                .rows(
                    "INSERT INTO dead_letters (message_id, type, body, body_size, headers, error,"
                        + " first_failed_at, last_failed_at, attempts, status, ticket_id, waits_for)"
                        + " VALUES (?, ?, ?, ?, '{}'::jsonb, ?, ?, ?, 1, ?, ?, ?) RETURNING id",
                    messageId,
                    type,
                    body,
                    body.length,
                    error,
                    Timestamp.from(at),
                    Timestamp.from(at),
                    status,
                    ticket,
                    waitsFor)
                .get(0)
                .get("id"))
        .longValue();
  }

  private static String value(String html, String name) {
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("name=\"" + name + "\" value=\"([^\"]*)\"").matcher(html);
    assertTrue(m.find(), () -> "no field " + name + " in " + html);
    return m.group(1);
  }
}
