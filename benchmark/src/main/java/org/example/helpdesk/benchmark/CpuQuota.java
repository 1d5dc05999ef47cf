package org.example.helpdesk.benchmark;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Holds node processes to a share of a core each, with a cgroup v1 cpu group of its own per
 * process: {@code cpu.cfs_quota_us = cores * cpu.cfs_period_us}. The kernel then lets the process
 * run that long per period, whatever else the machine does, so that a scale curve on a small
 * machine measures the nodes, not the machine's cores.
 */
final class CpuQuota implements AutoCloseable {

  /** Where cgroup v1 mounts the cpu controller. */
  static final Path V1_CPU = Path.of("/sys/fs/cgroup/cpu");

  /** The kernel's smallest quota (1 ms). */
  static final long MIN_QUOTA_US = 1_000;

  private static final long DEFAULT_PERIOD_US = 100_000;

  /** A process's group: its folder and the quota it got. */
  record Group(Path dir, long pid, long quotaUs, long periodUs) {}

  private final Path root;
  private final double cores;
  private final String prefix;
  private final List<Group> groups = new ArrayList<>();

  /**
   * @param root the cpu controller's folder ({@link #V1_CPU}, a temporary folder in tests)
   * @param prefix names this run's groups ({@code <prefix>-<name>}), so that runs never share one
   */
  CpuQuota(Path root, double cores, String prefix) {
    if (!(cores > 0)) {
      throw new IllegalArgumentException("a CPU quota must be above 0 cores, not " + cores);
    }
    this.root = root;
    this.cores = cores;
    this.prefix = prefix;
  }

  /**
   * Why this machine cannot cap processes with cgroup v1 (no controller, not writable), or empty
   * when it can: it tries to make and remove a group.
   */
  static Optional<String> unavailable(Path root) {
    if (!Files.isRegularFile(root.resolve("cpu.cfs_period_us"))) {
      return Optional.of(
          "no cgroup v1 cpu controller at "
              + root
              + " (cgroup v2 only, or not mounted: mount -t cgroup -o cpu cgroup "
              + root
              + ")");
    }
    Path probe = root.resolve("helpdesk-bench-probe-" + ProcessHandle.current().pid());
    try {
      Files.createDirectories(probe);
      remove(probe);
      return Optional.empty();
    } catch (IOException e) {
      return Optional.of(
          "the cgroup v1 cpu controller at "
              + root
              + " is not writable ("
              + e
              + "): run as root, or give this user a delegated group");
    }
  }

  double cores() {
    return cores;
  }

  /**
   * Puts a process into a new group of its own, with the quota; call it right after the process
   * started, before it does much.
   */
  synchronized Group hold(String name, long pid) throws IOException {
    Path dir = root.resolve(prefix + "-" + name);
    Files.createDirectories(dir);
    long period = period(dir);
    long quota = Math.max(MIN_QUOTA_US, Math.round(cores * period));
    Group group = new Group(dir, pid, quota, period);
    groups.add(group);
    Files.writeString(dir.resolve("cpu.cfs_quota_us"), quota + "\n");
    Files.writeString(dir.resolve("cgroup.procs"), pid + "\n");
    return group;
  }

  /** The group's period; a new group gets the kernel's default, or the root's. */
  private long period(Path dir) throws IOException {
    for (Path p : List.of(dir.resolve("cpu.cfs_period_us"), root.resolve("cpu.cfs_period_us"))) {
      if (Files.isRegularFile(p)) {
        String value = Files.readString(p).trim();
        if (!value.isEmpty()) {
          return Long.parseLong(value);
        }
      }
    }
    return DEFAULT_PERIOD_US;
  }

  synchronized List<Group> groups() {
    return List.copyOf(groups);
  }

  /**
   * Removes every group it made. A process still inside (it outlived its stop) goes back to the
   * root group first, since the kernel removes only empty groups.
   */
  @Override
  public synchronized void close() {
    for (Group g : groups) {
      try {
        Path procs = g.dir().resolve("cgroup.procs");
        if (Files.isRegularFile(procs)) {
          for (String pid : Files.readAllLines(procs)) {
            if (!pid.isBlank()) {
              Files.writeString(root.resolve("cgroup.procs"), pid.trim() + "\n");
            }
          }
        }
        remove(g.dir());
      } catch (IOException e) {
        System.err.println("[bench] could not remove cgroup " + g.dir() + ": " + e);
      }
    }
    groups.clear();
  }

  /**
   * rmdir: on cgroupfs that removes a group with its control files. A folder standing in for it
   * (tests) holds real files, removed first.
   */
  private static void remove(Path dir) throws IOException {
    try {
      Files.deleteIfExists(dir);
    } catch (DirectoryNotEmptyException e) {
      try (Stream<Path> files = Files.list(dir)) {
        for (Path f : files.toList()) {
          Files.delete(f);
        }
      }
      Files.delete(dir);
    }
  }
}
