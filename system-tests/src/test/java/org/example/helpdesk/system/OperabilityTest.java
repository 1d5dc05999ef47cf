package org.example.helpdesk.system;

import static org.awaitility.Awaitility.await;
import static org.example.helpdesk.system.Readiness.awaitCheck;
import static org.example.helpdesk.system.Readiness.awaitReady;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.UUID;
import org.example.helpdesk.testsupport.HttpTestClient;
import org.example.helpdesk.testsupport.PrometheusText;
import org.example.helpdesk.testsupport.TcpProxy;
import org.example.helpdesk.testsupport.TestBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Liveness, readiness and metrics of both nodes, with their database and broker reached through
 * proxies that the test cuts and restores.
 */
class OperabilityTest {

  @RegisterExtension static final TwoServices services = TwoServices.behindProxies();

  private static final TcpProxy database = services.database;
  private static final TcpProxy broker = services.broker;
  private static final HttpTestClient customer = services.customer;
  private static final HttpTestClient backoffice = services.backoffice;

  @Test
  void readinessFollowsTheDatabaseWhileLivenessStaysUp() {
    awaitReady(customer, "UP");
    awaitReady(backoffice, "UP");

    database.cut();
    try {
      awaitCheck(customer, "database", "DOWN");
      awaitCheck(backoffice, "database", "DOWN");
      assertEquals(200, customer.get("/health/live").status());
      assertEquals(200, backoffice.get("/health/live").status());
    } finally {
      database.restore();
    }

    awaitReady(customer, "UP");
    awaitReady(backoffice, "UP");
  }

  @Test
  void readinessFollowsTheBrokerAndTheOutboxMetricsShowWhatWaits() {
    awaitReady(customer, "UP");

    broker.cut();
    try {
      awaitCheck(customer, "broker", "DOWN");
      awaitCheck(backoffice, "broker", "DOWN");
      // reports are still accepted: they wait in the outbox, and the metrics say so
      for (int i = 0; i < 3; i++) {
        assertEquals(
            201,
            customer
                .postJson(
                    "/issues",
                    "{\"email\":\"ops@example.com\",\"content\":\"while the broker is away "
                        + i
                        + "\"}")
                .status());
      }
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> metric(customer, "helpdesk_projection_lag_changes") >= 3);
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> metric(customer, "helpdesk_projection_lag_seconds") > 0);
    } finally {
      broker.restore();
    }

    awaitReady(customer, "UP");
    awaitReady(backoffice, "UP");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> metric(customer, "helpdesk_projection_lag_changes") == 0);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> metric(backoffice, "helpdesk_projection_lag_events") == 0);
    assertEquals(0, metric(customer, "helpdesk_projection_lag_seconds"));
    assertEquals(0, metric(customer, "helpdesk_change_feed_horizon_age_seconds"), 5.0);
  }

  @Test
  void theDeadLetterCountIsAMetric() {
    // (NaN until the background sampler has read the database again, e.g. after another test cut
    // it: a count to compare with only once it is a number)
    double before =
        await()
            .atMost(Duration.ofSeconds(20))
            .until(() -> metric(backoffice, "helpdesk_dead_letters"), v -> !Double.isNaN(v));
    TestBroker.publish(
        "distributed.commands",
        "backoffice_service",
        new com.rabbitmq.client.AMQP.BasicProperties.Builder()
            .type("ticket.cancel")
            .messageId("ops-" + UUID.randomUUID())
            .build(),
        ("{\"ticketId\":\"" + UUID.randomUUID() + "\"}")
            .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> metric(backoffice, "helpdesk_dead_letters") == before + 1);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                metric(backoffice, "helpdesk_inbox_messages_total{outcome=\"dead_lettered\"}")
                    >= 1);
  }

  /** The sum of a metric's series (e.g. over the tags), from the node's Prometheus text. */
  private static double metric(HttpTestClient node, String name) {
    HttpTestClient.Response response = node.get("/metrics");
    assertEquals(200, response.status());
    return PrometheusText.sum(response.body(), name);
  }
}
