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
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;

/**
 * Once a second: what was sent, accepted, became visible and came back to the customer (the round
 * trip, where measured), the latencies of that second, the backlogs the nodes report on /metrics,
 * the memory (RSS) of the node processes and the CPU of each group of processes. It also adds every
 * second's figures to those of the phase running; phases change right after a sample, so that each
 * second belongs to one phase.
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
      Long returned,
      Long returnBacklog,
      Double roundTripP99Ms,
      double relayLagChanges,
      double readModelLagEvents,
      long customerRssMb,
      long backofficeRssMb,
      Double customerCores,
      Double backofficeCores,
      Double postgresCores,
      Double brokerCores,
      Double loadGeneratorCores) {}

  /** Everything one phase measured. */
  static final class Phase {
    final String name;
    final int targetRate;

    /** Whether the nodes' /metrics are read: not while measuring what the nodes cost at rest. */
    final boolean scrape;

    /**
     * Whether the round trip is measured (else {@link #roundTrip} and {@link #returned} stay 0).
     */
    boolean roundTripMeasured;

    final Histogram http = new Histogram(3);
    final Histogram endToEnd = new Histogram(3);
    final Histogram roundTrip = new Histogram(3);
    long sent;
    long accepted;
    long errors;
    long visible;
    long returned;
    long seconds;
    long lastBacklog;
    long maxBacklog;

    /** How long the load of this phase ran (the phase goes on while its backlog drains). */
    double loadSeconds;

    /** How long the phase ran, measured, and the CPU clock ticks each group used meanwhile. */
    double wallSeconds;

    final long[] cpuTicks;

    Phase(String name, int targetRate, boolean scrape, int cpuGroups) {
      this.name = name;
      this.targetRate = targetRate;
      this.scrape = scrape;
      this.cpuTicks = new long[cpuGroups];
    }

    double acceptedPerSecond() {
      double over = loadSeconds > 0 ? loadSeconds : seconds;
      return over == 0 ? 0 : accepted / over;
    }
  }

  final List<Point> points = new ArrayList<>();
  private final OpenLoop load;
  private final Visibility visibility;
  private final RoundTrip roundTrip;
  private final String customerUrl;
  private final String backofficeUrl;
  private final List<Long> customerPids;
  private final List<Long> backofficePids;
  final CpuMeter cpu;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
  private final long start = System.nanoTime();
  private final Histogram httpInterval = new Histogram(3);
  private final Histogram endToEndInterval = new Histogram(3);
  private final Histogram roundTripInterval = new Histogram(3);
  private Phase phase;
  private Phase upcoming;
  private long lastTick;
  private long lastSent;
  private long lastAccepted;
  private long lastErrors;
  private long lastVisible;
  private long lastReturned;
  long customerPeakRssMb;
  long backofficePeakRssMb;

  /**
   * @param roundTrip null: the round trip is not measured
   */
  Sampler(
      OpenLoop load,
      Visibility visibility,
      RoundTrip roundTrip,
      String customerUrl,
      String backofficeUrl,
      List<Long> customerPids,
      List<Long> backofficePids,
      CpuMeter cpu) {
    this.load = load;
    this.visibility = visibility;
    this.roundTrip = roundTrip;
    this.customerUrl = customerUrl;
    this.backofficeUrl = backofficeUrl;
    this.customerPids = customerPids;
    this.backofficePids = backofficePids;
    this.cpu = cpu;
    this.phase = new Phase("start", 0, true, cpu.groups.size());
    cpu.sample();
    lastTick = System.nanoTime();
    ticker.scheduleAtFixedRate(this::sample, 1, 1, TimeUnit.SECONDS);
  }

  /**
   * Starts measuring a new phase, right after the next sample (so within a second); the previous
   * one's figures stay as they are.
   */
  Phase begin(String name, int targetRate) throws InterruptedException {
    return begin(new Phase(name, targetRate, true, cpu.groups.size()));
  }

  /** A phase without load in which the nodes are left alone: their /metrics are not read. */
  Phase beginQuiet(String name) throws InterruptedException {
    return begin(new Phase(name, 0, false, cpu.groups.size()));
  }

  private synchronized Phase begin(Phase next) throws InterruptedException {
    next.roundTripMeasured = roundTrip != null;
    upcoming = next;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (phase != next && System.nanoTime() < deadline) {
      wait(100);
    }
    if (phase != next) {
      // no sample came (the ticker is stuck): switch anyway
      phase = next;
      upcoming = null;
    }
    return next;
  }

  private synchronized void sample() {
    try {
      long now = System.nanoTime();
      double seconds = (now - lastTick) / 1e9;
      lastTick = now;
      long[] cpuTicks = cpu.sample();
      httpInterval.reset();
      endToEndInterval.reset();
      load.httpLatencyMicros.getIntervalHistogramInto(httpInterval);
      visibility.endToEndMicros.getIntervalHistogramInto(endToEndInterval);
      roundTripInterval.reset();
      if (roundTrip != null) {
        roundTrip.roundTripMicros.getIntervalHistogramInto(roundTripInterval);
      }
      long returned = roundTrip == null ? 0 : roundTrip.returned.get();
      long sent = load.sent.get();
      long accepted = load.accepted.get();
      long errors = load.errors.get();
      long visible = visibility.visible.get();
      Phase p = phase;
      p.http.add(httpInterval);
      p.endToEnd.add(endToEndInterval);
      p.roundTrip.add(roundTripInterval);
      p.returned += returned - lastReturned;
      p.sent += sent - lastSent;
      p.accepted += accepted - lastAccepted;
      p.errors += errors - lastErrors;
      p.visible += visible - lastVisible;
      p.seconds++;
      p.wallSeconds += seconds;
      for (int i = 0; i < cpuTicks.length; i++) {
        p.cpuTicks[i] += cpuTicks[i];
      }
      Double[] cores = cpu.cores(cpuTicks, seconds);
      p.lastBacklog = accepted - visible;
      p.maxBacklog = Math.max(p.maxBacklog, p.lastBacklog);
      long customerRss = rssMb(customerPids);
      long backofficeRss = rssMb(backofficePids);
      customerPeakRssMb = Math.max(customerPeakRssMb, customerRss);
      backofficePeakRssMb = Math.max(backofficePeakRssMb, backofficeRss);
      String customerMetrics = p.scrape ? scrape(customerUrl) : "";
      String backofficeMetrics = p.scrape ? scrape(backofficeUrl) : "";
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
              httpInterval.getTotalCount() == 0
                  ? 0
                  : httpInterval.getValueAtPercentile(99) / 1000.0,
              endToEndInterval.getTotalCount() == 0
                  ? 0
                  : endToEndInterval.getValueAtPercentile(99) / 1000.0,
              roundTrip == null ? null : returned - lastReturned,
              roundTrip == null ? null : accepted - returned,
              roundTrip == null
                  ? null
                  : roundTripInterval.getTotalCount() == 0
                      ? 0.0
                      : roundTripInterval.getValueAtPercentile(99) / 1000.0,
              sum(customerMetrics, "helpdesk_projection_lag_changes"),
              sum(backofficeMetrics, "helpdesk_projection_lag_events"),
              customerRss,
              backofficeRss,
              cores[cpu.index(CpuMeter.CUSTOMER)],
              cores[cpu.index(CpuMeter.BACKOFFICE)],
              cores[cpu.index(CpuMeter.POSTGRES)],
              cores[cpu.index(CpuMeter.BROKER)],
              cores[cpu.index(CpuMeter.LOAD_GENERATOR)]));
      lastSent = sent;
      lastAccepted = accepted;
      lastErrors = errors;
      lastVisible = visible;
      lastReturned = returned;
    } catch (RuntimeException e) {
      System.err.println("sample failed: " + e);
    } finally {
      if (upcoming != null) {
        phase = upcoming;
        upcoming = null;
        notifyAll();
      }
    }
  }

  private String scrape(String baseUrl) {
    if (baseUrl == null) {
      return "";
    }
    try {
      return http.send(
              HttpRequest.newBuilder(URI.create(baseUrl + "/metrics"))
                  .timeout(Duration.ofSeconds(2))
                  .build(),
              HttpResponse.BodyHandlers.ofString())
          .body();
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }

  /** The sum of a metric's series; 0 where the metric is absent. */
  static double sum(String metrics, String name) {
    Matcher m =
        Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{[^}]*})? ([0-9.eE+-]+)$")
            .matcher(metrics);
    double total = 0;
    while (m.find()) {
      total += Double.parseDouble(m.group(2));
    }
    return total;
  }

  /**
   * Resident memory of the largest of these processes (the nodes of a service), from /proc (Linux);
   * 0 where unknown.
   */
  static long rssMb(List<Long> pids) {
    return pids.stream().mapToLong(pid -> procStatus(pid, "VmRSS")).max().orElse(0);
  }

  /** The most resident memory any of these processes ever had. */
  static long peakRssMb(List<Long> pids) {
    return pids.stream().mapToLong(pid -> procStatus(pid, "VmHWM")).max().orElse(0);
  }

  private static long procStatus(long pid, String field) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
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
