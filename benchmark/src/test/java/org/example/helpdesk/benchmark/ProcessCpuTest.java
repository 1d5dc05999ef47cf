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
    assertEquals(1, stat.ppid());
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

  @Test
  void aServersTreeIsItAndItsDescendantsNotItsParentOrOtherServersOfTheSameName() {
    List<ProcessCpu.Stat> all =
        List.of(
            proc(1, 0), // init
            proc(100, 1), // this run's postmaster
            proc(101, 100), // a backend
            proc(102, 100), // another
            proc(103, 102), // a child of that one
            proc(200, 1), // another PostgreSQL on the machine
            proc(201, 200));

    assertEquals(
        List.of(100L, 101L, 102L, 103L),
        ProcessCpu.tree(100, all).stream().map(ProcessCpu.Stat::pid).sorted().toList());
    assertEquals(List.of(), ProcessCpu.tree(999, all), "a server that is gone: nothing");
  }

  @Test
  void findsTheProcessListeningOnAPort() throws Exception {
    assumeTrue(ProcessCpu.available(), "Linux only");
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      assertEquals(
          ProcessHandle.current().pid(), ProcessCpu.listener(socket.getLocalPort()).orElseThrow());
    }
    int unused;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      unused = socket.getLocalPort();
    }
    assertTrue(ProcessCpu.listener(unused).isEmpty());
  }

  private static ProcessCpu.Stat stat(long pid, long startTicks, long cpuTicks) {
    return new ProcessCpu.Stat(pid, "postgres", 1, startTicks, cpuTicks);
  }

  private static ProcessCpu.Stat proc(long pid, long ppid) {
    return new ProcessCpu.Stat(pid, "postgres", ppid, 1, 0);
  }
}
