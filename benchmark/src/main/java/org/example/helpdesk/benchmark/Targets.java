package org.example.helpdesk.benchmark;

import static org.example.helpdesk.benchmark.Benchmark.TARGET_CPU_MS_PER_ISSUE;
import static org.example.helpdesk.benchmark.Benchmark.TARGET_END_TO_END_P99_MS;
import static org.example.helpdesk.benchmark.Benchmark.TARGET_HTTP_P99_MS;
import static org.example.helpdesk.benchmark.Benchmark.TARGET_IDLE_CORES_BOTH_NODES;
import static org.example.helpdesk.benchmark.Benchmark.TARGET_RATIO_TO_COMMIT_RATE;
import static org.example.helpdesk.benchmark.Benchmark.TARGET_RSS_GROWTH_SHARE;
import static org.example.helpdesk.benchmark.Benchmark.TARGET_RSS_MIB;
import static org.example.helpdesk.benchmark.Benchmark.TARGET_SUSTAINED_PER_SECOND;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The load runs' figures against the performance targets. */
final class Targets {

  private Targets() {}

  /** Every target: what was measured, the target, and whether it is met (null: not measured). */
  @SuppressWarnings("unchecked")
  static Map<String, Object> of(
      double commitRate,
      Map<String, Object> throughput,
      Sampler.Phase fixed,
      Map<String, Object> fixedFigures,
      Map<String, Object> idle,
      Map<String, Object> memory) {
    Map<String, Object> t = new LinkedHashMap<>();
    double rate = ((Number) throughput.get("perSecond")).doubleValue();
    boolean sustained = (Boolean) throughput.get("sustained");
    t.put(
        "sustainedReportsPerSecond",
        target(
            throughput.get("perSecond"),
            "reports/s",
            ">= " + (long) TARGET_SUSTAINED_PER_SECOND,
            sustained && rate >= TARGET_SUSTAINED_PER_SECOND,
            (String) throughput.get("basis")));
    t.put(
        "sustainedRatioToCommitRate",
        target(
            Benchmark.round(rate / commitRate),
            "of commit rate",
            ">= " + TARGET_RATIO_TO_COMMIT_RATE,
            sustained && rate / commitRate >= TARGET_RATIO_TO_COMMIT_RATE,
            Math.round(commitRate) + " single-row commits/s"));
    double e2e = Benchmark.ms(fixed.endToEnd, 99);
    t.put(
        "fixedRunEndToEndP99Ms",
        target(
            Benchmark.round(e2e),
            "ms",
            "< " + (long) TARGET_END_TO_END_P99_MS,
            fixed.endToEnd.getTotalCount() > 0 && e2e < TARGET_END_TO_END_P99_MS,
            null));
    double http = Benchmark.ms(fixed.http, 99);
    t.put(
        "fixedRunHttpP99Ms",
        target(
            Benchmark.round(http),
            "ms",
            "< " + (long) TARGET_HTTP_P99_MS,
            fixed.http.getTotalCount() > 0 && http < TARGET_HTTP_P99_MS,
            null));
    Map<String, Object> cpu = (Map<String, Object>) fixedFigures.get("cpu");
    Double perIssue = (Double) cpu.get("cpuMsPerIssue");
    t.put(
        "fixedRunCpuMsPerIssue",
        target(
            perIssue,
            "ms",
            "<= " + TARGET_CPU_MS_PER_ISSUE,
            perIssue == null ? null : perIssue <= TARGET_CPU_MS_PER_ISSUE,
            "total of " + String.join(" + ", (List<String>) cpu.get("totalCovers"))));
    Double idleCores = idle == null ? null : (Double) idle.get("bothNodesCores");
    t.put(
        "idleCoresBothNodes",
        target(
            idleCores,
            "cores",
            "<= " + TARGET_IDLE_CORES_BOTH_NODES,
            idleCores == null ? null : idleCores <= TARGET_IDLE_CORES_BOTH_NODES,
            idle == null ? "not measured (--idle 0)" : null));
    long peak =
        Math.max((Long) memory.get("customerPeakRssMb"), (Long) memory.get("backofficePeakRssMb"));
    t.put(
        "peakRssMiBPerNode",
        target(
            peak,
            "MiB",
            "< " + TARGET_RSS_MIB,
            peak > 0 ? peak < TARGET_RSS_MIB : null,
            "the larger of the two nodes"));
    List<Long> customer = (List<Long>) memory.get("customerRssMbBeforeAfterFixedRun");
    List<Long> backoffice = (List<Long>) memory.get("backofficeRssMbBeforeAfterFixedRun");
    long growth =
        Math.max(customer.get(1) - customer.get(0), backoffice.get(1) - backoffice.get(0));
    boolean measured = customer.get(0) > 0 && backoffice.get(0) > 0;
    t.put(
        "rssGrowthOverFixedRunMiB",
        target(
            growth,
            "MiB",
            "<= " + Math.round(TARGET_RSS_GROWTH_SHARE * 100) + " % of RSS before",
            measured ? grewAtMost(customer) && grewAtMost(backoffice) : null,
            "the larger growth of the two nodes"));
    return t;
  }

  private static boolean grewAtMost(List<Long> beforeAfter) {
    return beforeAfter.get(1) - beforeAfter.get(0) <= TARGET_RSS_GROWTH_SHARE * beforeAfter.get(0);
  }

  private static Map<String, Object> target(
      Object measured, String unit, String target, Boolean met, String note) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("measured", measured);
    m.put("unit", unit);
    m.put("target", target);
    m.put("met", met);
    if (note != null) {
      m.put("note", note);
    }
    return m;
  }
}
