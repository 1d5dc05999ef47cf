package org.example.helpdesk.backoffice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.example.helpdesk.testsupport.HttpTestClient;
import org.example.helpdesk.testsupport.TestEmployees;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The backoffice's Prometheus output: requests by method, route template and status, with a bounded
 * set of routes however many distinct paths are asked for, and its two connection pools (its own,
 * the journal's).
 */
class RequestAndPoolMetricsTest {

  @RegisterExtension
  static final BackofficeTestNode node =
      new BackofficeTestNode(
          ConfigFactory.parseMap(
              Map.of(
                  "helpdesk.auth.employees",
                  TestEmployees.ENTRIES,
                  "helpdesk.database.pool-size",
                  "6")));

  private static final Pattern REQUESTS =
      Pattern.compile(
          "helpdesk_http_requests_total\\{method=\"([^\"]*)\",route=\"([^\"]*)\",status=\"(\\d+)\"\\} ([0-9.E]+)");

  @Test
  void requestsAreCountedAndTimedByRouteTemplateNeverByRawPath() {
    String missing = UUID.randomUUID().toString();
    for (int i = 0; i < 3; i++) {
      assertEquals(404, node.http.get("/tickets/" + missing).status());
    }
    assertEquals(400, node.http.get("/tickets/not-a-uuid").status());
    assertEquals(401, node.http.anonymous().get("/tickets").status());
    // a scanner's worth of distinct paths
    for (int i = 0; i < 300; i++) {
      node.http.get("/probe-" + i + "/" + UUID.randomUUID());
    }

    String metrics = metrics();
    assertEquals(3, count(metrics, "GET", "/tickets/{ticketId}", "404"), metrics);
    assertEquals(1, count(metrics, "GET", "/tickets/{ticketId}", "400"));
    assertEquals(1, count(metrics, "GET", "/tickets", "401"));
    assertEquals(300, count(metrics, "GET", "unmatched", "404"));
    assertTrue(
        metrics.contains(
            "helpdesk_http_request_duration_seconds_count{method=\"GET\",route=\"/tickets/{ticketId}\",status=\"404\"} 3"),
        metrics);
    assertTrue(
        metrics.contains(
            "helpdesk_http_request_duration_seconds_bucket{method=\"GET\",route=\"/tickets/{ticketId}\",status=\"404\",le=\"10.0\"} 3"),
        metrics);
    assertFalse(metrics.contains(missing), "no raw path in a label");
    assertFalse(metrics.contains("probe-"), "no raw path in a label");
    Set<String> routes = new TreeSet<>();
    Matcher m = REQUESTS.matcher(metrics);
    while (m.find()) {
      routes.add(m.group(2));
    }
    metrics
        .lines()
        .filter(l -> l.startsWith("helpdesk_http_requests_total"))
        .forEach(l -> System.out.println("[metrics] " + l));
    assertTrue(routes.size() <= 8, "a handful of routes, not one per path: " + routes);
  }

  @Test
  void bothConnectionPoolsAreShownWithActiveIdlePendingAndMax() {
    // the journal's pool is made when the journal is first used
    assertEquals(
        201,
        node.http
            .postJson("/tickets", "{\"ticketType\":\"internal\",\"description\":\"pools\"}")
            .status());
    String metrics = metrics();
    metrics
        .lines()
        .filter(l -> l.startsWith("helpdesk_db_pool"))
        .forEach(l -> System.out.println("[metrics] " + l));
    for (String pool : new String[] {"node", "persistence"}) {
      assertTrue(
          metrics.contains("helpdesk_db_pool_max_connections{pool=\"" + pool + "\"} 6.0"),
          () -> pool + ": " + metrics);
      for (String state : new String[] {"active", "idle", "pending"}) {
        assertTrue(
            Pattern.compile(
                    "helpdesk_db_pool_connections\\{pool=\""
                        + pool
                        + "\",state=\""
                        + state
                        + "\"\\} \\d+\\.0")
                .matcher(metrics)
                .find(),
            () -> pool + " " + state + ": " + metrics);
      }
    }
  }

  private static String metrics() {
    HttpTestClient.Response r = node.http.anonymous().get("/metrics");
    assertEquals(200, r.status(), r::toString);
    return r.body();
  }

  private static long count(String metrics, String method, String route, String status) {
    Matcher m = REQUESTS.matcher(metrics);
    while (m.find()) {
      if (m.group(1).equals(method) && m.group(2).equals(route) && m.group(3).equals(status)) {
        return (long) Double.parseDouble(m.group(4));
      }
    }
    return 0;
  }
}
