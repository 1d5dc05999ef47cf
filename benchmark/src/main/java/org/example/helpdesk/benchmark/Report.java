package org.example.helpdesk.benchmark;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The results: results.json (every figure and the settings), summary.txt and chart.png. */
final class Report {

  private static final Map<String, String> LABELS =
      Map.of(
          CpuMeter.CUSTOMER,
          "customer",
          CpuMeter.BACKOFFICE,
          "backoffice",
          CpuMeter.POSTGRES,
          "PostgreSQL",
          CpuMeter.BROKER,
          "broker",
          CpuMeter.LOAD_GENERATOR,
          "load generator");

  private Report() {}

  static void write(Path out, Map<String, Object> result, List<Sampler.Point> points)
      throws IOException {
    Files.createDirectories(out);
    new ObjectMapper()
        .enable(SerializationFeature.INDENT_OUTPUT)
        .writeValue(out.resolve("results.json").toFile(), result);
    Files.writeString(out.resolve("summary.txt"), summary(result));
    chart(points, out.resolve("chart.png"));
  }

  /** Appends a line of the summary: {@code format} with the values of {@code keys} in {@code m}. */
  private static void line(StringBuilder s, String format, Map<String, Object> m, String... keys) {
    s.append(String.format(format, Arrays.stream(keys).map(m::get).toArray()));
  }

