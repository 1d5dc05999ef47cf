package org.example.helpdesk.benchmark;

import static org.example.helpdesk.benchmark.Benchmark.log;
import static org.example.helpdesk.benchmark.Benchmark.round;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Drain mode: how fast the backoffice works off a fixed backlog. The customer nodes take N reports
 * while no backoffice node runs, and their relay publishes all N commands to the broker; then the
 * backoffice nodes start (capped, with --cpu-quota), and the time from their readiness until the
 * read table holds all N tickets gives reports drained per second. No open-loop load, no baselines:
 * the only work left is the backoffice's own.
 */
final class Drain {

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  /** Reports in flight while the backlog is built: enough to keep capped nodes busy. */
  private static final int FILL_IN_FLIGHT = 64;

  /** One drain: a backlog worked off by {@code nodes} backoffice nodes. */
  record Outcome(
      int nodes,
      long backlog,
      long sendErrors,
      long visibleAtReady,
      double startToReadySeconds,
      double drainSeconds,
      long visibleAtEnd,
      boolean complete,
      Long deadLetters,
      Map<String, Object> cpu) {

    /** Tickets that became visible after readiness, per second from readiness; 0 if none. */
    double drainedPerSecond() {
      return drainSeconds > 0 ? (visibleAtEnd - visibleAtReady) / drainSeconds : 0;
    }
  }

  private Drain() {}

  static int run(Settings s, CpuQuota quota) throws Exception {
    Infra infra = Infra.choose();
    log("Infrastructure: " + infra.description());
    String id = UUID.randomUUID().toString().substring(0, 8);
    Benchmark.purgeQueue(infra);
    List<Integer> order = order(s);
    log(
        "Drain: backlog "
            + s.drain()
            + " reports, backoffice nodes in this order: "
            + order
            + (quota == null ? ", uncapped" : ", each node held to " + quota.cores() + " cores"));
    List<Outcome> outcomes = new ArrayList<>();
    List<String> schemas = new ArrayList<>();
    Nodes customer =
        new Nodes(s, infra, "customer-node", "bench_customer_" + id, s.customerNodes(), quota);
    schemas.add(customer.schema);
    try (customer) {
      customer.start(Duration.ofSeconds(180));
      prepare(s, infra, id, schemas);
      long published = 0;
      for (int i = 0; i < order.size(); i++) {
        String schema = "bench_backoffice_" + id + "_" + (i + 1);
        schemas.add(schema);
        Outcome o = once(s, infra, quota, customer, schema, order.get(i), published);
        published += o.backlog();
        outcomes.add(o);
        log(
            String.format(
                "  %d backoffice node(s): %d of %d tickets in %.1f s after readiness = %.1f drained/s%s",
                o.nodes(),
                o.visibleAtEnd() - o.visibleAtReady(),
                o.backlog() - o.visibleAtReady(),
                o.drainSeconds(),
                o.drainedPerSecond(),
                o.complete() ? "" : " -- NOT complete within --drain-timeout"));
        if (!o.complete()) {
          break;
        }
      }
    } finally {
      dropSchemas(infra, schemas);
    }
    Map<String, Object> result = DrainReport.result(s, infra, quota, outcomes);
    DrainReport.write(s.out(), result);
    log("Results in " + s.out().toAbsolutePath());
    System.out.println(DrainReport.summary(result));
    return outcomes.size() == order.size() && outcomes.stream().allMatch(Outcome::complete) ? 0 : 1;
  }

  /**
   * The backoffice node counts in the order they run: the curve's counts, every other round
   * reversed (1,2,3 then 3,2,1), so that a drift of the machine over time does not favour one
   * count; without --scale-curve, --backoffice-nodes each round.
   */
  static List<Integer> order(Settings s) {
    List<Integer> counts = s.scaleCurve() ? s.curveNodes() : List.of(s.backofficeNodes());
    List<Integer> order = new ArrayList<>();
    for (int round = 0; round < s.repeat(); round++) {
      List<Integer> r = new ArrayList<>(counts);
      if (round % 2 == 1) {
        java.util.Collections.reverse(r);
      }
      order.addAll(r);
    }
    return order;
  }

