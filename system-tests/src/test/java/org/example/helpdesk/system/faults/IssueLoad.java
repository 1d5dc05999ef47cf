package org.example.helpdesk.system.faults;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A steady load of issue reports at a fixed rate, every third issue closed right after it was
 * accepted, spread over the given customer nodes. It remembers what was accepted (2xx) and how
 * everything else was refused.
 */
final class IssueLoad implements AutoCloseable {

  /** What became of one issue's requests; -1: no answer (connection refused, timeout). */
  static final class Outcome {
    volatile int report;
    volatile int close;
    final boolean closing;

    Outcome(boolean closing) {
      this.closing = closing;
    }
  }

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
  private final Semaphore inFlight = new Semaphore(64);
  private final List<String> customers;
  private final AtomicInteger sent = new AtomicInteger();
  final Map<UUID, Outcome> outcomes = new ConcurrentHashMap<>();
  private final Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();

  private IssueLoad(List<String> customers) {
    this.customers = customers;
  }

  static IssueLoad start(List<String> customerUrls, int perSecond) {
    IssueLoad load = new IssueLoad(customerUrls);
    load.ticker.scheduleAtFixedRate(load::next, 0, 1_000_000 / perSecond, TimeUnit.MICROSECONDS);
    return load;
  }

  private void next() {
    if (!inFlight.tryAcquire()) {
      return; // the nodes are not answering; do not pile up more than the cap
    }
    int n = sent.getAndIncrement();
    UUID id = UUID.randomUUID();
    Outcome outcome = new Outcome(n % 3 == 0);
    outcomes.put(id, outcome);
    String base = customers.get(n % customers.size());
    http.sendAsync(
            post(
                base + "/issues",
                "{\"issueId\":\""
                    + id
                    + "\",\"email\":\"load"
                    + n
                    + "@example.com\",\"content\":\"load "
                    + n
                    + "\"}"),
            HttpResponse.BodyHandlers.ofString())
        .handle(
            (r, e) -> {
              outcome.report = r == null ? -1 : r.statusCode();
              count(outcome.report);
              return r != null && r.statusCode() / 100 == 2 && outcome.closing;
            })
        .thenCompose(
            close ->
                close
                    ? http.sendAsync(
                            post(base + "/issues/" + id + "/close", ""),
                            HttpResponse.BodyHandlers.ofString())
                        .handle(
                            (r, e) -> {
                              outcome.close = r == null ? -1 : r.statusCode();
                              count(outcome.close);
                              return null;
                            })
                    : java.util.concurrent.CompletableFuture.completedFuture(null))
        .whenComplete((r, e) -> inFlight.release());
  }

  private void count(int status) {
    statuses.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
  }

  private static HttpRequest post(String uri, String json) {
    return HttpRequest.newBuilder(URI.create(uri))
        .timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json))
        .build();
  }

  long accepted() {
    return outcomes.values().stream().filter(o -> o.report / 100 == 2).count();
  }

  /** Statuses of every answer so far, -1 for none. */
  Map<Integer, Integer> statuses() {
    Map<Integer, Integer> copy = new TreeMap<>();
    statuses.forEach((s, n) -> copy.put(s, n.get()));
    return copy;
  }

  Set<UUID> issues() {
    return outcomes.keySet();
  }

  private volatile boolean closed;

  /** Stops sending and waits for the answers still on their way. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    ticker.shutdownNow();
    try {
      inFlight.tryAcquire(64, 30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return outcomes.size() + " issues sent, " + accepted() + " accepted, statuses " + statuses();
  }
}
