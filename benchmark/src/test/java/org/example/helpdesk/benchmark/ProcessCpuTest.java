package org.example.helpdesk.benchmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ProcessCpuTest {

  // a command name with spaces and parentheses; utime 250, stime 75, cutime 1000 and cstime 500
  // (children's, not counted), starttime 98765
  private static final String STAT =
      "1234 (my (odd) proc) S 1 1234 1234 0 -1 4194560 1520 0 0 0 250 75 1000 500 20 0 12 0 98765 123456789 2345 "
          + "18446744073709551615 1 1 0 0 0 0 0 4096 0 0 0 0 17 1 0 0 0 0 0";

  @Test
  void parsesAStatLineWhoseCommandNameHoldsSpacesAndParentheses() {
    ProcessCpu.Stat stat = ProcessCpu.parse(STAT);

    assertEquals(1234, stat.pid());
    assertEquals("my (odd) proc", stat.comm());
    assertEquals(325, stat.cpuTicks());
    assertEquals(98765, stat.startTicks());
  }

  @Test
  void readsThisProcess() {
    assumeTrue(ProcessCpu.available(), "Linux only");
    ProcessCpu.Stat self = ProcessCpu.read(ProcessHandle.current().pid()).orElseThrow();

    assertEquals(ProcessHandle.current().pid(), self.pid());
    assertTrue(self.cpuTicks() > 0);
    assertTrue(ProcessCpu.TICKS_PER_SECOND > 0);
  }

  @Test
  void countsEachProcessFromItsPreviousSampleNewOnesFromZeroAndVanishedOnesUpToTheirLast() {
    ProcessCpu.Counter counter = new ProcessCpu.Counter();

    // the first sample only sets the starting point: what the processes used before is not counted
    assertEquals(0, counter.next(List.of(stat(1, 10, 100), stat(2, 20, 50))));
    // pid 1 used 30; pid 2 vanished (what it used up to its last sample was counted); pid 3
    // appeared: all its 20
    assertEquals(50, counter.next(List.of(stat(1, 10, 130), stat(3, 30, 20))));
    // pid 2 again, but another process (it started later): all its 5; pid 3 used 5 more; pid 1
    // nothing
    assertEquals(10, counter.next(List.of(stat(1, 10, 130), stat(2, 40, 5), stat(3, 30, 25))));
    // no process at all
    assertEquals(0, counter.next(List.of()));
    // a process seen before the gap counts again from 0 once it is back under another start time
    // only
    assertEquals(7, counter.next(List.of(stat(4, 50, 7))));
  }

  private static ProcessCpu.Stat stat(long pid, long startTicks, long cpuTicks) {
    return new ProcessCpu.Stat(pid, "postgres", startTicks, cpuTicks);
  }
}
