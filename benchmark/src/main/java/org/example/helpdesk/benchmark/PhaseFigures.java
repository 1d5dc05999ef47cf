package org.example.helpdesk.benchmark;

import static org.example.helpdesk.benchmark.Benchmark.ms;
import static org.example.helpdesk.benchmark.Benchmark.round;

import java.util.LinkedHashMap;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * What a phase of a {@link RateRun} measured, as the report's figures, and whether a rate counts as
 * sustained: kept apart from the run so that the report's fields and the rule for "sustained" are
 * read in one place.
 */
final class PhaseFigures {

  private PhaseFigures() {}

  static boolean sustains(Sampler.Phase phase, int rate) {
    return phase.acceptedPerSecond() >= 0.9 * rate
        && phase.errors <= phase.sent / 1000
        && ms(phase.http, 99) < 1_000
        && phase.endToEnd.getTotalCount() > 0
        && ms(phase.endToEnd, 99) < 2_000
        && phase.lastBacklog <= Math.max(rate, 100);
  }

  static Map<String, Object> phaseFigures(Sampler.Phase p, boolean sustained, CpuMeter cpu) {
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
    m.put("roundTrip", roundTrip(p));
    m.put("sustained", sustained);
    m.put("cpu", cpu.figures(p.cpuTicks, p.wallSeconds, p.accepted));
    return m;
  }

  /**
   * The return flow of the phase's issues: how many of the accepted came back (the customer's issue
   * recorded support's receipt) and the round trip's percentiles; null where not measured.
   */
  private static Map<String, Object> roundTrip(Sampler.Phase p) {
    if (!p.roundTripMeasured) {
      return null;
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("returned", p.returned);
    m.put("ofAccepted", p.accepted);
    m.put("ms", percentiles(p.roundTrip, false));
    return m;
  }

  @SuppressWarnings("unchecked")
  static Object cpuMsPerIssue(Map<String, Object> phaseFigures) {
    return ((Map<String, Object>) phaseFigures.get("cpu")).get("cpuMsPerIssue");
  }

  /** The cores each node used at rest, and both together (null where not measured). */
  static Map<String, Object> idleFigures(Sampler.Phase idle, CpuMeter cpu) {
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

  private static Map<String, Object> percentiles(Histogram h, boolean withP999) {
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
}
