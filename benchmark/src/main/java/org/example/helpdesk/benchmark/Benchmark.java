package org.example.helpdesk.benchmark;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * End-to-end benchmark of the helpdesk: issues reported over HTTP at a fixed rate, until their
 * tickets are visible in the backoffice read table, measured against what the same PostgreSQL and
 * broker allow on this machine in the same run, with the CPU each process spends per issue and at
 * rest.
 */
public final class Benchmark {

  /** The performance targets. */
  static final double TARGET_SUSTAINED_PER_SECOND = 1_000;

  static final double TARGET_RATIO_TO_COMMIT_RATE = 0.065;
  static final double TARGET_END_TO_END_P99_MS = 100;
  static final double TARGET_HTTP_P99_MS = 20;
  static final double TARGET_CPU_MS_PER_ISSUE = 1.5;
  static final double TARGET_IDLE_CORES_BOTH_NODES = 0.05;
  static final long TARGET_RSS_MIB = 512;

  /** "No growth": RSS after the fixed-rate run at most this much above RSS before it. */
  static final double TARGET_RSS_GROWTH_SHARE = 0.10;

  private Benchmark() {}

  public static void main(String[] args) throws Exception {
    System.setProperty("java.awt.headless", "true");
    Settings settings;
    try {
      settings = Settings.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("bench: " + e.getMessage() + " (./bench.sh --help lists the options)");
      System.exit(2);
      return;
    }
    if (settings.help()) {
      System.out.println(Settings.USAGE);
      System.exit(0);
    }
    CpuQuota quota = null;
    if (settings.capped()) {
      Optional<String> unavailable = CpuQuota.unavailable(settings.cgroupCpu());
      if (unavailable.isPresent()) {
        System.err.println(
            "bench: --cpu-quota refused: "
                + unavailable.get()
                + ". Not measuring uncapped instead: leave --cpu-quota out for an uncapped run.");
        System.exit(2);
      }
      quota =
          new CpuQuota(
              settings.cgroupCpu(),
              settings.cpuQuota(),
              "helpdesk-bench-" + ProcessHandle.current().pid());
    }
    int status;
    try {
      status = settings.drainMode() ? Drain.run(settings, quota) : run(settings, quota);
    } finally {
      if (quota != null) {
        quota.close();
      }
    }
    System.exit(status);
  }

