package org.example.helpdesk.system;

import static org.awaitility.Awaitility.await;
import static org.example.helpdesk.system.Readiness.awaitCheckWithin;
import static org.example.helpdesk.system.Readiness.awaitReady;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.example.helpdesk.backoffice.BackofficeNode;
import org.example.helpdesk.customer.CustomerNode;
import org.example.helpdesk.platform.db.Database;
import org.example.helpdesk.testsupport.HttpTestClient;
import org.example.helpdesk.testsupport.TcpProxy;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Both nodes with their database and broker behind proxies that black-hole the traffic: the
 * connections stay open, nothing comes back. Every request is still answered in bounded time (a 503
 * with a JSON error), the JDBC queue stays within its bound, liveness stays up while readiness goes
 * down, and all comes back after the dependency does.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BlackHoleTest {

  /** The longest any request may take while a dependency hangs. */
  private static final Duration ANSWER_BOUND = Duration.ofSeconds(10);

  private static final int CONCURRENT = 50;

  @RegisterExtension static final TwoServices services = TwoServices.behindProxies();

  private static final TcpProxy database = services.database;
  private static final TcpProxy broker = services.broker;
  private static final CustomerNode customerNode = services.customerNode;
  private static final BackofficeNode backofficeNode = services.backofficeNode;
  private static final HttpTestClient customer = services.customer;
  private static final HttpTestClient backoffice = services.backoffice;

  @Test
  @Order(1)
  void aBlackHoledDatabaseIsAnsweredWith503sInBoundedTimeAndComesBack() throws Exception {
    awaitReady(customer, "UP");
    awaitReady(backoffice, "UP");
    String before = reportAndAwaitTicket("before the black hole");

    Database customerDb = customerNode.node().database();
    Database backofficeDb = backofficeNode.node().database();
    List<String> figures = new ArrayList<>();
    database.blackHole();
    long blackHoled = System.nanoTime();
    // (b, measured from the start) readiness goes DOWN within the bound
    CompletableFuture<Long> customerNotReady =
        CompletableFuture.supplyAsync(
            () -> awaitCheckWithin(customer, "database", "DOWN", ANSWER_BOUND));
    CompletableFuture<Long> backofficeNotReady =
        CompletableFuture.supplyAsync(
            () -> awaitCheckWithin(backoffice, "database", "DOWN", ANSWER_BOUND));
    try {
      // (a) every request answers, in bounded time, with a 503 and a JSON error; the JDBC queues
      // stay within their bounds meanwhile
      AtomicInteger maxWaiting = new AtomicInteger();
      AtomicBoolean sampling = new AtomicBoolean(true);
      Thread sampler =
          new Thread(
              () -> {
                while (sampling.get()) {
                  maxWaiting.accumulateAndGet(
                      Math.max(customerDb.waitingCalls(), backofficeDb.waitingCalls()), Math::max);
                  sleep(5);
                }
              });
      sampler.start();
      for (int round = 1; round <= 2; round++) {
        figures.add("round " + round + ": " + burst(before));
      }
      sampling.set(false);
      sampler.join();
      assertTrue(
          maxWaiting.get() <= customerDb.queueCapacity()
              && maxWaiting.get() <= backofficeDb.queueCapacity(),
          "JDBC calls waiting: " + maxWaiting.get());
      figures.add(
          "max JDBC calls waiting "
              + maxWaiting.get()
              + " (bound "
              + customerDb.queueCapacity()
              + ")");

      // (b) the processes are alive; they are not ready
      for (HttpTestClient node : List.of(customer, backoffice)) {
        Timed live = timed(() -> node.get("/health/live"));
        assertEquals(200, live.response().status(), live.toString());
        assertTrue(live.millis() < 2_000, "liveness took " + live.millis() + " ms");
      }
      figures.add(
          "readiness DOWN after "
              + customerNotReady.get(30, TimeUnit.SECONDS)
              + " ms (customer), "
              + backofficeNotReady.get(30, TimeUnit.SECONDS)
              + " ms (backoffice)");
      // and stays DOWN
      assertEquals(503, customer.get("/health/ready").status());
      assertEquals(503, backoffice.get("/health/ready").status());
      figures.add(
          "black hole lasted "
              + Duration.ofNanos(System.nanoTime() - blackHoled).toMillis()
              + " ms");
    } finally {
      database.restore();
      System.out.println("[blackhole] database, during: " + String.join("; ", figures));
      figures.clear();
    }

    // (c) back: within 30 s a report is accepted again and becomes a ticket
    long restored = System.nanoTime();
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(250))
        .until(() -> customer.postJson("/issues", issue("after the black hole")).status() == 201);
    long accepted = Duration.ofNanos(System.nanoTime() - restored).toMillis();
    reportAndAwaitTicket("after the black hole, end to end");
    long endToEnd = Duration.ofNanos(System.nanoTime() - restored).toMillis();
    figures.add(
        "after restore: report accepted in "
            + accepted
            + " ms, a new report's ticket seen "
            + endToEnd
            + " ms after restore");
    awaitReady(customer, "UP");
    awaitReady(backoffice, "UP");
    System.out.println("[blackhole] database, after restore: " + String.join("; ", figures));
  }

  @Test
  @Order(2)
  void aBlackHoledBrokerShowsInReadinessAndComesBack() {
    awaitReady(customer, "UP");
    awaitReady(backoffice, "UP");
    List<String> figures = new ArrayList<>();
    broker.blackHole();
    try {
      long customerDown = awaitCheckWithin(customer, "broker", "DOWN", ANSWER_BOUND);
      long backofficeDown = awaitCheckWithin(backoffice, "broker", "DOWN", ANSWER_BOUND);
      figures.add(
          "readiness DOWN after "
              + customerDown
              + " ms (customer), "
              + backofficeDown
              + " ms (backoffice)");
      for (HttpTestClient node : List.of(customer, backoffice)) {
        assertEquals(200, node.get("/health/live").status());
      }
      // reports are still accepted: they wait in the outbox
      Timed accepted = timed(() -> customer.postJson("/issues", issue("while the broker hangs")));
      assertEquals(201, accepted.response().status(), accepted.toString());
      figures.add("report accepted in " + accepted.millis() + " ms");
    } finally {
      broker.restore();
    }
    long restored = System.nanoTime();
    awaitReady(customer, "UP");
    awaitReady(backoffice, "UP");
    figures.add(
        "ready again "
            + Duration.ofNanos(System.nanoTime() - restored).toMillis()
            + " ms after restore");
    reportAndAwaitTicket("after the broker came back");
    figures.add(
        "a new report's ticket seen "
            + Duration.ofNanos(System.nanoTime() - restored).toMillis()
            + " ms after restore");
    System.out.println("[blackhole] broker: " + String.join("; ", figures));
  }

  /**
   * Fires {@link #CONCURRENT} requests at once, a third each of {@code POST /issues}, {@code GET
   * /tickets/{id}} and {@code GET /tickets}; asserts each is a 503 with a JSON error, within {@link
   * #ANSWER_BOUND}. Returns the times to answer.
   */
  private static String burst(String knownTicket) throws Exception {
    List<Supplier<HttpTestClient.Response>> requests = new ArrayList<>();
    for (int i = 0; i < CONCURRENT; i++) {
      int n = i;
      requests.add(
          switch (i % 3) {
            case 0 -> () -> customer.postJson("/issues", issue("during the black hole " + n));
            case 1 -> () -> backoffice.get("/tickets/" + knownTicket);
            default -> () -> backoffice.get("/tickets");
          });
    }
    ExecutorService clients = Executors.newFixedThreadPool(CONCURRENT);
    try {
      List<Future<Timed>> answers = new ArrayList<>();
      for (Supplier<HttpTestClient.Response> request : requests) {
        answers.add(clients.submit(() -> timed(request)));
      }
      List<Long> post = new ArrayList<>();
      List<Long> get = new ArrayList<>();
      List<Long> list = new ArrayList<>();
      for (int i = 0; i < answers.size(); i++) {
        // never hangs: each answers within the bound (plus the client's own scheduling)
        Timed t = answers.get(i).get(ANSWER_BOUND.toMillis() + 5_000, TimeUnit.MILLISECONDS);
        assertEquals(503, t.response().status(), "request " + i + ": " + t);
        JsonNode error = t.response().json().path("error");
        assertTrue(error.isTextual() && !error.asText().isBlank(), "request " + i + ": " + t);
        assertTrue(
            t.millis() <= ANSWER_BOUND.toMillis(),
            "request " + i + " took " + t.millis() + " ms: " + t);
        (i % 3 == 0 ? post : i % 3 == 1 ? get : list).add(t.millis());
      }
      return "POST /issues "
          + stats(post)
          + ", GET /tickets/{id} "
          + stats(get)
          + ", GET /tickets "
          + stats(list);
    } finally {
      clients.shutdownNow();
    }
  }

  private static String stats(List<Long> millis) {
    List<Long> sorted = new ArrayList<>(millis);
    Collections.sort(sorted);
    return "n="
        + sorted.size()
        + " min "
        + sorted.get(0)
        + " / median "
        + sorted.get(sorted.size() / 2)
        + " / max "
        + sorted.get(sorted.size() - 1)
        + " ms";
  }

  private record Timed(HttpTestClient.Response response, long millis) {
    @Override
    public String toString() {
      return response + " in " + millis + " ms";
    }
  }

  private static Timed timed(Supplier<HttpTestClient.Response> request) {
    long start = System.nanoTime();
    HttpTestClient.Response response = request.get();
    return new Timed(response, Duration.ofNanos(System.nanoTime() - start).toMillis());
  }

  private static String issue(String content) {
    return "{\"email\":\"blackhole@example.com\",\"content\":\"" + content + "\"}";
  }

  /** Reports an issue and waits for its ticket; returns the ticket's id. */
  private static String reportAndAwaitTicket(String content) {
    HttpTestClient.Response reported =
        await()
            .atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(250))
            .until(() -> customer.postJson("/issues", issue(content)), r -> r.status() == 201);
    String id = reported.json().path("issueId").asText();
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> backoffice.get("/tickets/" + id).status() == 200);
    return id;
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
