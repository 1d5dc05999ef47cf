package org.example.helpdesk.benchmark;

import static org.example.helpdesk.benchmark.Benchmark.TARGET_RATIO_TO_COMMIT_RATE;
import static org.example.helpdesk.benchmark.Benchmark.log;
import static org.example.helpdesk.benchmark.Benchmark.ms;
import static org.example.helpdesk.benchmark.Benchmark.purgeQueue;
import static org.example.helpdesk.benchmark.Benchmark.round;
import static org.example.helpdesk.benchmark.Benchmark.withSchema;
import static org.example.helpdesk.benchmark.PhaseFigures.cpuMsPerIssue;
import static org.example.helpdesk.benchmark.PhaseFigures.idleFigures;
import static org.example.helpdesk.benchmark.PhaseFigures.phaseFigures;
import static org.example.helpdesk.benchmark.PhaseFigures.sustains;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The default mode: baselines of the database and the broker, then open-loop load on the nodes in
 * phases (warm-up, idle, optionally a search for the highest sustained rate, then a run at a fixed
 * rate), and the report of it all against the targets.
 */
final class RateRun {

  private RateRun() {}

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
    String customerDb = s.customerDatabaseUrl();
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
      customerDb = withSchema(infra.databaseUrl(), customer.schema);
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
    boolean roundTripMeasured = s.returnFlow() && customerDb != null;
    log(
        "Return flow: "
            + (s.returnFlow() ? "on" : "off (TICKET_EVENTS_ENABLED=false)")
            + (roundTripMeasured
                ? "; round trip 201 -> the customer's issue received"
                : "; round trip not measured"));
    try (Visibility visibility = new Visibility(backofficeDb, infra.user(), infra.password());
        RoundTrip roundTrip =
            roundTripMeasured ? new RoundTrip(customerDb, infra.user(), infra.password()) : null;
        OpenLoop load =
            new OpenLoop(
                customerUrls,
                s.maxInFlight(),
                s.closeRatio(),
                OpenLoop.Watch.both(visibility, roundTrip));
        Sampler sampler =
            new Sampler(
                load,
                visibility,
                roundTrip,
                customerUrls.get(0),
                backofficeUrl,
                customerPids,
                backofficePids,
                cpu)) {

      log("Warm-up: " + s.startRate() + " reports/s for " + s.warmup().toSeconds() + " s");
      sampler.begin("warm-up", s.startRate());
      load.run(s.startRate(), s.warmup());
      drain(load, visibility, s, Duration.ofSeconds(60));
      awaitReturns(roundTrip, Duration.ofSeconds(60));

      // what the nodes cost at rest: no requests, and their /metrics left alone
      Sampler.Phase idle = null;
      if (!s.idle().isZero()) {
        log("Idle: no load for " + s.idle().toSeconds() + " s");
        idle = sampler.beginQuiet("idle");
        Thread.sleep(s.idle().toMillis());
      }

      int sustained = 0;
      if (s.findMax()) {
        sustained = findMax(s, load, visibility, roundTrip, sampler, cpu, steps);
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
      long ownQueriesBefore = ownQueries(visibility, roundTrip);
      Sampler.Phase fixed = sampler.begin("fixed " + rate, rate);
      load.run(rate, s.duration());
      fixed.loadSeconds = s.duration().toSeconds();
      boolean drained = drain(load, visibility, s, Duration.ofSeconds(60));
      awaitReturns(roundTrip, Duration.ofSeconds(60));
      sampler.begin("drained", 0);
      long commitsDuring = committedTransactions(infra) - commitsBefore;
      long ownQueries = ownQueries(visibility, roundTrip) - ownQueriesBefore;
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
              quota == null ? "none" : quota.cores(),
              "returnFlow",
              s.returnFlow() ? "on" : "off"));
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
      // of which the benchmark's own polls of the read table and of the issues
      fixedFigures.put(
          "benchmarkQueriesPerIssue",
          fixed.accepted == 0 ? null : round((double) ownQueries / fixed.accepted));
      if (roundTrip != null) {
        @SuppressWarnings("unchecked")
        Map<String, Object> back = (Map<String, Object>) fixedFigures.get("roundTrip");
        back.put("notBackAtEnd", roundTrip.waiting());
        back.put("timedByLaterClose", roundTrip.timedByLaterClose.get());
      }
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
      // (as the drain mode does: a shared PostgreSQL should not keep every run's tables)
      Drain.dropSchemas(infra, clusters.stream().map(n -> n.schema).toList());
    }
  }

  /**
   * Steps the rate up by a quarter from the start rate while it is sustained; returns the highest
   * rate sustained (0: none), each step's figures added to {@code steps}.
   */
  private static int findMax(
      Settings s,
      OpenLoop load,
      Visibility visibility,
      RoundTrip roundTrip,
      Sampler sampler,
      CpuMeter cpu,
      List<Map<String, Object>> steps)
      throws Exception {
    int sustained = 0;
    int rate = s.startRate();
    Sampler.Phase step = sampler.begin("step " + rate, rate);
    while (true) {
      load.run(rate, s.stepDuration());
      step.loadSeconds = s.stepDuration().toSeconds();
      boolean drained = drain(load, visibility, s, Duration.ofSeconds(30));
      awaitReturns(roundTrip, Duration.ofSeconds(30));
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
              "  step %d/s: accepted %.0f/s, HTTP p99 %.1f ms, end-to-end p99 %.1f ms%s, backlog at end %d, CPU %s ms/issue -> %s",
              rate,
              step.acceptedPerSecond(),
              ms(step.http, 99),
              ms(step.endToEnd, 99),
              roundTrip == null
                  ? ""
                  : String.format(
                      ", round trip p99 %.1f ms (%d of %d back)",
                      ms(step.roundTrip, 99), step.returned, step.accepted),
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
    return sustained;
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

  /**
   * Waits (at most {@code within}) until every accepted issue came back to the customer, so that
   * the next phase's round trips are its own; those that did not are left waiting and counted.
   */
  static void awaitReturns(RoundTrip roundTrip, Duration within) throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    while (roundTrip != null && roundTrip.waiting() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(200);
    }
  }

  private static long ownQueries(Visibility visibility, RoundTrip roundTrip) {
    return visibility.polls.get() + (roundTrip == null ? 0 : roundTrip.polls.get());
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
}