  /**
   * Starts one backoffice node and stops it again before any backlog is built, so that whatever the
   * backoffice declares on the broker (its queues and bindings) exists before the customer
   * publishes to it.
   */
  private static void prepare(Settings s, Infra infra, String id, List<String> schemas)
      throws Exception {
    String schema = "bench_backoffice_" + id + "_prepare";
    schemas.add(schema);
    log("Preparing the broker: one backoffice node started and stopped (uncapped)");
    try (Nodes node = new Nodes(s, infra, "backoffice-node", schema, 1, null)) {
      node.start(Duration.ofSeconds(180));
      node.stop();
    }
  }

  private static Outcome once(
      Settings s,
      Infra infra,
      CpuQuota quota,
      Nodes customer,
      String schema,
      int nodes,
      long publishedBefore)
      throws Exception {
    log("Backlog for " + nodes + " backoffice node(s): sending " + s.drain() + " reports");
    long errors;
    Set<UUID> ids;
    long backlog;
    try (Connection customerDb =
            DriverManager.getConnection(
                Benchmark.withSchema(infra.databaseUrl(), customer.schema),
                infra.user(),
                infra.password());
        OpenLoop fill = new OpenLoop(customer.urls(), FILL_IN_FLIGHT, 0, null, true)) {
      long issuesBefore = count(customerDb, "durable_state");
      fill.send(s.fillRate(), s.drain());
      fill.awaitAnswers(FILL_IN_FLIGHT, Duration.ofSeconds(60));
      errors = fill.errors.get();
      ids = Set.copyOf(fill.sentIds);
      // the backlog is what the customer holds: a report answered with an error (a timeout) may
      // still have been taken, and its command comes like any other
      backlog =
          awaitPublished(
              customer,
              () -> count(customerDb, "durable_state") - issuesBefore,
              publishedBefore,
              s.drainTimeout());
      if (errors > 0) {
        log(
            "  "
                + errors
                + " reports were answered with an error; the customer holds "
                + backlog
                + " of the "
                + s.drain());
      }
    }

    Nodes backoffice = new Nodes(s, infra, "backoffice-node", schema, nodes, quota);
    try (backoffice) {
      long started = System.nanoTime();
      backoffice.start(Duration.ofSeconds(180));
      backoffice.awaitReady(Duration.ofSeconds(60));
      try (Connection db =
          DriverManager.getConnection(
              Benchmark.withSchema(infra.databaseUrl(), schema), infra.user(), infra.password())) {
        CpuMeter cpu = new CpuMeter(customer.pids(), backoffice.pids(), infra);
        cpu.sample();
        long ready = System.nanoTime();
        // only this backlog's tickets count: a command an earlier drain's nodes had not
        // acknowledged when they stopped comes again, and its ticket is in this table too
        Array ours = db.createArrayOf("uuid", ids.toArray());
        long atReady = tickets(db, ours);
        long visible = atReady;
        long deadline = ready + s.drainTimeout().toNanos();
        long lastLog = ready;
        while (visible < backlog && System.nanoTime() < deadline) {
          Thread.sleep(200);
          visible = tickets(db, ours);
          if (System.nanoTime() - lastLog > 5_000_000_000L) {
            lastLog = System.nanoTime();
            log("    " + visible + " of " + backlog + " tickets");
          }
        }
        long end = System.nanoTime();
        long[] ticks = cpu.sample();
        double seconds = (end - ready) / 1e9;
        long others = count(db, "tickets") - visible;
        if (others > 0) {
          log("  also " + others + " tickets of an earlier backlog (not counted)");
        }
        Long deadLetters;
        try {
          deadLetters = count(db, "dead_letters");
        } catch (SQLException e) {
          deadLetters = null;
        }
        Map<String, Object> cpuFigures = cpu.figures(ticks, seconds, visible - atReady);
        cpuFigures.put("cpuMeasurement", cpu.description());
        return new Outcome(
            nodes,
            backlog,
            errors,
            atReady,
            round((ready - started) / 1e9),
            round(seconds),
            visible,
            visible >= backlog,
            deadLetters,
            cpuFigures);
      }
    }
  }

