package org.example.helpdesk.customer.outbox;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import org.example.helpdesk.customer.CustomerTestNode;
import org.example.helpdesk.testsupport.TcpProxy;
import org.example.helpdesk.testsupport.TestBroker;
import org.example.helpdesk.testsupport.TestPostgres;
import org.junit.jupiter.api.Test;

/**
 * An issue's entries reach the queue in the order they were recorded, however the publishing is
 * squeezed and broken: a tiny publisher buffer, few unconfirmed messages, and the broker connection
 * cut again and again while thousands of issues are delivered at once.
 */
class OutboxOrderTest {

  private static final int ISSUES = 2_000;

  @Test
  void noIssuesCancelReachesTheQueueBeforeItsPrepare() throws Exception {
    URI broker = URI.create(TestBroker.amqpUri());
    try (TcpProxy proxy = new TcpProxy(broker.getHost(), broker.getPort());
        CustomerTestNode customer =
            new CustomerTestNode(
                TestPostgres.newSchemaName("customer"),
                ConfigFactory.parseString(
                    "helpdesk.amqp.uri = \""
                        + TestBroker.amqpUri()
                            .replaceFirst("@[^/]+/", "@127.0.0.1:" + proxy.port() + "/")
                        + "\"\n"
                        + "helpdesk.outbox.publisher { buffer = 4, max-unconfirmed = 8,"
                        + " restart-min-backoff = 100ms, restart-max-backoff = 500ms }\n"
                        + "pekko.projection.restart-backoff { min-backoff = 100ms, max-backoff = 1s }"))) {
      // every issue reported and closed while the broker is unreachable: the relay gets each
      // issue's two entries at once, as a unit
      proxy.cut();
      List<UUID> ids = reportAndClose(customer);
      proxy.restore();

      AtomicBoolean breaking = new AtomicBoolean(true);
      Thread breaker =
          new Thread(
              () -> {
                for (int i = 0; i < 6 && breaking.get(); i++) {
                  sleep(300);
                  proxy.cut();
                  sleep(60);
                  proxy.restore();
                }
              });
      breaker.start();
      List<String> arrived;
      try {
        arrived = drain(2 * ISSUES);
      } finally {
        breaking.set(false);
        breaker.join();
      }

      Map<String, Integer> firstSeen = new HashMap<>();
      for (int i = 0; i < arrived.size(); i++) {
        firstSeen.putIfAbsent(arrived.get(i), i);
      }
      for (UUID id : ids) {
        Integer prepare = firstSeen.get(id + ":1");
        Integer cancel = firstSeen.get(id + ":2");
        assertTrue(prepare != null && cancel != null, "both entries of " + id + " arrived");
        assertTrue(prepare < cancel, () -> "the cancel of " + id + " came before its prepare");
      }
      System.out.println(
          "[order] "
              + arrived.size()
              + " messages for "
              + 2 * ISSUES
              + " entries (repeats after cut connections)");
    }
  }

  private static List<UUID> reportAndClose(CustomerTestNode customer) {
    HttpClient http = HttpClient.newHttpClient();
    String base = "http://127.0.0.1:" + customer.node.node().httpAddress().getPort();
    Semaphore inFlight = new Semaphore(32);
    List<UUID> ids = new ArrayList<>();
    List<CompletableFuture<Void>> requests = new ArrayList<>();
    for (int i = 0; i < ISSUES; i++) {
      UUID id = UUID.randomUUID();
      ids.add(id);
      inFlight.acquireUninterruptibly();
      String report =
          "{\"issueId\":\""
              + id
              + "\",\"email\":\"o"
              + i
              + "@example.com\",\"content\":\"order "
              + i
              + "\"}";
      requests.add(
          http.sendAsync(post(base + "/issues", report), HttpResponse.BodyHandlers.ofString())
              .thenCompose(
                  r -> {
                    assertEquals(201, r.statusCode(), r.body());
                    return http.sendAsync(
                        post(base + "/issues/" + id + "/close", ""),
                        HttpResponse.BodyHandlers.ofString());
                  })
              .thenAccept(r -> assertEquals(200, r.statusCode(), r.body()))
              .whenComplete((r, e) -> inFlight.release()));
    }
    CompletableFuture.allOf(requests.toArray(CompletableFuture[]::new)).join();
    return ids;
  }

  private static HttpRequest post(String uri, String json) {
    return HttpRequest.newBuilder(URI.create(uri))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json))
        .build();
  }

  /** Message ids in the order the queue holds them, until {@code distinct} different ones came. */
  private static List<String> drain(int distinct) {
    List<String> arrived = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    TestBroker.withChannel(CustomerTestNode::declareBackofficeQueue);
    await()
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              TestBroker.takeAll(
                  CustomerTestNode.BACKOFFICE_QUEUE,
                  r -> {
                    arrived.add(r.getProps().getMessageId());
                    seen.add(r.getProps().getMessageId());
                  });
              return seen.size() >= distinct;
            });
    return arrived;
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
