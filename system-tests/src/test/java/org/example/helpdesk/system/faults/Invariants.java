package org.example.helpdesk.system.faults;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.example.helpdesk.testsupport.OutboxQueries;

/**
 * What must hold once a fault has healed: every accepted report has exactly one ticket, with the
 * status its issue's last accepted command implies; no ticket without an issue; no Ticket journal
 * holds an event twice; the outbox is empty; no dead letters; and what was refused was refused
 * clearly (503, or no answer while a node was down), never with a 4xx or a 500.
 */
final class Invariants {

  /** Figures of one run, for the report. */
  record Figures(
      int issuesSent,
      long accepted,
      int tickets,
      Map<Integer, Integer> statuses,
      Duration healedIn) {}

  private Invariants() {}

  static Figures assertHoldWithin(Duration limit, Deployment d, IssueLoad load) {
    long start = System.nanoTime();
    await().atMost(limit).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> check(d, load));
    Duration healed = Duration.ofNanos(System.nanoTime() - start);

    assertEquals(
        0L,
        d.backofficeSql.count(
            "SELECT count(*) FROM (SELECT persistence_id, "
                + "convert_from(event_payload, 'UTF8')::jsonb -> 'event' ->> 'type' AS type"
                + " FROM event_journal "
                + "GROUP BY persistence_id, type HAVING count(*) > 1) AS twice"),
        "a Ticket journal holds an event twice");
    assertEquals(0L, d.backofficeSql.count("SELECT count(*) FROM dead_letters"), "dead letters");
    Map<Integer, Integer> statuses = load.statuses();
    for (int status : statuses.keySet()) {
      assertTrue(
          status / 100 == 2 || status == 503 || status == -1,
          () -> "refused unclearly: " + statuses);
    }
    System.out.println("[faults] " + load + "; healed in " + healed.toMillis() + " ms");
    return new Figures(load.issues().size(), load.accepted(), tickets(d).size(), statuses, healed);
  }

  private static void check(Deployment d, IssueLoad load) {
    Map<UUID, String> issues = new HashMap<>();
    d.customerSql
        .rows(
            "SELECT substring(persistence_id from 7) AS id, "
                + "convert_from(state_payload, 'UTF8')::jsonb ->> 'status' AS status FROM durable_state")
        .forEach(
            row -> issues.put(UUID.fromString((String) row.get("id")), (String) row.get("status")));
    assertEquals(
        0L,
        d.customerSql.count(OutboxQueries.ISSUES_WITH_PENDING_ENTRIES),
        "issues with entries the relay has pending");
    Map<UUID, String> tickets = tickets(d);

    Set<UUID> orphans = new HashSet<>(tickets.keySet());
    orphans.removeAll(issues.keySet());
    assertTrue(orphans.isEmpty(), () -> "tickets without an issue: " + orphans);
    load.outcomes.forEach(
        (id, outcome) -> {
          if (outcome.report / 100 == 2) {
            assertTrue(issues.containsKey(id), () -> "accepted report " + id + " has no issue");
          }
          if (outcome.close / 100 == 2) {
            assertEquals("CLOSED", issues.get(id), "accepted close of " + id);
          }
        });
    issues.forEach(
        (id, status) ->
            assertEquals(
                "CLOSED".equals(status) ? "cancelled" : "awaiting",
                tickets.get(id),
                "ticket of issue " + id));
  }

  private static Map<UUID, String> tickets(Deployment d) {
    Map<UUID, String> tickets = new HashMap<>();
    d.backofficeSql
        .rows("SELECT ticket_id, status FROM tickets")
        .forEach(row -> tickets.put((UUID) row.get("ticket_id"), (String) row.get("status")));
    return tickets;
  }
}
