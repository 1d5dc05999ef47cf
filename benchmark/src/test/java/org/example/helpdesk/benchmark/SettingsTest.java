package org.example.helpdesk.benchmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class SettingsTest {

  private static Settings parse(String... args) {
    return Settings.parse(args);
  }

  private static String refused(String... args) {
    return assertThrows(IllegalArgumentException.class, () -> Settings.parse(args)).getMessage();
  }

  @Test
  void defaultsAreOneNodeEachUncappedAndNoDrain() {
    Settings s = parse();

    assertEquals(1, s.customerNodes());
    assertEquals(1, s.backofficeNodes());
    assertEquals(0, s.cpuQuota());
    assertFalse(s.capped());
    assertFalse(s.drainMode());
    assertFalse(s.scaleCurve());
    assertEquals(1, s.repeat());
    assertEquals(List.of(1, 2, 3), s.curveNodes());
    assertEquals(CpuQuota.V1_CPU, s.cgroupCpu());
  }

  @Test
  void readsTheScaleOutOptions() {
    Settings s =
        parse(
            "--customer-nodes", "2",
            "--backoffice-nodes", "3",
            "--cpu-quota", "0.25",
            "--drain", "300",
            "--fill-rate", "150",
            "--drain-timeout", "90",
            "--repeat", "2",
            "--cgroup-cpu", "/sys/fs/cgroup/cpu,cpuacct",
            "--out", "/tmp/x");

    assertEquals(2, s.customerNodes());
    assertEquals(3, s.backofficeNodes());
    assertEquals(0.25, s.cpuQuota());
    assertTrue(s.capped());
    assertEquals(300, s.drain());
    assertTrue(s.drainMode());
    assertEquals(150, s.fillRate());
    assertEquals(Duration.ofSeconds(90), s.drainTimeout());
    assertEquals(2, s.repeat());
    assertEquals(java.nio.file.Path.of("/sys/fs/cgroup/cpu,cpuacct"), s.cgroupCpu());
  }

  @Test
  void aScaleCurveIsDrainModeWithADefaultBacklogUnlessOneIsGiven() {
    Settings curve = parse("--scale-curve");
    assertTrue(curve.scaleCurve());
    assertTrue(curve.drainMode());
    assertEquals(Settings.DEFAULT_CURVE_BACKLOG, curve.drain());

    Settings given = parse("--scale-curve", "--drain", "500", "--curve-nodes", "1, 3");
    assertEquals(500, given.drain());
    assertEquals(List.of(1, 3), given.curveNodes());
  }

  @Test
  void flagsTakeNoValueAndHelpIsNotAnError() {
    Settings s = parse("--find-max", "--rate", "40");
    assertTrue(s.findMax());
    assertEquals(40, s.rate());
    assertTrue(parse("--help").help());
    assertTrue(parse("--backoffice-nodes", "0", "--help").help());
  }

  @Test
  void refusesWhatCannotBeRun() {
    assertTrue(refused("--backofice-nodes", "2").contains("unknown option --backofice-nodes"));
    assertTrue(refused("--drain").contains("missing value for --drain"));
    assertTrue(refused("--backoffice-nodes", "two").contains("not a number"));
    assertTrue(refused("--cpu-quota", "abc").contains("not a number"));
    assertTrue(refused("--backoffice-nodes", "0").contains("--backoffice-nodes"));
    assertTrue(refused("--customer-nodes", "-1").contains("--customer-nodes"));
    assertTrue(refused("--cpu-quota", "-0.5").contains("--cpu-quota"));
    assertTrue(refused("--cpu-quota", "0.001").contains("1 ms"));
    assertTrue(refused("--drain", "-3").contains("--drain"));
    assertTrue(refused("--scale-curve", "--repeat", "0").contains("--repeat"));
    assertTrue(refused("--scale-curve", "--curve-nodes", "1,0").contains("--curve-nodes"));
    assertTrue(refused("--scale-curve", "--curve-nodes", "1,,2").contains("not a number"));
    assertTrue(refused("--drain", "100", "--find-max").contains("different modes"));
    assertTrue(refused("--drain", "100", "--drain-timeout", "0").contains("--drain-timeout"));
    assertTrue(refused("--customer-url", "http://x", "--drain", "100").contains("--customer-url"));
    assertTrue(
        refused("--customer-url", "http://x", "--backoffice-nodes", "2")
            .contains("--customer-url"));
    assertTrue(refused("--customer-url", "http://x", "--cpu-quota", "0.5").contains("--cpu-quota"));
  }

  @Test
  void theReturnFlowIsOnUnlessTurnedOff() {
    assertTrue(parse().returnFlow());
    assertTrue(parse("--return-flow", "on").returnFlow());
    assertFalse(parse("--return-flow", "off").returnFlow());
    assertTrue(refused("--return-flow", "no").contains("--return-flow is on or off"));
    assertEquals("jdbc:x", parse("--customer-db", "jdbc:x").customerDatabaseUrl());
    assertTrue(Settings.USAGE.contains("--return-flow on|off"));
    assertTrue(Settings.USAGE.contains("TICKET_EVENTS_ENABLED=false"));
  }

  @Test
  void theScaleCurveAlternatesItsOrderFromRoundToRound() {
    assertEquals(List.of(1, 2, 3), Drain.order(parse("--scale-curve")));
    assertEquals(
        List.of(1, 2, 3, 3, 2, 1, 1, 2, 3), Drain.order(parse("--scale-curve", "--repeat", "3")));
    assertEquals(
        List.of(2, 2),
        Drain.order(parse("--drain", "10", "--backoffice-nodes", "2", "--repeat", "2")));
  }

  @Test
  void theHelpNamesEveryScaleOutOption() {
    for (String option :
        List.of(
            "--customer-nodes",
            "--backoffice-nodes",
            "--cpu-quota",
            "--drain",
            "--scale-curve",
            "--curve-nodes",
            "--repeat",
            "--fill-rate",
            "--drain-timeout",
            "--cgroup-cpu",
            "cgroup v1")) {
      assertTrue(Settings.USAGE.contains(option), option);
    }
  }
}
