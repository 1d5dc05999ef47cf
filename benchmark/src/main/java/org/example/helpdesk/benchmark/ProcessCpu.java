package org.example.helpdesk.benchmark;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
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
  record Stat(long pid, String comm, long ppid, long startTicks, long cpuTicks) {}

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
    // f[0] is field 3 (state): ppid is field 4, utime 14, stime 15, starttime 22
    return new Stat(
        Long.parseLong(line.substring(0, open).trim()),
        line.substring(open + 1, close),
        Long.parseLong(f[1]),
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
    return all().stream().filter(s -> comms.contains(s.comm())).toList();
  }

  /** Every process there is (none where this is not Linux). */
  static List<Stat> all() {
    List<Stat> found = new ArrayList<>();
    for (long pid : pids()) {
      read(pid).ifPresent(found::add);
    }
    return found;
  }

  /** The process {@code root} and all its descendants, of {@code all}. */
  static List<Stat> tree(long root, List<Stat> all) {
    Map<Long, List<Stat>> children = new HashMap<>();
    Stat top = null;
    for (Stat s : all) {
      children.computeIfAbsent(s.ppid(), k -> new ArrayList<>()).add(s);
      if (s.pid() == root) {
        top = s;
      }
    }
    List<Stat> tree = new ArrayList<>();
    if (top == null) {
      return tree;
    }
    Deque<Stat> next = new ArrayDeque<>(List.of(top));
    while (!next.isEmpty()) {
      Stat s = next.pop();
      tree.add(s);
      next.addAll(children.getOrDefault(s.pid(), List.of()));
    }
    return tree;
  }

  /**
   * The process that listens on this TCP port of this network namespace (the server, not a child
   * that inherited its socket), if this is Linux and it can be seen: so that a server's CPU is that
   * of the server this run uses, not of every process of its name on the machine.
   */
  static OptionalLong listener(int port) {
    Set<String> sockets = new HashSet<>();
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      try {
        for (String line : Files.readAllLines(Path.of(table))) {
          // "sl local_address(hex ip:hex port) rem_address st ... inode": st 0A is LISTEN
          String[] f = line.trim().split("\\s+");
          if (f.length > 9 && f[3].equals("0A") && f[1].endsWith(String.format(":%04X", port))) {
            sockets.add("socket:[" + f[9] + "]");
          }
        }
      } catch (IOException e) {
        // no IPv6, or not Linux
      }
    }
    Set<Long> holders = new HashSet<>();
    for (long pid : sockets.isEmpty() ? List.<Long>of() : pids()) {
      try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/" + pid + "/fd"))) {
        for (Path fd : fds) {
          if (sockets.contains(Files.readSymbolicLink(fd).toString())) {
            holders.add(pid);
            break;
          }
        }
      } catch (IOException | RuntimeException e) {
        // gone meanwhile, or not ours to read
      }
    }
    return holders.stream()
        .filter(pid -> read(pid).map(s -> !holders.contains(s.ppid())).orElse(false))
        .mapToLong(Long::longValue)
        .min();
  }

  private static List<Long> pids() {
    List<Long> pids = new ArrayList<>();
    try (DirectoryStream<Path> proc =
        Files.newDirectoryStream(
            Path.of("/proc"), p -> p.getFileName().toString().matches("\\d+"))) {
      for (Path p : proc) {
        pids.add(Long.parseLong(p.getFileName().toString()));
      }
    } catch (IOException e) {
      // not Linux
    }
    return pids;
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
