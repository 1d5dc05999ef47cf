package org.example.helpdesk.benchmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cgroup writer against a temporary folder standing in for /sys/fs/cgroup/cpu. */
class CpuQuotaTest {

  @TempDir Path root;

  private void controller(long periodUs) throws Exception {
    Files.writeString(root.resolve("cpu.cfs_period_us"), periodUs + "\n");
    Files.writeString(root.resolve("cpu.cfs_quota_us"), "-1\n");
    Files.writeString(root.resolve("cgroup.procs"), "");
  }

  @Test
  void eachProcessGetsAGroupOfItsOwnWithQuotaCoresTimesPeriodAndItsPid() throws Exception {
    controller(100_000);
    try (CpuQuota quota = new CpuQuota(root, 0.25, "helpdesk-bench-1")) {
      CpuQuota.Group a = quota.hold("backoffice-1", 4242);
      CpuQuota.Group b = quota.hold("backoffice-2", 4343);

      assertEquals(root.resolve("helpdesk-bench-1-backoffice-1"), a.dir());
      assertEquals("25000", Files.readString(a.dir().resolve("cpu.cfs_quota_us")).trim());
      assertEquals("4242", Files.readString(a.dir().resolve("cgroup.procs")).trim());
      assertEquals("4343", Files.readString(b.dir().resolve("cgroup.procs")).trim());
      assertEquals(25_000, b.quotaUs());
      assertEquals(2, quota.groups().size());
    }
  }

  @Test
  void theQuotaFollowsTheGroupsOwnPeriodAndNeverGoesBelowTheKernelsMinimum() throws Exception {
    controller(100_000);
    // a group whose period the kernel (or an operator) set to 50 ms already
    Files.createDirectories(root.resolve("p-node"));
    Files.writeString(root.resolve("p-node/cpu.cfs_period_us"), "50000\n");
    try (CpuQuota quota = new CpuQuota(root, 1.5, "p")) {
      assertEquals(75_000, quota.hold("node", 1).quotaUs());
    }
    try (CpuQuota tiny = new CpuQuota(root, 0.001, "t")) {
      assertEquals(CpuQuota.MIN_QUOTA_US, tiny.hold("node", 1).quotaUs());
    }
  }

  @Test
  void closingRemovesEveryGroupAndMovesProcessesStillInsideBackToTheRoot() throws Exception {
    controller(100_000);
    CpuQuota quota = new CpuQuota(root, 0.5, "run");
    CpuQuota.Group alive = quota.hold("customer-1", 777);
    CpuQuota.Group gone = quota.hold("customer-2", 888);
    // the kernel empties a dead process's cgroup.procs
    Files.writeString(gone.dir().resolve("cgroup.procs"), "");

    quota.close();

    assertFalse(Files.exists(alive.dir()));
    assertFalse(Files.exists(gone.dir()));
    assertEquals("777", Files.readString(root.resolve("cgroup.procs")).trim());
    assertTrue(quota.groups().isEmpty());
    try (var left = Files.list(root)) {
      assertEquals(
          Set.of("cpu.cfs_period_us", "cpu.cfs_quota_us", "cgroup.procs"),
          Set.copyOf(left.map(p -> p.getFileName().toString()).toList()));
    }
  }

  @Test
  void aMachineWithoutAWritableV1ControllerIsToldApart() throws Exception {
    assertTrue(CpuQuota.unavailable(root).orElseThrow().contains("no cgroup v1 cpu controller"));
    assertTrue(
        CpuQuota.unavailable(root.resolve("missing"))
            .orElseThrow()
            .contains("no cgroup v1 cpu controller"));

    controller(100_000);
    assertTrue(CpuQuota.unavailable(root).isEmpty());
    // the probe group is gone again
    try (var left = Files.list(root)) {
      assertEquals(3, left.count());
    }

    // a group that cannot be made (here: a file in the probe's place, as a read-only
    // controller would refuse it; file permissions do not hold for root)
    Files.writeString(root.resolve("helpdesk-bench-probe-" + ProcessHandle.current().pid()), "");
    assertTrue(CpuQuota.unavailable(root).orElseThrow().contains("not writable"));
  }

  @Test
  void aQuotaOfNoCoresIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> new CpuQuota(root, 0, "x"));
    assertThrows(IllegalArgumentException.class, () -> new CpuQuota(root, Double.NaN, "x"));
  }
}
