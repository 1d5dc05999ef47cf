package org.example.helpdesk.backoffice.ticket;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigFactory;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.example.helpdesk.backoffice.BackofficeTestNode;
import org.example.helpdesk.testsupport.HttpTestClient;
import org.example.helpdesk.testsupport.TestEmployees;
import org.example.helpdesk.testsupport.TestPostgres;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The admin API of the tickets read model against a node on the real database and broker: the state
 * of its instances, pause and resume, and the rebuild that swaps in a new table without a reader
 * ever seeing it empty or partial.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TicketProjectionAdminTest {

  private static final String ROW =
      "SELECT ticket_id, ticket_type, description, status, assignee, prepared_at, updated_at, assigned_by, cancelled_by FROM tickets ORDER BY ticket_id";

  @RegisterExtension
  static final BackofficeTestNode node =
      new BackofficeTestNode(
          ConfigFactory.parseMap(
              Map.of(
                  "helpdesk.auth.employees",
                  TestEmployees.ENTRIES,
                  // many small batches: the rebuild takes long enough to be watched
                  "helpdesk.tickets-projection.rebuild.batch-size",
                  "50")));

  @Test
  @Order(1)
  void theListShowsEveryInstanceWithItsOffsetLagAndState() {
    UUID id = createTicket("listed");
    node.awaitStatus(id, "awaiting");

    JsonNode tickets =
        await().atMost(Duration.ofSeconds(20)).until(() -> tickets(), t -> totalLag(t) == 0);
    assertEquals("tickets", tickets.path("name").asText());
    Set<String> keys = new TreeSet<>();
    for (JsonNode instance : tickets.path("instances")) {
      keys.add(instance.path("key").asText());
      assertEquals("tickets", instance.path("name").asText());
      assertEquals("running", instance.path("state").asText(), instance::toString);
      assertEquals(0, instance.path("lagEvents").asLong(), instance::toString);
      assertEquals(0.0, instance.path("lagSeconds").asDouble(), instance::toString);
      assertTrue(
          instance.has("error") && instance.has("errorAt") && instance.has("offsetUpdatedAt"),
          instance::toString);
    }
    assertEquals(new TreeSet<>(TicketTags.all()), keys);
    JsonNode own = instance(tickets, TicketTags.tagFor(id));
    assertTrue(own.path("offset").asText().matches("\\d+:\\d+"), own::toString);
    assertFalse(own.path("offsetUpdatedAt").isNull(), own::toString);
    assertEquals("idle", tickets.path("rebuild").path("state").asText());
  }

  @Test
  @Order(2)
  void pausedNewEventsDoNotReachTheTableAndOnResumeTheyDo() throws Exception {
    HttpTestClient.Response paused =
        node.http.post("/admin/projections/tickets/pause", null, new byte[0]);
    assertEquals(200, paused.status(), paused::toString);
    for (JsonNode instance : paused.json().path("instances")) {
      assertEquals("paused", instance.path("state").asText(), instance::toString);
    }

    UUID id = createTicket("while paused");
    String tag = TicketTags.tagFor(id);
    // the event is in the journal; the instance of its tag sees it as lag, and leaves it there
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> instance(tickets(), tag).path("lagEvents").asLong() >= 1);
    Thread.sleep(1_500);
    assertEquals(Map.of(), node.ticketRow(id));
    assertEquals(List.of("TicketWasPrepared"), node.events(id));
    JsonNode stillPaused = instance(tickets(), tag);
    assertEquals("paused", stillPaused.path("state").asText());
    assertTrue(stillPaused.path("lagEvents").asLong() >= 1, stillPaused::toString);
    // paused is stored: it is what the instances read when they start
    assertEquals(
        TicketTags.all().size(),
        node.sql.count(
            "SELECT count(*) FROM pekko_projection_management WHERE projection_name = 'tickets' AND paused"));

    HttpTestClient.Response resumed =
        node.http.post("/admin/projections/tickets/resume", null, new byte[0]);
    assertEquals(200, resumed.status(), resumed::toString);
    node.awaitStatus(id, "awaiting");
    await().atMost(Duration.ofSeconds(20)).until(() -> totalLag(tickets()) == 0);
    for (JsonNode instance : tickets().path("instances")) {
      assertEquals("running", instance.path("state").asText(), instance::toString);
    }
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
    "GET,  /admin/projections",
    "POST, /admin/projections/tickets/pause",
    "POST, /admin/projections/tickets/resume",
    "POST, /admin/projections/tickets/rebuild"
  })
  @Order(3)
  void onlyOperatorsMayUseTheAdminApi(String method, String path) {
    HttpTestClient anonymous = node.http.anonymous();
    HttpTestClient agent = node.http.as(TestEmployees.AGENT, TestEmployees.AGENT_PASSWORD);
    HttpTestClient.Response none =
        anonymous.send(method, path, null, method.equals("GET") ? null : new byte[0]);
    assertEquals(401, none.status(), () -> method + " " + path + ": " + none);
    assertTrue(none.json().path("error").isTextual(), none::toString);
    HttpTestClient.Response agents =
        agent.send(method, path, null, method.equals("GET") ? null : new byte[0]);
    assertEquals(403, agents.status(), () -> method + " " + path + ": " + agents);
    assertTrue(agents.json().path("error").asText().contains("operator"), agents::toString);
    // nothing was paused by them
    assertEquals(
        0, node.sql.count("SELECT count(*) FROM pekko_projection_management WHERE paused"));
  }

  @Test
  @Order(3)
  void anUnknownProjectionIsA404ThatNamesIt() {
    HttpTestClient.Response unknown =
        node.http.post("/admin/projections/nothing/pause", null, new byte[0]);
    assertEquals(404, unknown.status(), unknown::toString);
    assertTrue(unknown.json().path("error").asText().contains("nothing"), unknown::toString);
    // nothing was paused by them
    assertEquals(
        0, node.sql.count("SELECT count(*) FROM pekko_projection_management WHERE paused"));
  }

  @Test
  @Order(4)
  void aRebuildOfThousandsOfTicketsYieldsTheSameRowsAndTheApiAnswersFromTheOldTableUntilTheSwap()
      throws Exception {
    int count = 3_000;
    long started = System.nanoTime();
    List<UUID> ids = createTickets(count);
    // some tickets move on: assigned, cancelled, both
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      List<Future<?>> changes = new ArrayList<>();
      for (int i = 0; i < count; i += 7) {
        UUID id = ids.get(i);
        int n = i;
        changes.add(
            pool.submit(
                () -> {
                  assertEquals(
                      200,
                      node.http
                          .postJson(
                              "/tickets/" + id + "/assign", "{\"assignee\":\"agent-" + n + "\"}")
                          .status());
                  if (n % 2 == 0) {
                    assertEquals(
                        200,
                        node.http.post("/tickets/" + id + "/cancel", null, new byte[0]).status());
                  }
                }));
      }
      for (Future<?> f : changes) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
    await().atMost(Duration.ofSeconds(60)).until(() -> totalLag(tickets()) == 0);
    List<Map<String, Object>> before = node.sql.rows(ROW);
    long tickets = before.size();
    assertTrue(tickets >= count, "rows: " + tickets);
    System.out.printf(
        "%d tickets and their changes projected in %d ms%n",
        count, (System.nanoTime() - started) / 1_000_000);
    Set<String> indexesBefore = indexes();

    // the live table goes wrong (by hand): the rebuild must put it right
    UUID damaged = ids.get(1);
    node.sql.execute(
        "UPDATE tickets SET description = 'damaged', status = 'cancelled' WHERE ticket_id = '"
            + damaged
            + "'");

    // readers: the API and plain SQL, all along
    AtomicBoolean done = new AtomicBoolean();
    AtomicLong fewest = new AtomicLong(Long.MAX_VALUE);
    AtomicInteger apiReads = new AtomicInteger();
    AtomicInteger readsWhileBuilding = new AtomicInteger();
    List<String> wrong = java.util.Collections.synchronizedList(new ArrayList<>());
    Thread readers =
        new Thread(
            () -> {
              while (!done.get()) {
                HttpTestClient.Response page = node.http.get("/tickets?limit=500");
                if (page.status() != 200 || page.json().size() != 500) {
                  wrong.add(
                      "GET /tickets: "
                          + page.status()
                          + " with "
                          + (page.status() == 200 ? page.json().size() : 0)
                          + " tickets");
                }
                apiReads.incrementAndGet();
                long rows = node.sql.count("SELECT count(*) FROM tickets");
                fewest.accumulateAndGet(rows, Math::min);
                HttpTestClient.Response one = node.http.get("/tickets/" + damaged);
                if (one.status() != 200) {
                  wrong.add("GET /tickets/" + damaged + ": " + one);
                }
              }
            });
    readers.start();
    long rebuildStarted = System.nanoTime();
    HttpTestClient.Response accepted =
        node.http.post("/admin/projections/tickets/rebuild", null, new byte[0]);
    assertEquals(202, accepted.status(), accepted::toString);
    assertEquals("building", accepted.json().path("state").asText(), accepted::toString);

    // tickets created during the rebuild reach the live table now, and the new one at the swap
    List<UUID> during = new ArrayList<>();
    String state = "building";
    long lastRead = -1;
    while (!(state.equals("done") || state.equals("failed"))) {
      if (during.size() < 20) {
        during.add(createTicket("during the rebuild " + during.size()));
      }
      JsonNode rebuild = tickets().path("rebuild");
      state = rebuild.path("state").asText();
      assertTrue(rebuild.path("eventsRead").asLong() >= lastRead, rebuild::toString);
      lastRead = rebuild.path("eventsRead").asLong();
      if (state.equals("building")) {
        readsWhileBuilding.incrementAndGet();
        // until the swap the API reads the old table: the damage is still there
        HttpTestClient.Response old = node.http.get("/tickets/" + damaged);
        assertEquals("damaged", old.json().path("description").asText(), old::toString);
      }
    }
    long rebuildMillis = (System.nanoTime() - rebuildStarted) / 1_000_000;
    done.set(true);
    readers.join();
    JsonNode finished = tickets().path("rebuild");
    assertEquals("done", finished.path("state").asText(), finished::toString);
    System.out.printf(
        "rebuild of %d tickets: %d ms, %d events read, %d rows; %d API reads meanwhile, %d status polls while building%n",
        tickets,
        rebuildMillis,
        finished.path("eventsRead").asLong(),
        finished.path("rows").asLong(),
        apiReads.get(),
        readsWhileBuilding.get());

    assertEquals(List.of(), wrong);
    assertTrue(fewest.get() >= tickets, "a reader saw " + fewest.get() + " rows of " + tickets);
    assertTrue(readsWhileBuilding.get() > 0, "the rebuild was never seen building");
    assertTrue(finished.path("eventsRead").asLong() >= tickets, finished::toString);
    assertTrue(
        finished.path("startedAt").isTextual() && finished.path("finishedAt").isTextual(),
        finished::toString);

    // every ticket created meanwhile is in the new table (nothing applied during the rebuild is
    // lost)
    for (UUID id : during) {
      node.awaitStatus(id, "awaiting");
    }
    await().atMost(Duration.ofSeconds(20)).until(() -> totalLag(tickets()) == 0);
    List<Map<String, Object>> after = node.sql.rows(ROW);
    List<Map<String, Object>> withoutNew =
        after.stream().filter(r -> !during.contains((UUID) r.get("ticket_id"))).toList();
    assertEquals(before.size(), withoutNew.size());
    assertEquals(before, withoutNew, "the rebuilt rows differ from the projected ones");
    assertEquals(before.size() + during.size(), after.size());
    assertEquals("awaiting", node.ticketRow(damaged).get("status"));

    // the new table is the table: same indexes and names, no leftover, the projection running
    assertEquals(indexesBefore, indexes());
    assertEquals(
        0,
        node.sql.count(
            "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema() AND c.relname = 'tickets_rebuild'"));
    for (JsonNode instance : tickets().path("instances")) {
      assertEquals("running", instance.path("state").asText(), instance::toString);
    }
    UUID later = createTicket("after the rebuild");
    node.awaitStatus(later, "awaiting");
    assertEquals(
        200,
        node.http.postJson("/tickets/" + later + "/assign", "{\"assignee\":\"zoe\"}").status());
    node.awaitStatus(later, "assigned");
  }

  @Test
  @Order(5)
  void aSecondRebuildWhileOneIsUnderWayIsAConflict() throws Exception {
    // a rebuild on another node holds the schema's advisory lock
    try (Connection c = TestPostgres.connect();
        Statement s = c.createStatement()) {
      c.setSchema(node.schema);
      s.execute("SELECT pg_advisory_lock(hashtext(current_schema() || '.tickets-rebuild'))");
      HttpTestClient.Response second =
          node.http.post("/admin/projections/tickets/rebuild", null, new byte[0]);
      assertEquals(409, second.status(), second::toString);
      assertTrue(second.json().path("error").asText().contains("under way"), second::toString);
    }
    // and the live table is as it was
    assertNotNull(node.sql.rows("SELECT 1 FROM tickets LIMIT 1"));
    assertEquals(
        0, node.sql.count("SELECT count(*) FROM pekko_projection_management WHERE paused"));
  }

  @Test
  @Order(6)
  void anInstanceThatKeepsFailingShowsFailedWithItsErrorUntilItRecovers() {
    // a row the table refuses: the projection's transaction fails, and again after each restart
    node.sql.execute(
        "ALTER TABLE tickets ADD CONSTRAINT no_poison CHECK (description <> 'poison') NOT VALID");
    try {
      UUID id = createTicket("poison");
      String tag = TicketTags.tagFor(id);
      JsonNode failed =
          await()
              .atMost(Duration.ofSeconds(30))
              .until(
                  () -> instance(tickets(), tag), i -> i.path("state").asText().equals("failed"));
      assertTrue(failed.path("error").asText().contains("no_poison"), failed::toString);
      assertTrue(failed.path("errorAt").isTextual(), failed::toString);
      assertTrue(failed.path("lagEvents").asLong() >= 1, failed::toString);
    } finally {
      node.sql.execute("ALTER TABLE tickets DROP CONSTRAINT no_poison");
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> totalLag(tickets()) == 0);
    for (JsonNode instance : tickets().path("instances")) {
      assertEquals("running", instance.path("state").asText(), instance::toString);
    }
  }

  // ---- helpers ---------------------------------------------------------------------------------

  private static JsonNode tickets() {
    HttpTestClient.Response list = node.http.get("/admin/projections");
    assertEquals(200, list.status(), list::toString);
    for (JsonNode p : list.json().path("projections")) {
      if (p.path("name").asText().equals("tickets")) {
        return p;
      }
    }
    throw new AssertionError("no tickets projection in " + list);
  }

  private static JsonNode instance(JsonNode projection, String key) {
    for (JsonNode i : projection.path("instances")) {
      if (i.path("key").asText().equals(key)) {
        return i;
      }
    }
    throw new AssertionError("no instance " + key + " in " + projection);
  }

  private static long totalLag(JsonNode projection) {
    long lag = 0;
    for (JsonNode i : projection.path("instances")) {
      lag += i.path("lagEvents").asLong();
    }
    return lag;
  }

  private static UUID createTicket(String description) {
    HttpTestClient.Response created =
        node.http.postJson(
            "/tickets", "{\"ticketType\":\"internal\",\"description\":\"" + description + "\"}");
    assertEquals(201, created.status(), created::toString);
    return UUID.fromString(created.json().path("ticketId").asText());
  }

  private static List<UUID> createTickets(int count) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(32);
    try {
      List<Future<UUID>> created = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        int n = i;
        created.add(pool.submit(() -> createTicket("ticket " + n)));
      }
      List<UUID> ids = new ArrayList<>();
      for (Future<UUID> f : created) {
        ids.add(f.get());
      }
      return ids;
    } finally {
      pool.shutdown();
    }
  }

  private static Set<String> indexes() {
    Set<String> indexes = new TreeSet<>();
    node.sql
        .rows(
            "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename = 'tickets'")
        .forEach(r -> indexes.add(r.get("indexname") + " " + r.get("indexdef")));
    return indexes;
  }
}
