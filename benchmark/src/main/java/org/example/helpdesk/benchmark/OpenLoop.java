package org.example.helpdesk.benchmark;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Recorder;

/**
 * Reports issues at a fixed rate, whatever the answers do (open loop): a slow answer does not slow
 * the next request down, so queueing shows in the latency. Latency counts from when a request was
 * due, not from when it could be sent, so that stalls are not hidden (no coordinated omission).
 */
final class OpenLoop implements AutoCloseable {

  final Recorder httpLatencyMicros = new Recorder(3);
  final AtomicLong sent = new AtomicLong();
  final AtomicLong accepted = new AtomicLong();
  final AtomicLong errors = new AtomicLong();
  final AtomicLong closes = new AtomicLong();

  /** Every issue id sent, answered or not, where asked for (drain mode); else null. */
  final Set<UUID> sentIds;

  private final ExecutorService callbacks = Executors.newFixedThreadPool(4);
  private final HttpClient http =
      HttpClient.newBuilder().executor(callbacks).connectTimeout(Duration.ofSeconds(5)).build();
  private final List<String> customerUrls;
  private final Semaphore inFlight;
  private final double closeRatio;
  private final Watch watch;

  /** What is told of every accepted report: its issue id and when its 201 came. */
  interface Watch {
    void accepted(UUID issue, long atMicros);

    /** Both told, in this order; null stands for nobody. */
    static Watch both(Watch first, Watch second) {
      if (first == null || second == null) {
        return first == null ? second : first;
      }
      return (issue, at) -> {
        first.accepted(issue, at);
        second.accepted(issue, at);
      };
    }
  }

  /**
   * Reports go to {@code customerUrls} round-robin; an issue's close to the node it went to. {@code
   * watch}: told of every accepted report, for the end-to-end latency and the round trip (null:
   * nobody).
   */
  OpenLoop(List<String> customerUrls, int maxInFlight, double closeRatio, Watch watch) {
    this(customerUrls, maxInFlight, closeRatio, watch, false);
  }

  OpenLoop(
      List<String> customerUrls,
      int maxInFlight,
      double closeRatio,
      Watch watch,
      boolean recordIds) {
    this.sentIds = recordIds ? ConcurrentHashMap.newKeySet() : null;
    this.customerUrls = List.copyOf(customerUrls);
    this.inFlight = new Semaphore(maxInFlight);
    this.closeRatio = closeRatio;
    this.watch = watch;
  }

  /** Sends {@code rate} reports per second for {@code duration}; returns when the last was sent. */
  void run(int rate, Duration duration) {
    send(rate, duration.toNanos() / (1_000_000_000L / rate));
  }

  /** Sends {@code count} reports at {@code rate} per second; returns when the last was sent. */
  void send(int rate, long count) {
    long interval = 1_000_000_000L / rate;
    long start = System.nanoTime();
    for (long i = 0; i < count; i++) {
      long due = start + i * interval;
      long wait = due - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      }
      inFlight.acquireUninterruptibly();
      send(due);
    }
  }

  private void send(long dueNanos) {
    UUID id = UUID.randomUUID();
    if (sentIds != null) {
      sentIds.add(id);
    }
    long n = sent.incrementAndGet();
    String customerUrl = customerUrls.get((int) (n % customerUrls.size()));
    String body =
        "{\"issueId\":\""
            + id
            + "\",\"email\":\"bench"
            + n
            + "@example.com\",\"content\":\"benchmark issue "
            + n
            + "\"}";
    http.sendAsync(post(customerUrl, "/issues", body), HttpResponse.BodyHandlers.discarding())
        .whenComplete(
            (response, failure) -> {
              httpLatencyMicros.recordValue(Math.max(0, (System.nanoTime() - dueNanos) / 1000));
              if (response != null && response.statusCode() == 201) {
                accepted.incrementAndGet();
                if (watch != null) {
                  watch.accepted(id, nowMicros());
                }
                if (ThreadLocalRandom.current().nextDouble() < closeRatio) {
                  closes.incrementAndGet();
                  http.sendAsync(
                          post(customerUrl, "/issues/" + id + "/close", ""),
                          HttpResponse.BodyHandlers.discarding())
                      .whenComplete(
                          (r, e) -> {
                            if (r == null || r.statusCode() != 200) {
                              errors.incrementAndGet();
                            }
                            inFlight.release();
                          });
                  return;
                }
              } else {
                errors.incrementAndGet();
              }
              inFlight.release();
            });
  }

  private HttpRequest post(String customerUrl, String path, String json) {
    return HttpRequest.newBuilder(URI.create(customerUrl + path))
        .timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json))
        .build();
  }

  static long nowMicros() {
    return ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
  }

  /** Waits for the answers still on their way. */
  void awaitAnswers(int maxInFlight, Duration timeout) throws InterruptedException {
    if (inFlight.tryAcquire(
        maxInFlight, timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
      inFlight.release(maxInFlight);
    }
  }

  @Override
  public void close() {
    callbacks.shutdownNow();
  }
}
