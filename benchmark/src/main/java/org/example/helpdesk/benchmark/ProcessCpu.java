package org.example.helpdesk.benchmark;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * CPU time of processes from /proc (Linux): utime + stime of {@code /proc/<pid>/stat}, in clock
 * ticks, every thread of the process included.
 */
final class ProcessCpu {

  static final long TICKS_PER_SECOND = ticksPerSecond();

  private ProcessCpu() {}

  /** What /proc/<pid>/stat says of a process; its start time tells a reused pid apart. */
  record Stat(long pid, String comm, long startTicks, long cpuTicks) {}

  /**
   * A process over its life: the same pid later is another process if it started at another time.
   */
  private record Key(long pid, long startTicks) {}

  /**
   * Reads a line of /proc/<pid>/stat: "pid (comm) state ppid ...". The command name may hold spaces
   * and parentheses, so it ends at the last ')', and the fields count from there.
   */
  static Stat parse(String line) {
    int open = line.indexOf('(');
    int close = line.lastIndexOf(')');
    if (open < 0 || close < open) {
      throw new IllegalArgumentException("not a /proc/<pid>/stat line: " + line);
    }
    String[] f = line.substring(close + 1).trim().split("\\s+");
    // f[0] is field 3 (state): utime is field 14, stime 15, starttime 22
    return new Stat(
        Long.parseLong(line.substring(0, open).trim()),
        line.substring(open + 1, close),
        Long.parseLong(f[19]),
        Long.parseLong(f[11]) + Long.parseLong(f[12]));
  }

  /** The process, if it is still there (and this is Linux). */
  static Optional<Stat> read(long pid) {
    try {
      return Optional.of(parse(Files.readString(Path.of("/proc/" + pid + "/stat"))));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** Every process whose command name ({@code /proc/<pid>/comm}, also in stat) is one of these. */
  static List<Stat> named(Set<String> comms) {
    List<Stat> found = new ArrayList<>();
    try (DirectoryStream<Path> proc =
        Files.newDirectoryStream(
            Path.of("/proc"), p -> p.getFileName().toString().matches("\\d+"))) {
      for (Path p : proc) {
        read(Long.parseLong(p.getFileName().toString()))
            .filter(s -> comms.contains(s.comm()))
            .ifPresent(found::add);
      }
    } catch (IOException e) {
      // not Linux
    }
    return found;
  }

  static boolean available() {
    return read(ProcessHandle.current().pid()).isPresent();
  }

  /**
   * The CPU a set of processes used between one sample and the next, pid by pid, so that processes
   * that come and go (PostgreSQL backends) count for the time they ran: one that appeared since the
   * previous sample counts from 0, one that vanished counts up to its last sample (what it used
   * after that, less than a sample interval's worth, is lost; one that lived less than an interval
   * is not seen at all).
   */
  static final class Counter {

    private Map<Key, Long> previous;

    /**
     * Ticks used since the previous sample; 0 for the first, which only sets the starting point.
     */
    long next(Collection<Stat> now) {
      Map<Key, Long> current = new HashMap<>();
      long used = 0;
      for (Stat s : now) {
        Key key = new Key(s.pid(), s.startTicks());
        current.put(key, s.cpuTicks());
        if (previous != null) {
          used += Math.max(0, s.cpuTicks() - previous.getOrDefault(key, 0L));
        }
      }
      previous = current;
      return used;
    }
  }

  private static long ticksPerSecond() {
    try {
      Process getconf = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
      String out = new String(getconf.getInputStream().readAllBytes()).trim();
      if (getconf.waitFor(5, TimeUnit.SECONDS) && getconf.exitValue() == 0) {
        return Long.parseLong(out);
      }
    } catch (IOException | NumberFormatException e) {
      // no getconf: the kernel's USER_HZ is 100 nearly everywhere
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 100;
  }
}
