package org.example.helpdesk.benchmark;

import static org.example.helpdesk.benchmark.Benchmark.round;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** The results of drain mode: results.json and summary.txt, with the scale curve as a table. */
final class DrainReport {

  private DrainReport() {}

  static Map<String, Object> result(
      Settings s, Infra infra, CpuQuota quota, List<Drain.Outcome> outcomes) {
    Map<String, Object> run = new LinkedHashMap<>();
    run.put("at", Instant.now().toString());
    run.put("mode", s.scaleCurve() ? "scale-curve" : "drain");
    run.put("infrastructure", infra.description());
    run.put("nodeJvmOptions", s.nodeJvmOptions());
    run.put("customerNodes", s.customerNodes());
    run.put("cpuQuotaCoresPerNode", quota == null ? "none" : quota.cores());
    run.put("backlogPerDrain", s.drain());
    run.put("fillRate", s.fillRate());
    run.put("repeat", s.repeat());
    run.put(
        "measures",
        "reports drained per second: tickets that became visible in the backoffice read table after every"
            + " backoffice node answered /health/ready 200, over the time from then until the table held"
            + " the whole backlog (polled every 200 ms); the CPU over the same time");
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("run", run);
    result.put("drains", outcomes.stream().map(Drain::figures).toList());
    if (s.scaleCurve()) {
      result.put("scaleCurve", curve(outcomes));
    }
    return result;
  }

  /**
   * A row per backoffice node count, in ascending order: each drain's rate, their mean, and the
   * ratio of that mean to the smallest count's; only complete drains count.
   */
  static List<Map<String, Object>> curve(List<Drain.Outcome> outcomes) {
    Map<Integer, List<Drain.Outcome>> byNodes =
        outcomes.stream()
            .filter(Drain.Outcome::complete)
            .collect(
                Collectors.groupingBy(Drain.Outcome::nodes, TreeMap::new, Collectors.toList()));
    Double base = null;
    List<Map<String, Object>> rows = new java.util.ArrayList<>();
    for (Map.Entry<Integer, List<Drain.Outcome>> e : byNodes.entrySet()) {
      List<Double> rates = e.getValue().stream().map(Drain.Outcome::drainedPerSecond).toList();
      double mean = rates.stream().mapToDouble(Double::doubleValue).average().orElse(0);
      if (base == null) {
        base = mean;
      }
      double backofficeCores =
          e.getValue().stream().mapToDouble(DrainReport::backofficeCores).average().orElse(0);
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("backofficeNodes", e.getKey());
      row.put("drainedPerSecond", rates.stream().map(Benchmark::round).toList());
      row.put("meanDrainedPerSecond", round(mean));
      row.put("ratioToFewestNodes", base > 0 ? round(mean / base) : null);
      row.put("backofficeCores", round(backofficeCores));
      rows.add(row);
    }
    return rows;
  }

  /** The average cores of all backoffice nodes together during a drain; 0 where unmeasured. */
  @SuppressWarnings("unchecked")
  static double backofficeCores(Drain.Outcome o) {
    Object byProcess = o.cpu() == null ? null : o.cpu().get("byProcess");
    if (!(byProcess instanceof Map<?, ?> groups)) {
      return 0;
    }
    Object backoffice = groups.get(CpuMeter.BACKOFFICE);
    if (backoffice instanceof Map<?, ?> b && b.get("averageCores") instanceof Number n) {
      return n.doubleValue();
    }
    return 0;
  }

  static void write(Path out, Map<String, Object> result) throws IOException {
    Files.createDirectories(out);
    new ObjectMapper()
        .enable(SerializationFeature.INDENT_OUTPUT)
        .writeValue(out.resolve("results.json").toFile(), result);
    Files.writeString(out.resolve("summary.txt"), summary(result));
  }

  @SuppressWarnings("unchecked")
  static String summary(Map<String, Object> r) {
    Map<String, Object> run = (Map<String, Object>) r.get("run");
    StringBuilder s = new StringBuilder();
    s.append("Helpdesk benchmark, drain mode (")
        .append(run.get("mode"))
        .append(", ")
        .append(run.get("at"))
        .append(")\n");
    s.append(
        String.format(
            "  backlog %s reports per drain, %s customer node(s), CPU quota per node: %s cores%n",
            run.get("backlogPerDrain"), run.get("customerNodes"), run.get("cpuQuotaCoresPerNode")));
    s.append("  drained/s counts from the moment every backoffice node is ready\n");
    String row = "  %-6s %-8s %-10s %-10s %-11s %-12s %-16s %s%n";
    s.append(
        String.format(
            row,
            "nodes",
            "backlog",
            "at ready",
            "drain s",
            "drained/s",
            "bo cores",
            "bo CPU ms/ticket",
            "dead letters"));
    for (Map<String, Object> d : (List<Map<String, Object>>) r.get("drains")) {
      Map<String, Object> cpu = (Map<String, Object>) d.get("cpu");
      Map<String, Object> bo =
          (Map<String, Object>)
              ((Map<String, Object>) cpu.get("byProcess")).get(CpuMeter.BACKOFFICE);
      s.append(
          String.format(
              row,
              d.get("backofficeNodes"),
              d.get("backlog"),
              d.get("visibleAtReadiness"),
              d.get("drainSeconds"),
              d.get("drainedPerSecond")
                  + (Boolean.TRUE.equals(d.get("complete")) ? "" : " (incomplete)"),
              bo.getOrDefault("averageCores", "n/a"),
              bo.getOrDefault("cpuMsPerIssue", "n/a"),
              d.get("deadLetters") == null ? "n/a" : d.get("deadLetters")));
    }
    if (r.containsKey("scaleCurve")) {
      s.append("  scale curve (mean of the complete drains of each node count):\n");
      String curveRow = "  %-6s %-11s %-10s %-16s %s%n";
      s.append(
          String.format(
              curveRow, "nodes", "drained/s", "ratio", "backoffice cores", "each drain's rate"));
      for (Map<String, Object> c : (List<Map<String, Object>>) r.get("scaleCurve")) {
        s.append(
            String.format(
                curveRow,
                c.get("backofficeNodes"),
                c.get("meanDrainedPerSecond"),
                c.get("ratioToFewestNodes") + "x",
                c.get("backofficeCores"),
                c.get("drainedPerSecond")));
      }
    }
    return s.toString();
  }
}
