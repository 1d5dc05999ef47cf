package org.example.helpdesk.system;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import org.example.helpdesk.testsupport.OutboxQueries;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * 500 issues reported at once, a third of them closed right away: every one ends as exactly one
 * ticket with the right status, and no Ticket journal holds a duplicate event.
 */
class ConcurrentIssuesTest {

  private static final int ISSUES = 500;
  private static final int IN_FLIGHT = 32;

  @RegisterExtension static final TwoServices services = new TwoServices();

  @Test
  void everyIssueEndsAsExactlyOneTicketWithTheRightStatus() {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    String base = "http://127.0.0.1:" + services.customerNode.node().httpAddress().getPort();
    Semaphore inFlight = new Semaphore(IN_FLIGHT);
    List<UUID> ids = new ArrayList<>();
    List<CompletableFuture<Void>> requests = new ArrayList<>();
    for (int i = 0; i < ISSUES; i++) {
      UUID id = UUID.randomUUID();
      ids.add(id);
      boolean close = i % 3 == 0;
      inFlight.acquireUninterruptibly();
      CompletableFuture<Void> request =
          http.sendAsync(
                  post(
                      base + "/issues",
                      "{\"issueId\":\""
                          + id
                          + "\",\"email\":\"c"
                          + i
                          + "@example.com\",\"content\":\"issue "
                          + i
                          + "\"}"),
                  HttpResponse.BodyHandlers.ofString())
              .thenCompose(
                  r -> {
                    assertEquals(201, r.statusCode(), r.body());
                    return close
                        ? http.sendAsync(
                                post(base + "/issues/" + id + "/close", ""),
                                HttpResponse.BodyHandlers.ofString())
                            .thenAccept(c -> assertEquals(200, c.statusCode(), c.body()))
                        : CompletableFuture.completedFuture(null);
                  })
              .whenComplete((r, e) -> inFlight.release());
      requests.add(request);
    }
    CompletableFuture.allOf(requests.toArray(CompletableFuture[]::new)).join();

    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () ->
                services.backofficeSql.count("SELECT count(*) FROM tickets") == ISSUES
                    && services.backofficeSql.count(
                            "SELECT count(*) FROM tickets WHERE status = 'cancelled'")
                        == (ISSUES + 2) / 3);

    Map<UUID, String> statuses = new HashMap<>();
    services
        .backofficeSql
        .rows("SELECT ticket_id, status, ticket_type FROM tickets")
        .forEach(row -> statuses.put((UUID) row.get("ticket_id"), (String) row.get("status")));
    for (int i = 0; i < ISSUES; i++) {
      assertEquals(
          i % 3 == 0 ? "cancelled" : "awaiting", statuses.get(ids.get(i)), "ticket of issue " + i);
    }
    assertEquals(
        0L,
        services.backofficeSql.count(
            "SELECT count(*) FROM (SELECT persistence_id, "
                + "convert_from(event_payload, 'UTF8')::jsonb -> 'event' ->> 'type' AS type"
                + " FROM event_journal "
                + "GROUP BY persistence_id, type HAVING count(*) > 1) AS duplicates"),
        "no Ticket journal holds the same event twice");
    assertEquals(
        (long) ISSUES + (ISSUES + 2) / 3,
        services.backofficeSql.count("SELECT count(*) FROM event_journal"));
    assertEquals(0L, services.backofficeSql.count("SELECT count(*) FROM dead_letters"));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> services.customerSql.count(OutboxQueries.ISSUES_WITH_PENDING_ENTRIES) == 0);
  }

  private static HttpRequest post(String uri, String json) {
    return HttpRequest.newBuilder(URI.create(uri))
        .timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json))
        .build();
  }
}
