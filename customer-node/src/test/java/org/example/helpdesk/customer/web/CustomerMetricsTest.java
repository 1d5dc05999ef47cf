package org.example.helpdesk.customer.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.UUID;
import java.util.regex.Pattern;
import org.example.helpdesk.customer.CustomerTestNode;
import org.example.helpdesk.testsupport.HttpTestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The customer node's Prometheus output: requests by route template and status, and its two
 * connection pools (its own, the durable state store's).
 */
class CustomerMetricsTest {

  @RegisterExtension static final CustomerTestNode node = new CustomerTestNode();

  @Test
  void requestsByRouteTemplateAndBothPoolsAreInTheOutput() {
    UUID id = UUID.randomUUID();
    HttpTestClient.Response created =
        node.http.postJson(
            "/issues",
            "{\"issueId\":\"" + id + "\",\"email\":\"jane@example.com\",\"content\":\"metrics\"}");
    assertEquals(201, created.status(), created::toString);
    assertEquals(200, node.http.get("/issues/" + id).status());
    assertEquals(404, node.http.get("/issues/" + UUID.randomUUID()).status());
    assertEquals(404, node.http.get("/wp-login.php").status());

    HttpTestClient.Response scraped = node.http.get("/metrics");
    assertEquals(200, scraped.status());
    String metrics = scraped.body();
    assertTrue(
        metrics.contains(
            "helpdesk_http_requests_total{method=\"POST\",route=\"/issues\",status=\"201\"} 1.0"),
        metrics);
    assertTrue(
        metrics.contains(
            "helpdesk_http_requests_total{method=\"GET\",route=\"/issues/{issueId}\",status=\"200\"} 1.0"),
        metrics);
    assertTrue(
        metrics.contains(
            "helpdesk_http_requests_total{method=\"GET\",route=\"unmatched\",status=\"404\"} 1.0"),
        metrics);
    assertFalse(metrics.contains(id.toString()), "no raw path in a label");
    for (String pool : new String[] {"node", "state"}) {
      assertTrue(
          metrics.contains("helpdesk_db_pool_max_connections{pool=\"" + pool + "\"}"),
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
}