  /** A count from the database. */
  private interface Count {
    long get() throws SQLException;
  }

  /**
   * Waits until the customer's relay has published the whole backlog: its lag (changes not yet
   * handed to the broker, from the database) is 0, and its nodes together counted at least that
   * many more confirmed entries than before. Returns the backlog.
   */
  private static long awaitPublished(
      Nodes customer, Count backlog, long publishedBefore, Duration timeout)
      throws InterruptedException, SQLException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long total = publishedBefore + backlog.get();
      double published = 0;
      boolean counted = false;
      Double lag = null;
      for (String url : customer.urls()) {
        String metrics = scrape(url);
        counted |= metrics.contains("helpdesk_outbox_published_entries");
        published += Sampler.sum(metrics, "helpdesk_outbox_published_entries_total");
        published += Sampler.sum(metrics, "helpdesk_outbox_published_entries");
        if (lag == null && metrics.contains("helpdesk_projection_lag_changes")) {
          lag = Sampler.sum(metrics, "helpdesk_projection_lag_changes");
        }
      }
      // the lag is the measure; the confirmed count, where a node exposes it, a cross-check
      if (lag != null && lag == 0 && (!counted || published >= total)) {
        log(
            "  the relay published the backlog: "
                + (long) published
                + " commands since the customer nodes started");
        return total - publishedBefore;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "the relay did not publish the backlog within "
                + timeout
                + ": lag "
                + lag
                + ", published "
                + published
                + " of "
                + total);
      }
      Thread.sleep(500);
    }
  }

  private static String scrape(String url) throws InterruptedException {
    try {
      return HTTP.send(
              HttpRequest.newBuilder(URI.create(url + "/metrics"))
                  .timeout(Duration.ofSeconds(5))
                  .build(),
              HttpResponse.BodyHandlers.ofString())
          .body();
    } catch (java.io.IOException e) {
      return "";
    }
  }

  private static long tickets(Connection db, Array ids) throws SQLException {
    try (PreparedStatement st =
        db.prepareStatement("SELECT count(*) FROM tickets WHERE ticket_id = ANY(?)")) {
      st.setArray(1, ids);
      try (ResultSet rs = st.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private static long count(Connection db, String table) throws SQLException {
    try (Statement st = db.createStatement();
        ResultSet rs = st.executeQuery("SELECT count(*) FROM " + table)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** The run's schemas go again: a shared PostgreSQL should not keep every drain's tables. */
  static void dropSchemas(Infra infra, List<String> schemas) {
    try (Connection db =
            DriverManager.getConnection(infra.databaseUrl(), infra.user(), infra.password());
        Statement st = db.createStatement()) {
      for (String schema : schemas) {
        st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
      }
    } catch (SQLException e) {
      log("could not drop the schemas " + schemas + ": " + e.getMessage());
    }
  }

  static Map<String, Object> figures(Outcome o) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("backofficeNodes", o.nodes());
    m.put("backlog", o.backlog());
    m.put("sendErrors", o.sendErrors());
    m.put("visibleAtReadiness", o.visibleAtReady());
    m.put("startToReadySeconds", o.startToReadySeconds());
    m.put("drainSeconds", o.drainSeconds());
    m.put("visibleAtEnd", o.visibleAtEnd());
    m.put("complete", o.complete());
    m.put("drainedPerSecond", round(o.drainedPerSecond()));
    m.put("deadLetters", o.deadLetters());
    m.put("cpu", o.cpu());
    m.put("at", Instant.now().toString());
    return m;
  }
}
