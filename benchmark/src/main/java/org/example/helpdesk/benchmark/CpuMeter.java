package org.example.helpdesk.benchmark;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * The CPU of the processes the benchmark is about, in groups, from /proc: each node, PostgreSQL,
 * the broker and, for information only, this JVM, the load generator. PostgreSQL and the broker are
 * the server that listens on the run's port and every process of its (PostgreSQL's backends,
 * RabbitMQ's Erlang port programs), so that another PostgreSQL or RabbitMQ on the machine (another
 * network namespace's) is not counted; where that server cannot be found, every process of their
 * names. Either way they are counted whole: whatever else uses the same server is in their figures
 * too.
 */
final class CpuMeter {

  static final String CUSTOMER = "customerNode";
  static final String BACKOFFICE = "backofficeNode";
  static final String POSTGRES = "postgres";
  static final String BROKER = "broker";
  static final String LOAD_GENERATOR = "loadGenerator";

  static final Set<String> POSTGRES_COMMS = Set.of("postgres");
  static final Set<String> BROKER_COMMS = Set.of("beam.smp", "erl_child_setup", "epmd");

  /** A group of processes; {@code unavailable} says why it cannot be measured, else null. */
  record Group(
      String name,
      String processes,
      String unavailable,
      boolean inTotal,
      Supplier<List<ProcessCpu.Stat>> find,
      ProcessCpu.Counter counter) {
    boolean measured() {
      return unavailable == null;
    }
  }

  final List<Group> groups = new ArrayList<>();

  /** The node groups: every node of the service (none: not started by the benchmark). */
  CpuMeter(List<Long> customerPids, List<Long> backofficePids, Infra infra) {
    boolean proc = ProcessCpu.available();
    String noProc = proc ? null : "no /proc (not Linux)";
    String notStarted = "not started by the benchmark (--customer-url)";
    node(
        CUSTOMER,
        customerPids,
        noProc != null ? noProc : customerPids.isEmpty() ? notStarted : null);
    node(
        BACKOFFICE,
        backofficePids,
        noProc != null ? noProc : backofficePids.isEmpty() ? notStarted : null);

    String postgresUnavailable = noProc;
    if (postgresUnavailable == null && !Infra.onThisMachine(infra.databaseHost())) {
      postgresUnavailable = "PostgreSQL is not on this machine (" + infra.databaseHost() + ")";
    } else if (postgresUnavailable == null && ProcessCpu.named(POSTGRES_COMMS).isEmpty()) {
      postgresUnavailable = "no process named postgres found";
    }
    server(POSTGRES, "PostgreSQL", infra.databasePort(), POSTGRES_COMMS, postgresUnavailable);

    String brokerUnavailable = noProc;
    if (brokerUnavailable == null && infra.brokerInThisJvm()) {
      brokerUnavailable = "embedded in the benchmark JVM: its CPU is in the load generator's";
    } else if (brokerUnavailable == null && !Infra.onThisMachine(infra.brokerHost())) {
      brokerUnavailable = "the broker is not on this machine (" + infra.brokerHost() + ")";
    } else if (brokerUnavailable == null && ProcessCpu.named(BROKER_COMMS).isEmpty()) {
      brokerUnavailable = "no RabbitMQ process (" + names(BROKER_COMMS) + ") found";
    }
    server(BROKER, "the broker", infra.brokerPort(), BROKER_COMMS, brokerUnavailable);

    long self = ProcessHandle.current().pid();
    add(
        LOAD_GENERATOR,
        "this JVM, pid " + self,
        noProc,
        false,
        () -> ProcessCpu.read(self).stream().toList());
  }

  /**
   * A server's group: the process listening on its port and all of its processes, else every
   * process of these names.
   */
  private void server(String name, String what, int port, Set<String> comms, String unavailable) {
    OptionalLong server = unavailable == null ? ProcessCpu.listener(port) : OptionalLong.empty();
    if (server.isPresent()) {
      long pid = server.getAsLong();
      add(
          name,
          what + " listening on port " + port + " (pid " + pid + ") and its child processes",
          null,
          true,
          () -> ProcessCpu.tree(pid, ProcessCpu.all()));
    } else {
      add(
          name,
          "every process named " + names(comms),
          unavailable,
          true,
          () -> ProcessCpu.named(comms));
    }
  }

  private static String names(Set<String> comms) {
    return String.join(", ", new TreeSet<>(comms));
  }

