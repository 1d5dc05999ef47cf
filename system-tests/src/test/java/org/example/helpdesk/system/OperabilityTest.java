package org.example.helpdesk.system;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.example.helpdesk.backoffice.BackofficeNode;
import org.example.helpdesk.customer.CustomerNode;
import org.example.helpdesk.testsupport.HttpTestClient;
import org.example.helpdesk.testsupport.PrometheusText;
import org.example.helpdesk.testsupport.TcpProxy;
import org.example.helpdesk.testsupport.TestBroker;
import org.example.helpdesk.testsupport.TestNodes;
import org.example.helpdesk.testsupport.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Liveness, readiness and metrics of both nodes, with their database and broker reached through
 * proxies that the test cuts and restores.
 */
class OperabilityTest {

  private static TcpProxy database;
  private static TcpProxy broker;
  private static String customerSchema;
  private static String backofficeSchema;
  private static CustomerNode customerNode;
  private static BackofficeNode backofficeNode;
  private static HttpTestClient customer;
  private static HttpTestClient backoffice;

  @BeforeAll
  static void start() {
    URI db = URI.create(TestPostgres.jdbcUrl().substring("jdbc:".length()));
    URI amqp = URI.create(TestBroker.amqpUri());
    database = new TcpProxy(db.getHost(), db.getPort());
    broker = new TcpProxy(amqp.getHost(), amqp.getPort());
    customerSchema = TestPostgres.newSchemaName("customer");
    backofficeSchema = TestPostgres.newSchemaName("backoffice");
    backofficeNode = BackofficeNode.start(throughProxies(backofficeSchema));
    customerNode = CustomerNode.start(throughProxies(customerSchema));
    customer = new HttpTestClient("127.0.0.1", customerNode.node().httpAddress().getPort());
    backoffice = new HttpTestClient("127.0.0.1", backofficeNode.node().httpAddress().getPort());
  }

  @AfterAll
  static void stop() {
    customerNode.node().stop().toCompletableFuture().join();
    backofficeNode.node().stop().toCompletableFuture().join();
    database.close();
    broker.close();
    TestPostgres.dropSchema(customerSchema);
    TestPostgres.dropSchema(backofficeSchema);
  }

  private static Config throughProxies(String schema) {
    String url =
        TestPostgres.jdbcUrl().replaceFirst("//[^/]+/", "//127.0.0.1:" + database.port() + "/");
    String amqp = TestBroker.amqpUri().replaceFirst("@[^/]+/", "@127.0.0.1:" + broker.port() + "/");
    return ConfigFactory.parseMap(Map.of("helpdesk.database.url", url, "helpdesk.amqp.uri", amqp))
        .withFallback(TestNodes.config(schema));
  }

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
    double before = metric(backoffice, "helpdesk_dead_letters");
    TestBroker.withChannel(
        channel -> {
          channel.confirmSelect();
          channel.basicPublish(
              "distributed.commands",
              "backoffice_service",
              true,
              new com.rabbitmq.client.AMQP.BasicProperties.Builder()
                  .type("ticket.cancel")
                  .messageId("ops-" + UUID.randomUUID())
                  .build(),
              ("{\"ticketId\":\"" + UUID.randomUUID() + "\"}")
                  .getBytes(java.nio.charset.StandardCharsets.UTF_8));
          channel.waitForConfirmsOrDie(10_000);
        });
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

  private static void awaitReady(HttpTestClient node, String status) {
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              HttpTestClient.Response ready = node.get("/health/ready");
              return ready.json().path("status").asText().equals(status)
                  && ready.status() == ("UP".equals(status) ? 200 : 503);
            });
  }

  private static void awaitCheck(HttpTestClient node, String check, String status) {
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              HttpTestClient.Response ready = node.get("/health/ready");
              JsonNode checks = ready.json().path("checks");
              return checks.path(check).asText().equals(status)
                  && ready.status() == ("UP".equals(status) ? 200 : 503);
            });
  }

  /** The sum of a metric's series (e.g. over the tags), from the node's Prometheus text. */
  private static double metric(HttpTestClient node, String name) {
    HttpTestClient.Response response = node.get("/metrics");
    assertEquals(200, response.status());
    return PrometheusText.sum(response.body(), name);
  }
}
