package org.example.helpdesk.benchmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DrainReportTest {

  /** A drain of {@code nodes} that worked off 1,000 tickets after readiness in that many s. */
  private static Drain.Outcome drain(int nodes, double seconds, boolean complete, double cores) {
    return new Drain.Outcome(
        nodes,
        1_100,
        0,
        100,
        12.5,
        seconds,
        complete ? 1_100 : 600,
        complete,
        0L,
        Map.of("byProcess", Map.of(CpuMeter.BACKOFFICE, Map.of("averageCores", cores))));
  }

  @Test
  void theCurveHasARowPerNodeCountWithTheMeanRateAndItsRatioToTheFewestNodes() {
    List<Map<String, Object>> curve =
        DrainReport.curve(
            List.of(
                drain(1, 20, true, 0.25),
                drain(2, 10, true, 0.5),
                drain(3, 8, true, 0.75),
                drain(3, 8, true, 0.75),
                drain(2, 10, true, 0.5),
                drain(1, 25, true, 0.25)));

    assertEquals(List.of(1, 2, 3), curve.stream().map(r -> r.get("backofficeNodes")).toList());
    assertEquals(List.of(50.0, 40.0), curve.get(0).get("drainedPerSecond"));
    assertEquals(45.0, curve.get(0).get("meanDrainedPerSecond"));
    assertEquals(1.0, curve.get(0).get("ratioToFewestNodes"));
    assertEquals(100.0, curve.get(1).get("meanDrainedPerSecond"));
    assertEquals(2.222, curve.get(1).get("ratioToFewestNodes"));
    assertEquals(2.778, curve.get(2).get("ratioToFewestNodes"));
    assertEquals(0.75, curve.get(2).get("backofficeCores"));
  }

  @Test
  void anIncompleteDrainIsLeftOutOfTheCurveButShownInTheSummary() {
    List<Drain.Outcome> outcomes = List.of(drain(1, 20, true, 0.25), drain(2, 10, false, 0.5));
    List<Map<String, Object>> curve = DrainReport.curve(outcomes);

    assertEquals(1, curve.size());
    Settings s = Settings.parse(new String[] {"--scale-curve", "--curve-nodes", "1,2"});
    Infra infra = new Infra("jdbc:postgresql://h/db", "u", "p", "amqp://h", "test infra");
    String summary = DrainReport.summary(DrainReport.result(s, infra, null, outcomes));
    assertTrue(summary.contains("(incomplete)"), summary);
    assertTrue(summary.contains("scale curve"), summary);
  }
}
