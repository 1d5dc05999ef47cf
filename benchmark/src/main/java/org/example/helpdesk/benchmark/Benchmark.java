package org.example.helpdesk.benchmark;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;
import org.example.helpdesk.testsupport.NodeProcess;

/**
 * End-to-end benchmark of the helpdesk: issues reported over HTTP at a fixed rate, until their
 * tickets are visible in the backoffice read table, measured against what the same PostgreSQL and
 * broker allow on this machine in the same run.
 */
public final class Benchmark {

  private Benchmark() {}

  public static void main(String[] args) throws Exception {
    System.setProperty("java.awt.headless", "true");
    Settings settings = Settings.parse(args);
    int status = run(settings);
    System.exit(status);
  }

  static int run(Settings s) throws Exception {
    Infra infra = Infra.choose();
    log("Infrastructure: " + infra.description());

    log("Baseline: single-row INSERT commits, " + s.dbConcurrency() + " connections, " + s.baselineDuration().toSeconds() + " s ...");
    double commitRate = Baselines.commitRate(infra, s.dbConcurrency(), s.baselineDuration());
    log(String.format("  %.0f commits/s", commitRate));
    log("Baseline: persistent confirmed publishes, window " + s.confirmWindow() + ", " + s.baselineDuration().toSeconds() + " s ...");
    double publishRate = Baselines.confirmedPublishRate(infra, s.confirmWindow(), s.baselineDuration());
    log(String.format("  %.0f publishes/s", publishRate));

    String id = UUID.randomUUID().toString().substring(0, 8);
    List<NodeProcess> nodes = new ArrayList<>();
    String customerUrl = s.customerUrl();
    String backofficeUrl = null;
    String backofficeDb = s.backofficeDatabaseUrl();
    OptionalLong customerPid = OptionalLong.empty();
    OptionalLong backofficePid = OptionalLong.empty();
    if (customerUrl == null) {
      purgeQueue(infra);
      NodeProcess backoffice = node(s, infra, "backoffice-node", "bench_backoffice_" + id);
      NodeProcess customer = node(s, infra, "customer-node", "bench_customer_" + id);
      nodes.add(backoffice);
      nodes.add(customer);
      backoffice.start();
      customer.start();
      backoffice.awaitHealthy(Duration.ofSeconds(120));
      customer.awaitHealthy(Duration.ofSeconds(120));
      customerUrl = customer.url();
      backofficeUrl = backoffice.url();
      backofficeDb = withSchema(infra.databaseUrl(), "bench_backoffice_" + id);
      customerPid = OptionalLong.of(customer.pid());
      backofficePid = OptionalLong.of(backoffice.pid());
      log("Nodes: customer " + customerUrl + ", backoffice " + backofficeUrl + " (JVM " + String.join(" ", s.nodeJvmOptions()) + ")");
    }

    Map<String, Object> result = new LinkedHashMap<>();
    List<Map<String, Object>> steps = new ArrayList<>();
    try (Visibility visibility = new Visibility(backofficeDb, infra.user(), infra.password());
        OpenLoop load = new OpenLoop(customerUrl, s.maxInFlight(), s.closeRatio(), visibility);
        Sampler sampler = new Sampler(load, visibility, customerUrl, backofficeUrl, customerPid, backofficePid)) {

      log("Warm-up: " + s.startRate() + " reports/s for " + s.warmup().toSeconds() + " s");
      sampler.begin("warm-up", s.startRate());
      load.run(s.startRate(), s.warmup());
      drain(load, visibility, s, Duration.ofSeconds(60));

      int sustained = 0;
      if (s.findMax()) {
        int rate = s.startRate();
        while (true) {
          Sampler.Phase step = sampler.begin("step " + rate, rate);
          load.run(rate, s.stepDuration());
          step.loadSeconds = s.stepDuration().toSeconds();
          boolean drained = drain(load, visibility, s, Duration.ofSeconds(30));
          boolean ok = sustains(step, rate) && drained;
          steps.add(phaseFigures(step, ok));
          log(String.format("  step %d/s: accepted %.0f/s, HTTP p99 %.1f ms, end-to-end p99 %.1f ms, backlog at end %d -> %s",
              rate, step.acceptedPerSecond(), ms(step.http, 99), ms(step.endToEnd, 99), step.lastBacklog, ok ? "sustained" : "not sustained"));
          if (!ok || rate > 50_000) {
            break;
          }
          sustained = rate;
          rate = (int) Math.round(rate * 1.25);
        }
        log("Highest sustained rate: " + sustained + " reports/s");
      }

      // the latency run: at the rate asked for; else at half the highest sustained rate found;
      // else at half the target (12.5 % of the commit rate)
      int rate =
          s.rate() > 0
              ? s.rate()
              : s.findMax() ? Math.max(10, sustained / 2) : (int) Math.max(10, Math.round(commitRate * 0.125));
      log("Fixed rate: " + rate + " reports/s for " + s.duration().toSeconds() + " s"
          + (s.rate() > 0 ? "" : s.findMax() ? " (half the highest sustained rate)" : " (half the target: 12.5 % of the commit rate)"));
      long rssBefore = Math.max(Sampler.rssMb(customerPid), 0);
      long backofficeRssBefore = Sampler.rssMb(backofficePid);
      Sampler.Phase fixed = sampler.begin("fixed " + rate, rate);
      load.run(rate, s.duration());
      fixed.loadSeconds = s.duration().toSeconds();
      boolean drained = drain(load, visibility, s, Duration.ofSeconds(60));
      sampler.begin("drained", 0);
      long rssAfter = Sampler.rssMb(customerPid);
      long backofficeRssAfter = Sampler.rssMb(backofficePid);

      Map<String, Object> fixedFigures = phaseFigures(fixed, drained && sustains(fixed, rate));
      result.put("run", Map.of("at", Instant.now().toString(), "infrastructure", infra.description(),
          "nodeJvmOptions", s.nodeJvmOptions(), "closeRatio", s.closeRatio(), "maxInFlight", s.maxInFlight()));
      result.put("baselines", Map.of(
          "singleRowCommitsPerSecond", Math.round(commitRate), "commitConcurrency", s.dbConcurrency(),
          "confirmedPublishesPerSecond", Math.round(publishRate), "confirmWindow", s.confirmWindow()));
      Map<String, Object> search = new LinkedHashMap<>();
      search.put("steps", steps);
      search.put("highestSustainedPerSecond", sustained);
      search.put("ratioToCommitRate", round(sustained / commitRate));
      search.put("ratioToPublishRate", round(sustained / publishRate));
      if (s.findMax()) {
        result.put("search", search);
      }
      fixedFigures.put("ratioToCommitRate", round(fixed.acceptedPerSecond() / commitRate));
      result.put("fixedRate", fixedFigures);
      Map<String, Object> memory = new LinkedHashMap<>();
      memory.put("customerPeakRssMb", Math.max(sampler.customerPeakRssMb, Sampler.peakRssMb(customerPid)));
      memory.put("backofficePeakRssMb", Math.max(sampler.backofficePeakRssMb, Sampler.peakRssMb(backofficePid)));
      memory.put("customerRssMbBeforeAfterFixedRun", List.of(rssBefore, rssAfter));
      memory.put("backofficeRssMbBeforeAfterFixedRun", List.of(backofficeRssBefore, backofficeRssAfter));
      result.put("memory", memory);
      result.put("targets", targets(commitRate, s.findMax() ? sustained : fixed.acceptedPerSecond(), fixed, memory));
      result.put("timeline", sampler.points);
      Report.write(s.out(), result, sampler.points);
      log("Results in " + s.out().toAbsolutePath());
      System.out.println(Report.summary(result));
      return 0;
    } finally {
      for (NodeProcess node : nodes) {
        node.stop();
      }
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

  private static Map<String, Object> phaseFigures(Sampler.Phase p, boolean sustained) {
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

  private static Map<String, Object> targets(
      double commitRate, double sustained, Sampler.Phase fixed, Map<String, Object> memory) {
    Map<String, Object> t = new LinkedHashMap<>();
    t.put("throughputAtLeast25PercentOfCommits", Map.of("measured", round(sustained / commitRate), "met", sustained >= 0.25 * commitRate));
    t.put("endToEndP99Below100Ms", Map.of("measured", round(ms(fixed.endToEnd, 99)), "met", ms(fixed.endToEnd, 99) < 100));
    t.put("httpP99Below20Ms", Map.of("measured", round(ms(fixed.http, 99)), "met", ms(fixed.http, 99) < 20));
    long peak = Math.max((Long) memory.get("customerPeakRssMb"), (Long) memory.get("backofficePeakRssMb"));
    t.put("eachNodeBelow512MiBRss", Map.of("measured", peak, "met", peak > 0 && peak < 512));
    return t;
  }

  private static boolean drain(OpenLoop load, Visibility visibility, Settings s, Duration within) throws InterruptedException {
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

  private static NodeProcess node(Settings s, Infra infra, String module, String schema) throws IOException {
    Map<String, String> env = new HashMap<>();
    env.put("DATABASE_URL", infra.databaseUrl());
    env.put("DATABASE_USER", infra.user());
    env.put("DATABASE_PASSWORD", infra.password());
    env.put("DATABASE_SCHEMA", schema);
    env.put("AMQP_URI", infra.amqpUri());
    env.put("HTTP_HOST", "127.0.0.1");
    env.put("HTTP_PORT", String.valueOf(freePort()));
    env.put("CLUSTER_HOST", "127.0.0.1");
    env.put("CLUSTER_PORT", String.valueOf(freePort()));
    env.put("SEED_NODES", "");
    String name = module + "-" + schema;
    return new NodeProcess(name, Path.of("").toAbsolutePath(), module, Integer.parseInt(env.get("HTTP_PORT")),
        s.nodeJvmOptions(), env, s.out().resolve("logs/" + name + ".log"));
  }

  private static void purgeQueue(Infra infra) throws Exception {
    ConnectionFactory factory = new ConnectionFactory();
    factory.setUri(infra.amqpUri());
    try (Connection c = factory.newConnection("benchmark-setup")) {
      var channel = c.createChannel();
      try {
        channel.queueDelete("backoffice_service");
        channel.close();
      } catch (IOException e) {
        // no queue yet
      }
    }
  }

  static String withSchema(String url, String schema) {
    return url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
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