  static int run(Settings s, CpuQuota quota) throws Exception {
    Infra infra = Infra.choose();
    log("Infrastructure: " + infra.description());

    log(
        "Baseline: single-row INSERT commits, "
            + s.dbConcurrency()
            + " connections, "
            + s.baselineDuration().toSeconds()
            + " s ...");
    double commitRate = Baselines.commitRate(infra, s.dbConcurrency(), s.baselineDuration());
    log(String.format("  %.0f commits/s", commitRate));
    log(
        "Baseline: persistent confirmed publishes, window "
            + s.confirmWindow()
            + ", "
            + s.baselineDuration().toSeconds()
            + " s ...");
    double publishRate =
        Baselines.confirmedPublishRate(infra, s.confirmWindow(), s.baselineDuration());
    log(String.format("  %.0f publishes/s", publishRate));

    String id = UUID.randomUUID().toString().substring(0, 8);
    List<Nodes> clusters = new ArrayList<>();
    List<String> customerUrls = s.customerUrl() == null ? List.of() : List.of(s.customerUrl());
    String backofficeUrl = null;
    String backofficeDb = s.backofficeDatabaseUrl();
    List<Long> customerPids = List.of();
    List<Long> backofficePids = List.of();
    if (s.customerUrl() == null) {
      purgeQueue(infra);
      Nodes backoffice =
          new Nodes(
              s, infra, "backoffice-node", "bench_backoffice_" + id, s.backofficeNodes(), quota);
      Nodes customer =
          new Nodes(s, infra, "customer-node", "bench_customer_" + id, s.customerNodes(), quota);
      clusters.add(backoffice);
      clusters.add(customer);
      try {
        backoffice.start(Duration.ofSeconds(120));
        customer.start(Duration.ofSeconds(120));
      } catch (IOException | RuntimeException e) {
        clusters.forEach(Nodes::close);
        throw e;
      }
      customerUrls = customer.urls();
      backofficeUrl = backoffice.urls().get(0);
      backofficeDb = withSchema(infra.databaseUrl(), backoffice.schema);
      customerPids = customer.pids();
      backofficePids = backoffice.pids();
      log(
          "Nodes: customer "
              + String.join(" ", customerUrls)
              + ", backoffice "
              + String.join(" ", backoffice.urls())
              + " (JVM "
              + String.join(" ", s.nodeJvmOptions())
              + (quota == null ? "" : "; each held to " + quota.cores() + " cores by cgroup")
              + ")");
    }

    Map<String, Object> result = new LinkedHashMap<>();
    List<Map<String, Object>> steps = new ArrayList<>();
    CpuMeter cpu = new CpuMeter(customerPids, backofficePids, infra);
    cpu.groups.forEach(
        g ->
            log(
                "CPU of "
                    + g.name()
                    + ": "
                    + (g.measured() ? g.processes() : "unavailable, " + g.unavailable())));
    try (Visibility visibility = new Visibility(backofficeDb, infra.user(), infra.password());
        OpenLoop load = new OpenLoop(customerUrls, s.maxInFlight(), s.closeRatio(), visibility);
        Sampler sampler =
            new Sampler(
                load,
                visibility,
                customerUrls.get(0),
                backofficeUrl,
                customerPids,
                backofficePids,
                cpu)) {

      log("Warm-up: " + s.startRate() + " reports/s for " + s.warmup().toSeconds() + " s");
      sampler.begin("warm-up", s.startRate());
      load.run(s.startRate(), s.warmup());
      drain(load, visibility, s, Duration.ofSeconds(60));

      // what the nodes cost at rest: no requests, and their /metrics left alone
      Sampler.Phase idle = null;
      if (!s.idle().isZero()) {
        log("Idle: no load for " + s.idle().toSeconds() + " s");
        idle = sampler.beginQuiet("idle");
        Thread.sleep(s.idle().toMillis());
      }

      int sustained = 0;
      if (s.findMax()) {
        int rate = s.startRate();
        Sampler.Phase step = sampler.begin("step " + rate, rate);
        while (true) {
          load.run(rate, s.stepDuration());
          step.loadSeconds = s.stepDuration().toSeconds();
          boolean drained = drain(load, visibility, s, Duration.ofSeconds(30));
          boolean ok = sustains(step, rate) && drained;
          boolean higher = ok && rate <= 50_000;
          int next = (int) Math.round(rate * 1.25);
          // the next phase begins before this step's figures are taken, so that they are complete
          Sampler.Phase nextStep =
              higher ? sampler.begin("step " + next, next) : sampler.begin("drained", 0);
          Map<String, Object> figures = phaseFigures(step, ok, cpu);
          steps.add(figures);
          log(
              String.format(
                  "  step %d/s: accepted %.0f/s, HTTP p99 %.1f ms, end-to-end p99 %.1f ms, backlog at end %d, CPU %s ms/issue -> %s",
                  rate,
                  step.acceptedPerSecond(),
                  ms(step.http, 99),
                  ms(step.endToEnd, 99),
                  step.lastBacklog,
                  cpuMsPerIssue(figures),
                  ok ? "sustained" : "not sustained"));
          if (!higher) {
            break;
          }
          sustained = rate;
          rate = next;
          step = nextStep;
        }
        log("Highest sustained rate: " + sustained + " reports/s");
      }

      // the latency run: at the rate asked for; else at half the highest sustained rate found;
      // else at half the throughput target (half of 6.5 % of the commit rate)
      int rate =
          s.rate() > 0
              ? s.rate()
              : s.findMax()
                  ? Math.max(10, sustained / 2)
                  : (int) Math.max(10, Math.round(commitRate * TARGET_RATIO_TO_COMMIT_RATE / 2));
      log(
          "Fixed rate: "
              + rate
              + " reports/s for "
              + s.duration().toSeconds()
              + " s"
              + (s.rate() > 0
                  ? ""
                  : s.findMax()
                      ? " (half the highest sustained rate)"
                      : " (half the target: 3.25 % of the commit rate)"));
      long rssBefore = Sampler.rssMb(customerPids);
      long backofficeRssBefore = Sampler.rssMb(backofficePids);
      long commitsBefore = committedTransactions(infra);
      Sampler.Phase fixed = sampler.begin("fixed " + rate, rate);
      load.run(rate, s.duration());
      fixed.loadSeconds = s.duration().toSeconds();
      boolean drained = drain(load, visibility, s, Duration.ofSeconds(60));
      sampler.begin("drained", 0);
      long commitsDuring = committedTransactions(infra) - commitsBefore;
      long rssAfter = Sampler.rssMb(customerPids);
      long backofficeRssAfter = Sampler.rssMb(backofficePids);

      boolean fixedSustained = drained && sustains(fixed, rate);
      Map<String, Object> fixedFigures = phaseFigures(fixed, fixedSustained, cpu);
      result.put(
          "run",
          Map.of(
              "at",
              Instant.now().toString(),
              "infrastructure",
              infra.description(),
              "nodeJvmOptions",
              s.nodeJvmOptions(),
              "closeRatio",
              s.closeRatio(),
              "maxInFlight",
              s.maxInFlight(),
              "nodes",
              Map.of("customer", s.customerNodes(), "backoffice", s.backofficeNodes()),
              "cpuQuotaCoresPerNode",
              quota == null ? "none" : quota.cores()));
      result.put(
          "baselines",
          Map.of(
              "singleRowCommitsPerSecond",
              Math.round(commitRate),
              "commitConcurrency",
              s.dbConcurrency(),
              "confirmedPublishesPerSecond",
              Math.round(publishRate),
              "confirmWindow",
              s.confirmWindow()));
      Map<String, Object> search = new LinkedHashMap<>();
      search.put("steps", steps);
      search.put("highestSustainedPerSecond", sustained);
      search.put("ratioToCommitRate", round(sustained / commitRate));
      search.put("ratioToCommitRateTarget", TARGET_RATIO_TO_COMMIT_RATE);
      search.put(
          "ratioToCommitRateTargetMet", sustained / commitRate >= TARGET_RATIO_TO_COMMIT_RATE);
      search.put("ratioToPublishRate", round(sustained / publishRate));
      if (s.findMax()) {
        result.put("search", search);
      }
      fixedFigures.put("ratioToCommitRate", round(fixed.acceptedPerSecond() / commitRate));
      // every transaction the database committed while the run's issues were reported and
      // drained (the benchmark's own reads of the read table included), per issue
      fixedFigures.put(
          "postgresTransactionsPerIssue",
          fixed.accepted == 0 ? null : round((double) commitsDuring / fixed.accepted));
      Map<String, Object> idleFigures = idle == null ? null : idleFigures(idle, cpu);
      if (idleFigures != null) {
        result.put("idle", idleFigures);
      }
      result.put("fixedRate", fixedFigures);
      result.put("cpuMeasurement", cpu.description());
      Map<String, Object> memory = new LinkedHashMap<>();
      memory.put(
          "customerPeakRssMb",
          Math.max(sampler.customerPeakRssMb, Sampler.peakRssMb(customerPids)));
      memory.put(
          "backofficePeakRssMb",
          Math.max(sampler.backofficePeakRssMb, Sampler.peakRssMb(backofficePids)));
      memory.put("customerRssMbBeforeAfterFixedRun", List.of(rssBefore, rssAfter));
      memory.put(
          "backofficeRssMbBeforeAfterFixedRun", List.of(backofficeRssBefore, backofficeRssAfter));
      result.put("memory", memory);
      Map<String, Object> throughput = new LinkedHashMap<>();
      if (s.findMax()) {
        throughput.put("basis", "highest sustained rate (--find-max)");
        throughput.put("perSecond", sustained);
        throughput.put("sustained", sustained > 0);
      } else {
        throughput.put(
            "basis",
            "accepted rate of the fixed-rate run (a lower bound; --find-max searches the highest)");
        throughput.put("perSecond", round(fixed.acceptedPerSecond()));
        throughput.put("sustained", fixedSustained);
      }
      result.put(
          "targets", Targets.of(commitRate, throughput, fixed, fixedFigures, idleFigures, memory));
      result.put("timeline", sampler.points);
      Report.write(s.out(), result, sampler.points);
      log("Results in " + s.out().toAbsolutePath());
      System.out.println(Report.summary(result));
      return 0;
    } finally {
      clusters.forEach(Nodes::stop);
    }
  }