  @SuppressWarnings("unchecked")
  static String summary(Map<String, Object> r) {
    Map<String, Object> b = (Map<String, Object>) r.get("baselines");
    Map<String, Object> f = (Map<String, Object>) r.get("fixedRate");
    Map<String, Object> m = (Map<String, Object>) r.get("memory");
    Map<String, Object> t = (Map<String, Object>) r.get("targets");
    Map<String, Object> http = (Map<String, Object>) f.get("httpMs");
    Map<String, Object> e2e = (Map<String, Object>) f.get("endToEndMs");
    StringBuilder s = new StringBuilder();
    s.append("Helpdesk benchmark\n");
    line(
        s,
        "  machine limits: %s single-row commits/s (%s connections), %s confirmed publishes/s (window %s)%n",
        b,
        "singleRowCommitsPerSecond",
        "commitConcurrency",
        "confirmedPublishesPerSecond",
        "confirmWindow");
    if (r.containsKey("idle")) {
      Map<String, Object> idle = (Map<String, Object>) r.get("idle");
      line(
          s,
          "  idle %s s (no load, /metrics not read): customer %s cores, backoffice %s cores, both nodes %s cores%n",
          idle,
          "seconds",
          "customerNodeCores",
          "backofficeNodeCores",
          "bothNodesCores");
      s.append("    average cores: ")
          .append(cpuLine((Map<String, Object>) idle.get("cpu"), "averageCores"))
          .append('\n');
    }
    if (r.containsKey("search")) {
      Map<String, Object> search = (Map<String, Object>) r.get("search");
      for (Map<String, Object> step : (List<Map<String, Object>>) search.get("steps")) {
        Map<String, Object> stepHttp = (Map<String, Object>) step.get("httpMs");
        Map<String, Object> stepE2e = (Map<String, Object>) step.get("endToEndMs");
        s.append(
            String.format(
                "  %s/s: accepted %s/s, HTTP p99 %s ms, end-to-end p99 %s ms, %s%n",
                step.get("name"),
                step.get("acceptedPerSecond"),
                stepHttp.get("p99"),
                stepE2e.get("p99"),
                Boolean.TRUE.equals(step.get("sustained")) ? "sustained" : "not sustained"));
        s.append(roundTripLine(step, run(r)));
        s.append("    CPU ms per issue: ")
            .append(cpuLine((Map<String, Object>) step.get("cpu"), "cpuMsPerIssue"))
            .append('\n');
      }
      s.append(
          String.format(
              "  highest sustained: %s reports/s = %s of the commit rate (target %s: %s), %s of the publish rate%n",
              search.get("highestSustainedPerSecond"),
              search.get("ratioToCommitRate"),
              search.get("ratioToCommitRateTarget"),
              Boolean.TRUE.equals(search.get("ratioToCommitRateTargetMet")) ? "met" : "NOT met",
              search.get("ratioToPublishRate")));
    }
    line(
        s,
        "  fixed rate %s/s: accepted %s/s (%s of the commit rate), errors %s%n",
        f,
        "targetPerSecond",
        "acceptedPerSecond",
        "ratioToCommitRate",
        "errors");
    s.append(
        String.format(
            "    HTTP report latency ms: p50 %s, p99 %s, p99.9 %s, max %s%n",
            http.get("p50"), http.get("p99"), http.get("p99_9"), http.get("max")));
    s.append(
        String.format(
            "    end-to-end (201 -> ticket row) ms: p50 %s, p99 %s, max %s%n",
            e2e.get("p50"), e2e.get("p99"), e2e.get("max")));
    s.append(roundTripLine(f, run(r)));
    s.append(String.format("    largest backlog: %s tickets%n", f.get("maxBacklog")));
    s.append(
        String.format(
            "    PostgreSQL transactions per issue: %s (of which the benchmark's own queries %s)%n",
            f.get("postgresTransactionsPerIssue"), f.get("benchmarkQueriesPerIssue")));
    Map<String, Object> cpu = (Map<String, Object>) f.get("cpu");
    s.append("    CPU ms per issue: ").append(cpuLine(cpu, "cpuMsPerIssue")).append('\n');
    s.append("    average cores: ").append(cpuLine(cpu, "averageCores")).append('\n');
    line(
        s,
        "  memory: customer peak RSS %s MiB, backoffice peak RSS %s MiB; RSS before/after the fixed run %s / %s%n",
        m,
        "customerPeakRssMb",
        "backofficePeakRssMb",
        "customerRssMbBeforeAfterFixedRun",
        "backofficeRssMbBeforeAfterFixedRun");
    if (r.containsKey("cpuMeasurement")) {
      Map<String, Object> c = (Map<String, Object>) r.get("cpuMeasurement");
      s.append(
          String.format(
              "  CPU from /proc/<pid>/stat, %s ticks/s:%n", c.get("clockTicksPerSecond")));
      ((Map<String, Object>) c.get("processes"))
          .forEach(
              (group, what) -> s.append(String.format("    %-15s %s%n", LABELS.get(group), what)));
      s.append(
          "    PostgreSQL and broker figures include whatever else uses the same server at the time;\n"
              + "    the total is over nodes, PostgreSQL and broker, not the load generator\n");
    }
    s.append("  targets:\n");
    String row = "    %-28s %-24s %-22s %s%n";
    s.append(String.format(row, "", "measured", "target", ""));
    t.forEach(
        (name, v) -> {
          Map<String, Object> target = (Map<String, Object>) v;
          Object met = target.get("met");
          Object measured = target.get("measured");
          s.append(
              String.format(
                  row,
                  name,
                  measured == null ? "-" : measured + " " + target.get("unit"),
                  target.get("target"),
                  met == null ? "not measured" : Boolean.TRUE.equals(met) ? "met" : "NOT met"));
        });
    return s.toString();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> run(Map<String, Object> r) {
    Object run = r.get("run");
    return run == null ? Map.of() : (Map<String, Object>) run;
  }

  /** The round trip of a phase: 201 -> the customer's issue recorded support's receipt. */
  @SuppressWarnings("unchecked")
  static String roundTripLine(Map<String, Object> phase, Map<String, Object> run) {
    Map<String, Object> back = (Map<String, Object>) phase.get("roundTrip");
    if (back == null) {
      return "on".equals(run.get("returnFlow"))
          ? "    round trip: not measured (no database of the customer's: --customer-db)\n"
          : "    round trip: not measured (return flow off: TICKET_EVENTS_ENABLED=false)\n";
    }
    Map<String, Object> ms = (Map<String, Object>) back.get("ms");
    return String.format(
        "    round trip (201 -> customer's issue received) ms: p50 %s, p99 %s, max %s;"
            + " back %s of %s (not back at the end %s, timed by a later close %s)%n",
        ms.get("p50"),
        ms.get("p99"),
        ms.get("max"),
        back.get("returned"),
        back.get("ofAccepted"),
        back.getOrDefault("notBackAtEnd", "-"),
        back.getOrDefault("timedByLaterClose", "-"));
  }

  /**
   * A figure of each process group, and of the total: "customer 1.2, ... = 3.4 (load generator 0.5,
   * not in the total)".
   */
  @SuppressWarnings("unchecked")
  private static String cpuLine(Map<String, Object> cpu, String figure) {
    Map<String, Object> byProcess = (Map<String, Object>) cpu.get("byProcess");
    StringBuilder s = new StringBuilder();
    Object loadGenerator = null;
    for (Map.Entry<String, Object> e : byProcess.entrySet()) {
      Map<String, Object> process = (Map<String, Object>) e.getValue();
      Object value = process.containsKey("unavailable") ? "n/a" : process.get(figure);
      if (e.getKey().equals(CpuMeter.LOAD_GENERATOR)) {
        loadGenerator = value;
        continue;
      }
      s.append(s.length() == 0 ? "" : ", ")
          .append(LABELS.getOrDefault(e.getKey(), e.getKey()))
          .append(' ')
          .append(value);
    }
    Object total =
        figure.equals("cpuMsPerIssue") ? cpu.get("cpuMsPerIssue") : cpu.get("totalAverageCores");
    return s + " = " + total + " (load generator " + loadGenerator + ", not in the total)";
  }

  private static void chart(List<Sampler.Point> points, Path file) throws IOException {
    if (points.isEmpty()) {
      return;
    }
    XYChart chart =
        new XYChartBuilder()
            .width(1200)
            .height(600)
            .title("Helpdesk: throughput, end-to-end latency and round trip")
            .xAxisTitle("seconds")
            .yAxisTitle("per second")
            .build();
    chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNW);
    chart.setYAxisGroupTitle(1, "p99 (ms)");
    series(chart, "reports accepted/s", points, Sampler.Point::accepted, 0);
    series(chart, "tickets visible/s", points, Sampler.Point::visible, 0);
    series(chart, "backlog (accepted, not yet visible)", points, Sampler.Point::backlog, 0);
    series(chart, "end-to-end p99 ms", points, Sampler.Point::endToEndP99Ms, 1);
    if (points.get(0).roundTripP99Ms() != null) {
      series(chart, "round trip p99 ms", points, p -> p.roundTripP99Ms(), 1);
    }
    BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
  }

  /** A line of the chart: a value of the samples over their time. */
  private static void series(
      XYChart chart,
      String name,
      List<Sampler.Point> points,
      ToDoubleFunction<Sampler.Point> value,
      int axis) {
    XYSeries s =
        chart.addSeries(
            name,
            points.stream().mapToDouble(Sampler.Point::t).toArray(),
            points.stream().mapToDouble(value).toArray());
    s.setMarker(SeriesMarkers.NONE);
    s.setYAxisGroup(axis);
  }
}
