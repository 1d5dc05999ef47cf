package org.example.helpdesk.system;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import org.example.helpdesk.testsupport.HttpTestClient;

/** Waiting for what a node's {@code /health/ready} says: UP with a 200, DOWN with a 503. */
final class Readiness {

  private Readiness() {}

  /** Waits (30 s at most) until the node's readiness is this status. */
  static void awaitReady(HttpTestClient node, String status) {
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              HttpTestClient.Response ready = node.get("/health/ready");
              return ready.json().path("status").asText().equals(status)
                  && ready.status() == ("UP".equals(status) ? 200 : 503);
            });
  }

  /** Waits (30 s at most) until one readiness check ("database", "broker") shows this status. */
  static void awaitCheck(HttpTestClient node, String check, String status) {
    awaitCheckWithin(node, check, status, Duration.ofSeconds(30));
  }

  /** Waits for a readiness check to show this status; returns after how long, in ms. */
  static long awaitCheckWithin(HttpTestClient node, String check, String status, Duration bound) {
    long start = System.nanoTime();
    await()
        .atMost(bound)
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              HttpTestClient.Response ready = node.get("/health/ready");
              JsonNode checks = ready.json().path("checks");
              return checks.path(check).asText().equals(status)
                  && ready.status() == ("UP".equals(status) ? 200 : 503);
            });
    return Duration.ofNanos(System.nanoTime() - start).toMillis();
  }
}