  private static boolean sustains(Sampler.Phase phase, int rate) {
    return phase.acceptedPerSecond() >= 0.9 * rate
        && phase.errors <= phase.sent / 1000
        && ms(phase.http, 99) < 1_000
        && phase.endToEnd.getTotalCount() > 0
        && ms(phase.endToEnd, 99) < 2_000
        && phase.lastBacklog <= Math.max(rate, 100);
  }

  private static Map<String, Object> phaseFigures(
      Sampler.Phase p, boolean sustained, CpuMeter cpu) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", p.name);
    m.put("targetPerSecond", p.targetRate);
    m.put("acceptedPerSecond", round(p.acceptedPerSecond()));
    m.put("sent", p.sent);
    m.put("accepted", p.accepted);
    m.put("errors", p.errors);
    m.put("visible", p.visible);
    m.put("maxBacklog", p.maxBacklog);
    m.put("httpMs", percentiles(p.http, true));
    m.put("endToEndMs", percentiles(p.endToEnd, false));
    m.put("sustained", sustained);
    m.put("cpu", cpu.figures(p.cpuTicks, p.wallSeconds, p.accepted));
    return m;
  }

  @SuppressWarnings("unchecked")
  static Object cpuMsPerIssue(Map<String, Object> phaseFigures) {
    return ((Map<String, Object>) phaseFigures.get("cpu")).get("cpuMsPerIssue");
  }

  /** The cores each node used at rest, and both together (null where not measured). */
  private static Map<String, Object> idleFigures(Sampler.Phase idle, CpuMeter cpu) {
    Double[] cores = cpu.cores(idle.cpuTicks, idle.wallSeconds);
    Double customer = cores[cpu.index(CpuMeter.CUSTOMER)];
    Double backoffice = cores[cpu.index(CpuMeter.BACKOFFICE)];
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("seconds", round(idle.wallSeconds));
    m.put("customerNodeCores", customer);
    m.put("backofficeNodeCores", backoffice);
    m.put(
        "bothNodesCores",
        customer == null || backoffice == null ? null : round(customer + backoffice));
    m.put("cpu", cpu.figures(idle.cpuTicks, idle.wallSeconds, idle.accepted));
    return m;
  }

  private static Map<String, Object> percentiles(org.HdrHistogram.Histogram h, boolean withP999) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("p50", round(ms(h, 50)));
    m.put("p99", round(ms(h, 99)));
    if (withP999) {
      m.put("p99_9", round(ms(h, 99.9)));
    }
    m.put("max", round(h.getMaxValue() / 1000.0));
    m.put("count", h.getTotalCount());
    return m;
  }

  static boolean drain(OpenLoop load, Visibility visibility, Settings s, Duration within)
      throws InterruptedException {
    load.awaitAnswers(s.maxInFlight(), Duration.ofSeconds(30));
    long deadline = System.nanoTime() + within.toNanos();
    while (System.nanoTime() < deadline) {
      if (visibility.visible.get() >= load.accepted.get()) {
        return true;
      }
      Thread.sleep(200);
    }
    return false;
  }

  /** Transactions the database server committed so far (all its databases). */
  static long committedTransactions(Infra infra) {
    try (java.sql.Connection c =
            java.sql.DriverManager.getConnection(
                infra.databaseUrl(), infra.user(), infra.password());
        java.sql.Statement st = c.createStatement();
        java.sql.ResultSet rs =
            st.executeQuery("SELECT sum(xact_commit)::bigint FROM pg_stat_database")) {
      rs.next();
      return rs.getLong(1);
    } catch (java.sql.SQLException e) {
      return 0;
    }
  }

  static void purgeQueue(Infra infra) throws Exception {
    ConnectionFactory factory = new ConnectionFactory();
    factory.setUri(infra.amqpUri());
    try (Connection c = factory.newConnection("benchmark-setup")) {
      // the seed's queue and every partition queue there can be (a failed delete closes the
      // channel: one channel each)
      List<String> queues = new ArrayList<>(List.of("backoffice_service"));
      for (int p = 0; p < 64; p++) {
        queues.add("backoffice_service.p" + p);
      }
      for (String queue : queues) {
        var channel = c.createChannel();
        try {
          channel.queueDelete(queue);
          channel.close();
        } catch (IOException e) {
          // no such queue
        }
      }
    }
  }

  static String withSchema(String url, String schema) {
    return url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
  }

  static double ms(org.HdrHistogram.Histogram h, double percentile) {
    return h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(percentile) / 1000.0;
  }

  static double round(double value) {
    return Math.round(value * 1000) / 1000.0;
  }

  static void log(String line) {
    System.out.println("[bench] " + line);
  }
}
