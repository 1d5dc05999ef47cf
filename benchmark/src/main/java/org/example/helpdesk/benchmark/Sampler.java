package org.example.helpdesk.benchmark;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;

/**
 * Once a second: what was sent, accepted and became visible, the latencies of that second, the
 * backlogs the nodes report on /metrics, and the memory (RSS) of the node processes. It also adds
 * every second's latencies to the histograms of the phase running.
 */
final class Sampler implements AutoCloseable {

  /** One second of the run. */
  record Point(
      double t,
      String phase,
      int targetRate,
      long sent,
      long accepted,
      long errors,
      long visible,
      long backlog,
      double httpP99Ms,
      double endToEndP99Ms,
      double outboxPending,
      double relayLag,
      double projectionLag,
      long customerRssMb,
      long backofficeRssMb) {}

  /** Everything one phase measured. */
  static final class Phase {
    final String name;
    final int targetRate;
    final Histogram http = new Histogram(3);
    final Histogram endToEnd = new Histogram(3);
    long sent;
    long accepted;
    long errors;
    long visible;
    long seconds;
    long lastBacklog;
    long maxBacklog;
    /** How long the load of this phase ran (the phase goes on while its backlog drains). */
    double loadSeconds;

    Phase(String name, int targetRate) {
      this.name = name;
      this.targetRate = targetRate;
    }

    double acceptedPerSecond() {
      double over = loadSeconds > 0 ? loadSeconds : seconds;
      return over == 0 ? 0 : accepted / over;
    }
  }

  final List<Point> points = new ArrayList<>();
  private final OpenLoop load;
  private final Visibility visibility;
  private final String customerUrl;
  private final String backofficeUrl;
  private final OptionalLong customerPid;
  private final OptionalLong backofficePid;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
  private final long start = System.nanoTime();
  private final Histogram httpInterval = new Histogram(3);
  private final Histogram endToEndInterval = new Histogram(3);
  private volatile Phase phase = new Phase("idle", 0);
  private long lastSent;
  private long lastAccepted;
  private long lastErrors;
  private long lastVisible;
  long customerPeakRssMb;
  long backofficePeakRssMb;

  Sampler(OpenLoop load, Visibility visibility, String customerUrl, String backofficeUrl, OptionalLong customerPid, OptionalLong backofficePid) {
    this.load = load;
    this.visibility = visibility;
    this.customerUrl = customerUrl;
    this.backofficeUrl = backofficeUrl;
    this.customerPid = customerPid;
    this.backofficePid = backofficePid;
    ticker.scheduleAtFixedRate(this::sample, 1, 1, TimeUnit.SECONDS);
  }

  /** Starts measuring a new phase; the previous one's figures stay as they are. */
  Phase begin(String name, int targetRate) {
    Phase next = new Phase(name, targetRate);
    phase = next;
    return next;
  }

  private synchronized void sample() {
    try {
      httpInterval.reset();
      endToEndInterval.reset();
      load.httpLatencyMicros.getIntervalHistogramInto(httpInterval);
      visibility.endToEndMicros.getIntervalHistogramInto(endToEndInterval);
      long sent = load.sent.get();
      long accepted = load.accepted.get();
      long errors = load.errors.get();
      long visible = visibility.visible.get();
      Phase p = phase;
      p.http.add(httpInterval);
      p.endToEnd.add(endToEndInterval);
      p.sent += sent - lastSent;
      p.accepted += accepted - lastAccepted;
      p.errors += errors - lastErrors;
      p.visible += visible - lastVisible;
      p.seconds++;
      p.lastBacklog = accepted - visible;
      p.maxBacklog = Math.max(p.maxBacklog, p.lastBacklog);
      long customerRss = rssMb(customerPid);
      long backofficeRss = rssMb(backofficePid);
      customerPeakRssMb = Math.max(customerPeakRssMb, customerRss);
      backofficePeakRssMb = Math.max(backofficePeakRssMb, backofficeRss);
      String customerMetrics = scrape(customerUrl);
      String backofficeMetrics = scrape(backofficeUrl);
      points.add(
          new Point(
              (System.nanoTime() - start) / 1e9,
              p.name,
              p.targetRate,
              sent - lastSent,
              accepted - lastAccepted,
              errors - lastErrors,
              visible - lastVisible,
              accepted - visible,
              httpInterval.getTotalCount() == 0 ? 0 : httpInterval.getValueAtPercentile(99) / 1000.0,
              endToEndInterval.getTotalCount() == 0 ? 0 : endToEndInterval.getValueAtPercentile(99) / 1000.0,
              sum(customerMetrics, "helpdesk_outbox_pending_entries"),
              sum(customerMetrics, "helpdesk_projection_lag_changes"),
              sum(backofficeMetrics, "helpdesk_projection_lag_events"),
              customerRss,
              backofficeRss));
      lastSent = sent;
      lastAccepted = accepted;
      lastErrors = errors;
      lastVisible = visible;
    } catch (RuntimeException e) {
      System.err.println("sample failed: " + e);
    }
  }

  private String scrape(String baseUrl) {
    if (baseUrl == null) {
      return "";
    }
    try {
      return http.send(
              HttpRequest.newBuilder(URI.create(baseUrl + "/metrics")).timeout(Duration.ofSeconds(2)).build(),
              HttpResponse.BodyHandlers.ofString())
          .body();
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }

  static double sum(String metrics, String name) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{[^}]*})? ([0-9.eE+-]+)$").matcher(metrics);
    double total = 0;
    while (m.find()) {
      total += Double.parseDouble(m.group(2));
    }
    return total;
  }

  /** Resident memory of a process, from /proc (Linux); 0 where unknown. */
  static long rssMb(OptionalLong pid) {
    return procStatus(pid, "VmRSS");
  }

  /** The most resident memory the process ever had. */
  static long peakRssMb(OptionalLong pid) {
    return procStatus(pid, "VmHWM");
  }

  private static long procStatus(OptionalLong pid, String field) {
    if (pid.isEmpty()) {
      return 0;
    }
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid.getAsLong() + "/status"))) {
        if (line.startsWith(field + ":")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
        }
      }
    } catch (IOException | NumberFormatException e) {
      // not Linux, or the process is gone
    }
    return 0;
  }

  @Override
  public void close() {
    ticker.shutdownNow();
  }
}