  private void node(String name, List<Long> pids, String unavailable) {
    add(
        name,
        pids.isEmpty()
            ? "-"
            : (pids.size() == 1 ? "pid " : "pids ")
                + String.join(", ", pids.stream().map(String::valueOf).toList()),
        unavailable,
        true,
        () -> pids.stream().flatMap(pid -> ProcessCpu.read(pid).stream()).toList());
  }

  private void add(
      String name,
      String processes,
      String unavailable,
      boolean inTotal,
      Supplier<List<ProcessCpu.Stat>> find) {
    groups.add(new Group(name, processes, unavailable, inTotal, find, new ProcessCpu.Counter()));
  }

  /**
   * Clock ticks each group used since the previous call, in the order of {@link #groups}; all 0 at
   * the first call, which sets the starting point.
   */
  long[] sample() {
    long[] used = new long[groups.size()];
    for (int i = 0; i < used.length; i++) {
      Group g = groups.get(i);
      used[i] = g.measured() ? g.counter().next(g.find().get()) : 0;
    }
    return used;
  }

  /** Cores each group used over {@code seconds}; null where it is not measured. */
  Double[] cores(long[] ticks, double seconds) {
    Double[] cores = new Double[ticks.length];
    for (int i = 0; i < ticks.length; i++) {
      cores[i] =
          groups.get(i).measured() && seconds > 0
              ? Benchmark.round(ticks[i] / (double) ProcessCpu.TICKS_PER_SECOND / seconds)
              : null;
    }
    return cores;
  }

  int index(String name) {
    for (int i = 0; i < groups.size(); i++) {
      if (groups.get(i).name().equals(name)) {
        return i;
      }
    }
    throw new IllegalArgumentException(name);
  }

  /** How each group is measured, for the results. */
  Map<String, Object> description() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put(
        "source",
        "utime + stime of /proc/<pid>/stat, sampled once a second, per pid (processes that appear count from 0, "
            + "those that vanish up to their last sample)");
    m.put("clockTicksPerSecond", ProcessCpu.TICKS_PER_SECOND);
    Map<String, Object> byGroup = new LinkedHashMap<>();
    for (Group g : groups) {
      byGroup.put(g.name(), g.measured() ? g.processes() : "unavailable: " + g.unavailable());
    }
    m.put("processes", byGroup);
    m.put("totalCovers", totalCovers());
    m.put(
        "note",
        "PostgreSQL and broker figures include whatever else uses the same server; the load generator is not in the total");
    return m;
  }

  /**
   * The groups the total (cpuMsPerIssue) is over: the nodes, PostgreSQL and the broker, where
   * measured.
   */
  List<String> totalCovers() {
    return groups.stream().filter(g -> g.inTotal() && g.measured()).map(Group::name).toList();
  }

  /**
   * A phase's CPU: per group and in total, in seconds, average cores and milliseconds per accepted
   * issue.
   */
  Map<String, Object> figures(long[] ticks, double seconds, long accepted) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("wallSeconds", Benchmark.round(seconds));
    m.put("acceptedIssues", accepted);
    Map<String, Object> byProcess = new LinkedHashMap<>();
    long total = 0;
    for (int i = 0; i < groups.size(); i++) {
      Group g = groups.get(i);
      if (!g.measured()) {
        byProcess.put(g.name(), Map.of("unavailable", g.unavailable()));
        continue;
      }
      byProcess.put(g.name(), use(ticks[i], seconds, accepted));
      if (g.inTotal()) {
        total += ticks[i];
      }
    }
    m.put("byProcess", byProcess);
    Map<String, Object> totals = use(total, seconds, accepted);
    m.put("totalCpuSeconds", totals.get("cpuSeconds"));
    m.put("totalAverageCores", totals.get("averageCores"));
    m.put("cpuMsPerIssue", totals.get("cpuMsPerIssue"));
    m.put("totalCovers", totalCovers());
    return m;
  }

  private static Map<String, Object> use(long ticks, double seconds, long accepted) {
    double cpuSeconds = ticks / (double) ProcessCpu.TICKS_PER_SECOND;
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("cpuSeconds", Benchmark.round(cpuSeconds));
    m.put("averageCores", seconds > 0 ? Benchmark.round(cpuSeconds / seconds) : null);
    m.put("cpuMsPerIssue", accepted > 0 ? Benchmark.round(cpuSeconds * 1000 / accepted) : null);
    return m;
  }
}
