package org.example.helpdesk.backoffice.ticket;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.example.helpdesk.backoffice.BackofficeTestNode;
import org.example.helpdesk.platform.changefeed.FeedPosition;
import org.example.helpdesk.platform.projection.admin.OffsetLever;
import org.example.helpdesk.testsupport.HttpTestClient;
import org.example.helpdesk.testsupport.TestEmployees;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /admin/projections/tickets/offset} against a node on the real database and broker:
 * refused unless the instance is paused, and then skip, to-head and set move exactly one instance's
 * offset, which the instance starts from when resumed (the events passed over never reach the read
 * model; moved back, they do).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ProjectionOffsetTest {

  private static final String OFFSET = "/admin/projections/tickets/offset";

  @RegisterExtension
  static final BackofficeTestNode node =
      new BackofficeTestNode(
          ConfigFactory.parseMap(Map.of("helpdesk.auth.employees", TestEmployees.ENTRIES)));

  /** The tickets created while paused in {@link #toHead}, and where their instance stood. */
  private static List<UUID> passedOver;

  private static String passedOverTag;
  private static String beforeHead;

  @Test
  @Order(1)
  void aRunningInstanceIsNotMoved() {
    UUID id = createTicket("running");
    node.awaitStatus(id, "awaiting");
    String tag = TicketTags.tagFor(id);
    String before = instance(tag).path("offset").asText();

    HttpTestClient.Response refused = move("{\"key\":\"" + tag + "\",\"toHead\":true}");
    assertEquals(409, refused.status(), refused::toString);
    assertTrue(refused.json().path("error").asText().contains("pause"), refused::toString);
    assertEquals(before, instance(tag).path("offset").asText());
  }

  @Test
  @Order(2)
  void skipPassesOverTheNextEventsOfOneInstanceOnlyAndIsLoggedWithWhoFromAndTo() {
    pause();
    // tickets until one instance has three events waiting, and another at least one
    Map<String, List<UUID>> byTag = new LinkedHashMap<>();
    while (byTag.values().stream().noneMatch(ids -> ids.size() >= 3) || byTag.size() < 2) {
      UUID id = createTicket("while paused");
      byTag.computeIfAbsent(TicketTags.tagFor(id), t -> new ArrayList<>()).add(id);
    }
    String tag =
        byTag.entrySet().stream().filter(e -> e.getValue().size() >= 3).findFirst().get().getKey();
    List<UUID> waiting = byTag.get(tag);
    await().atMost(Duration.ofSeconds(10)).until(() -> lag(tag) == waiting.size());
    // (null when the instance has stored nothing yet)
    JsonNode from = instance(tag).path("offset");

    ListAppender<ILoggingEvent> logged = capture();
    HttpTestClient.Response skipped;
    try {
      skipped = move("{\"key\":\"" + tag + "\",\"skip\":2}");
    } finally {
      ((Logger) LoggerFactory.getLogger(OffsetLever.class)).detachAppender(logged);
    }
    assertEquals(200, skipped.status(), skipped::toString);
    JsonNode moved = skipped.json();
    assertEquals("tickets", moved.path("name").asText());
    assertEquals(tag, moved.path("key").asText());
    assertEquals(from, moved.path("from"));
    assertEquals(2, moved.path("skipped").asLong(), moved::toString);
    assertEquals(TestEmployees.OPERATOR, moved.path("by").asText());
    assertTrue(
        FeedPosition.parse(moved.path("to").asText())
                .compareTo(from.isNull() ? FeedPosition.START : FeedPosition.parse(from.asText()))
            > 0);
    assertEquals(moved.path("to").asText(), instance(tag).path("offset").asText());
    assertEquals(waiting.size() - 2, lag(tag), "the lag counts from the new offset");
    String line = logged.list.get(0).getFormattedMessage();
    System.out.println("[offset] " + moved + "\n[offset] logged: " + line);
    assertTrue(
        line.contains(TestEmployees.OPERATOR)
            && line.contains(from.isNull() ? "nothing stored" : from.asText())
            && line.contains(moved.path("to").asText()),
        line);

    resume();
    // every other ticket, and the third of this instance, reach the read model ...
    for (Map.Entry<String, List<UUID>> e : byTag.entrySet()) {
      List<UUID> ids = e.getKey().equals(tag) ? e.getValue().subList(2, 3) : e.getValue();
      ids.forEach(id -> node.awaitStatus(id, "awaiting"));
    }
    await().atMost(Duration.ofSeconds(20)).until(() -> lag(tag) == 0);
    // ... the two passed over never do
    assertEquals(Map.of(), node.ticketRow(waiting.get(0)));
    assertEquals(Map.of(), node.ticketRow(waiting.get(1)));
  }

  @Test
  @Order(3)
  void toHeadPassesOverEverythingCommittedForThatInstance() {
    // an instance that has stored an offset, to come back to
    UUID anchor = createTicket("anchor");
    node.awaitStatus(anchor, "awaiting");
    passedOverTag = TicketTags.tagFor(anchor);
    await().atMost(Duration.ofSeconds(10)).until(() -> lag(passedOverTag) == 0);
    pause();
    passedOver = List.of(createTicketIn(passedOverTag), createTicketIn(passedOverTag));
    await().atMost(Duration.ofSeconds(10)).until(() -> lag(passedOverTag) == 2);
    beforeHead = instance(passedOverTag).path("offset").asText();

    HttpTestClient.Response head = move("{\"key\":\"" + passedOverTag + "\",\"toHead\":true}");
    assertEquals(200, head.status(), head::toString);
    assertEquals(2, head.json().path("skipped").asLong(), head::toString);
    assertEquals(0, lag(passedOverTag));
    // at the head already: nothing more to pass over, and it stays where it is
    HttpTestClient.Response again = move("{\"key\":\"" + passedOverTag + "\",\"toHead\":true}");
    assertEquals(0, again.json().path("skipped").asLong(), again::toString);
    assertEquals(head.json().path("to"), again.json().path("to"));

    resume();
    UUID later = createTicketIn(passedOverTag);
    node.awaitStatus(later, "awaiting");
    passedOver.forEach(id -> assertEquals(Map.of(), node.ticketRow(id)));
  }

  @Test
  @Order(4)
  void setMovesTheOffsetBackAndWhatWasPassedOverIsProjected() {
    pause();
    String head = instance(passedOverTag).path("offset").asText();
    HttpTestClient.Response set =
        move("{\"key\":\"" + passedOverTag + "\",\"offset\":\"" + beforeHead + "\"}");
    assertEquals(200, set.status(), set::toString);
    assertEquals(head, set.json().path("from").asText());
    assertEquals(beforeHead, set.json().path("to").asText());
    assertTrue(set.json().path("skipped").isMissingNode(), set::toString);
    assertEquals(3, lag(passedOverTag), "the two passed over and the one after them");

    resume();
    passedOver.forEach(id -> node.awaitStatus(id, "awaiting"));
    await().atMost(Duration.ofSeconds(20)).until(() -> lag(passedOverTag) == 0);
  }

  @Test
  @Order(5)
  void badMovesAreRefusedWithAReasonAndChangeNothing() {
    pause();
    try {
      String tag = TicketTags.all().get(0);
      String before = instance(tag).path("offset").asText();
      for (String body :
          List.of(
              "{\"skip\":1}",
              "{\"key\":\"" + tag + "\"}",
              "{\"key\":\"" + tag + "\",\"skip\":1,\"toHead\":true}",
              "{\"key\":\"" + tag + "\",\"toHead\":false}",
              "{\"key\":\"" + tag + "\",\"skip\":0}",
              "{\"key\":\"" + tag + "\",\"skip\":" + (OffsetLever.MAX_SKIP + 1) + "}",
              "{\"key\":\"" + tag + "\",\"offset\":\"12\"}",
              "{\"key\":\"" + tag + "\",\"offset\":\"-1:3\"}",
              "{\"key\":\"" + tag + "\",\"offset\":\"a:b\"}",
              "{\"key\":\"" + tag + "\",\"skip\":\"many\"}",
              "{\"key\":\"" + tag + "\",\"skip\":1,\"extra\":1}",
              "[]")) {
        HttpTestClient.Response refused = move(body);
        assertEquals(400, refused.status(), () -> body + ": " + refused);
        assertTrue(refused.json().path("error").isTextual(), refused::toString);
      }
      HttpTestClient.Response unknownKey = move("{\"key\":\"ticket-99\",\"skip\":1}");
      assertEquals(404, unknownKey.status(), unknownKey::toString);
      assertTrue(
          unknownKey.json().path("error").asText().contains("ticket-0"), unknownKey::toString);
      HttpTestClient.Response unknownProjection =
          node.http.postJson("/admin/projections/nope/offset", "{\"key\":\"x\",\"skip\":1}");
      assertEquals(404, unknownProjection.status(), unknownProjection::toString);
      HttpTestClient.Response agent =
          node.http
              .as(TestEmployees.AGENT, TestEmployees.AGENT_PASSWORD)
              .postJson(OFFSET, "{\"key\":\"" + tag + "\",\"skip\":1}");
      assertEquals(403, agent.status(), agent::toString);
      HttpTestClient.Response anonymous =
          node.http.anonymous().postJson(OFFSET, "{\"key\":\"" + tag + "\",\"skip\":1}");
      assertEquals(401, anonymous.status(), anonymous::toString);
      assertEquals(before, instance(tag).path("offset").asText());
      assertNotEquals("", before);
    } finally {
      resume();
    }
  }

  @Test
  @Order(6)
  void aMoveRacingAResumeEitherLandsBeforeTheInstanceStartsOrIsRefused() throws Exception {
    String tag = TicketTags.all().get(1);
    int moved = 0;
    for (int round = 0; round < 4; round++) {
      pause();
      List<UUID> waiting = List.of(createTicketIn(tag), createTicketIn(tag));
      await().atMost(Duration.ofSeconds(10)).until(() -> lag(tag) == 2);

      java.util.concurrent.CompletableFuture<HttpTestClient.Response> resumed =
          java.util.concurrent.CompletableFuture.supplyAsync(
              () -> node.http.post("/admin/projections/tickets/resume", null, new byte[0]));
      HttpTestClient.Response move = move("{\"key\":\"" + tag + "\",\"toHead\":true}");
      assertEquals(200, resumed.get().status(), () -> resumed.join().toString());

      await().atMost(Duration.ofSeconds(20)).until(() -> lag(tag) == 0);
      if (move.status() == 200) {
        // it started from the new offset: a later ticket of the instance is projected, and
        // what was passed over (which would have come first) is not
        moved++;
        node.awaitStatus(createTicketIn(tag), "awaiting");
        waiting.forEach(id -> assertEquals(Map.of(), node.ticketRow(id), move::toString));
      } else {
        assertEquals(409, move.status(), move::toString);
        waiting.forEach(id -> node.awaitStatus(id, "awaiting"));
      }
    }
    System.out.println(
        "[offset] moves racing a resume: " + moved + " of 4 landed, the rest refused");
  }

  // ---- helpers ---------------------------------------------------------------------------------

  private static HttpTestClient.Response move(String body) {
    return node.http.postJson(OFFSET, body);
  }

  private static void pause() {
    HttpTestClient.Response paused =
        node.http.post("/admin/projections/tickets/pause", null, new byte[0]);
    assertEquals(200, paused.status(), paused::toString);
  }

  private static void resume() {
    HttpTestClient.Response resumed =
        node.http.post("/admin/projections/tickets/resume", null, new byte[0]);
    assertEquals(200, resumed.status(), resumed::toString);
  }

  private static ListAppender<ILoggingEvent> capture() {
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    ((Logger) LoggerFactory.getLogger(OffsetLever.class)).addAppender(appender);
    return appender;
  }

  private static JsonNode instance(String key) {
    HttpTestClient.Response list = node.http.get("/admin/projections");
    assertEquals(200, list.status(), list::toString);
    for (JsonNode i : list.json().path("projections").get(0).path("instances")) {
      if (i.path("key").asText().equals(key)) {
        return i;
      }
    }
    throw new AssertionError("no instance " + key + " in " + list);
  }

  private static long lag(String key) {
    return instance(key).path("lagEvents").asLong();
  }

  private static UUID createTicketIn(String tag) {
    while (true) {
      UUID id = createTicket("in " + tag);
      if (TicketTags.tagFor(id).equals(tag)) {
        return id;
      }
    }
  }

  private static UUID createTicket(String description) {
    HttpTestClient.Response created =
        node.http.postJson(
            "/tickets", "{\"ticketType\":\"internal\",\"description\":\"" + description + "\"}");
    assertEquals(201, created.status(), created::toString);
    return UUID.fromString(created.json().path("ticketId").asText());
  }
}
