package org.example.helpdesk.benchmark;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** What to run: the command line, with defaults. */
record Settings(
    int rate,
    Duration duration,
    boolean findMax,
    int startRate,
    Duration stepDuration,
    double closeRatio,
    int maxInFlight,
    int dbConcurrency,
    int confirmWindow,
    Duration baselineDuration,
    Duration warmup,
    Duration idle,
    String customerUrl,
    String backofficeDatabaseUrl,
    String customerDatabaseUrl,
    boolean returnFlow,
    List<String> nodeJvmOptions,
    Path out,
    int customerNodes,
    int backofficeNodes,
    double cpuQuota,
    int drain,
    boolean scaleCurve,
    List<Integer> curveNodes,
    int repeat,
    int fillRate,
    Duration drainTimeout,
    Path cgroupCpu,
    boolean help) {

  /** Options that take no value. */
  private static final Set<String> FLAGS = Set.of("--find-max", "--scale-curve", "--help");

  private static final Set<String> WITH_VALUE =
      Set.of(
          "--rate",
          "--duration",
          "--start-rate",
          "--step",
          "--close-ratio",
          "--max-in-flight",
          "--db-concurrency",
          "--confirm-window",
          "--baseline",
          "--warmup",
          "--idle",
          "--customer-url",
          "--backoffice-db",
          "--customer-db",
          "--return-flow",
          "--node-jvm",
          "--out",
          "--customer-nodes",
          "--backoffice-nodes",
          "--cpu-quota",
          "--drain",
          "--curve-nodes",
          "--repeat",
          "--fill-rate",
          "--drain-timeout",
          "--cgroup-cpu");

  /** The backlog of --scale-curve when --drain does not say. */
  static final int DEFAULT_CURVE_BACKLOG = 2_000;

  static final String USAGE =
      """
      usage: ./bench.sh [options]
        --rate N              reports per second of the fixed-rate run (default: half the highest
                              sustained rate with --find-max, else half the throughput target,
                              i.e. 3.25 % of the measured single-row commit rate)
        --duration SECONDS    length of the fixed-rate run (default 60)
        --find-max            first search the highest rate the system sustains
        --start-rate N        where the search starts, and the warm-up rate (default 50)
        --step SECONDS        length of each search step (default 15)
        --close-ratio R       share of issues closed right after being reported (default 0.3)
        --max-in-flight N     HTTP requests outstanding at most (default 512)
        --db-concurrency N    connections of the commit-rate baseline (default 16, what both nodes write with)
        --confirm-window N    unconfirmed messages of the publish baseline (default 256, as the relay)
        --baseline SECONDS    length of each baseline (default 10)
        --warmup SECONDS      warm-up before measuring (default 15)
        --idle SECONDS        after the warm-up, how long to measure the CPU the nodes use with no
                              load at all (no requests, /metrics not read) (default 20; 0 skips it)
        --customer-url URL    use a running customer node instead of starting both nodes
        --backoffice-db URL   with --customer-url: JDBC URL of the backoffice schema, to watch its read table
        --customer-db URL     with --customer-url: JDBC URL of the customer schema, to watch the
                              round trip (without it the round trip is not measured)
        --return-flow on|off  on (default): the backoffice publishes the tickets' events and the
                              customer records them; the round trip (201 -> the customer's issue
                              has recorded that support received it) is measured. off: the nodes
                              the benchmark starts run with TICKET_EVENTS_ENABLED=false (the
                              backoffice's relay of ticket events does not run), no round trip
        --node-jvm 'OPTS'     JVM options of the nodes it starts (default '-Xms256m -Xmx256m')
        --out DIR             where results go (default benchmark/results)
      scale-out:
        --customer-nodes N    customer nodes to start, one Pekko cluster (default 1); reports go
                              to them round-robin
        --backoffice-nodes N  backoffice nodes to start, one Pekko cluster (default 1)
        --cpu-quota CORES     hold each node process to this many cores (e.g. 0.25), each with a
                              cgroup v1 cpu group of its own (/sys/fs/cgroup/cpu/<name>,
                              cpu.cfs_quota_us = CORES * cpu.cfs_period_us), removed at the end.
                              Needs a writable cgroup v1 cpu controller (root, or a delegated
                              group): without one the benchmark refuses (exit 2) rather than
                              measure uncapped
        --cgroup-cpu DIR      where the cgroup v1 cpu controller is mounted
                              (default /sys/fs/cgroup/cpu)
        --drain N             drain mode: no baselines, no load run. With the backoffice nodes
                              stopped, N reports are sent through the customer nodes and the relay
                              publishes them all; then the backoffice nodes start and the time from
                              their readiness until the read table holds all N gives reports
                              drained per second, with the backoffice nodes' CPU
        --fill-rate N         reports/s while building the backlog (default 200)
        --drain-timeout SECS  longest wait for a backlog to drain (default 600)
        --scale-curve         --drain (N default 2000) for 1, 2 and 3 backoffice nodes, then a
                              table: nodes, drained/s, ratio to 1 node
        --curve-nodes LIST    the backoffice node counts of --scale-curve (default 1,2,3)
        --repeat K            run --drain / --scale-curve K times; the curve alternates its order
                              (1,2,3 then 3,2,1 ...) and reports the mean of each count (default 1)
      environment: DATABASE_URL, DATABASE_USER, DATABASE_PASSWORD, AMQP_URI (unset: PostgreSQL and
      RabbitMQ on localhost if they answer, else embedded ones)
      CPU comes from /proc (Linux): each node, the PostgreSQL server and the broker that listen on
      the run's ports with all their processes (where not found: every process named postgres,
      RabbitMQ's beam.smp, erl_child_setup and epmd), so whatever else uses the same servers counts
      too, and this JVM, the load generator (not in the total per issue)
      """;

  /**
   * The command line as settings; an unknown option, a missing or bad value or a combination that
   * cannot be run is an {@link IllegalArgumentException} that says which.
   */
  static Settings parse(String[] args) {
    Map<String, String> a = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      String key = args[i];
      if (FLAGS.contains(key)) {
        a.put(key, "true");
      } else if (!WITH_VALUE.contains(key)) {
        throw new IllegalArgumentException("unknown option " + key);
      } else if (i + 1 < args.length) {
        a.put(key, args[++i]);
      } else {
        throw new IllegalArgumentException("missing value for " + key);
      }
    }
    try {
      return check(of(a));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a number: " + e.getMessage(), e);
    }
  }

  private static Settings of(Map<String, String> a) {
    boolean curve = a.containsKey("--scale-curve");
    int drain =
        Integer.parseInt(
            a.getOrDefault("--drain", curve ? String.valueOf(DEFAULT_CURVE_BACKLOG) : "0"));
    return new Settings(
        Integer.parseInt(a.getOrDefault("--rate", "0")),
        Duration.ofSeconds(Long.parseLong(a.getOrDefault("--duration", "60"))),
        a.containsKey("--find-max"),
        Integer.parseInt(a.getOrDefault("--start-rate", "50")),
        Duration.ofSeconds(Long.parseLong(a.getOrDefault("--step", "15"))),
        Double.parseDouble(a.getOrDefault("--close-ratio", "0.3")),
        Integer.parseInt(a.getOrDefault("--max-in-flight", "512")),
        Integer.parseInt(a.getOrDefault("--db-concurrency", "16")),
        Integer.parseInt(a.getOrDefault("--confirm-window", "256")),
        Duration.ofSeconds(Long.parseLong(a.getOrDefault("--baseline", "10"))),
        Duration.ofSeconds(Long.parseLong(a.getOrDefault("--warmup", "15"))),
        Duration.ofSeconds(Long.parseLong(a.getOrDefault("--idle", "20"))),
        a.get("--customer-url"),
        a.get("--backoffice-db"),
        a.get("--customer-db"),
        onOff(a.getOrDefault("--return-flow", "on"), "--return-flow"),
        List.of(a.getOrDefault("--node-jvm", "-Xms256m -Xmx256m").trim().split("\\s+")),
        Path.of(a.getOrDefault("--out", "benchmark/results")),
        Integer.parseInt(a.getOrDefault("--customer-nodes", "1")),
        Integer.parseInt(a.getOrDefault("--backoffice-nodes", "1")),
        Double.parseDouble(a.getOrDefault("--cpu-quota", "0")),
        drain,
        curve,
        Arrays.stream(a.getOrDefault("--curve-nodes", "1,2,3").split(","))
            .map(String::trim)
            .map(Integer::parseInt)
            .toList(),
        Integer.parseInt(a.getOrDefault("--repeat", "1")),
        Integer.parseInt(a.getOrDefault("--fill-rate", "200")),
        Duration.ofSeconds(Long.parseLong(a.getOrDefault("--drain-timeout", "600"))),
        a.containsKey("--cgroup-cpu") ? Path.of(a.get("--cgroup-cpu")) : CpuQuota.V1_CPU,
        a.containsKey("--help"));
  }

  private static boolean onOff(String value, String option) {
    return switch (value) {
      case "on" -> true;
      case "off" -> false;
      default -> throw new IllegalArgumentException(option + " is on or off, not " + value);
    };
  }

  private static Settings check(Settings s) {
    if (s.help) {
      return s;
    }
    require(s.customerNodes >= 1, "--customer-nodes must be at least 1");
    require(s.backofficeNodes >= 1, "--backoffice-nodes must be at least 1");
    require(s.cpuQuota >= 0, "--cpu-quota must be above 0 cores");
    require(
        s.cpuQuota == 0 || s.cpuQuota >= 0.01,
        "--cpu-quota below 0.01 cores is under the kernel's 1 ms per 100 ms period");
    require(s.drain >= 0, "--drain must be a positive number of reports");
    require(s.repeat >= 1, "--repeat must be at least 1");
    require(s.fillRate >= 1, "--fill-rate must be at least 1");
    require(
        !s.drainTimeout.isNegative() && !s.drainTimeout.isZero(), "--drain-timeout must be > 0");
    require(
        !s.curveNodes.isEmpty() && s.curveNodes.stream().allMatch(n -> n >= 1),
        "--curve-nodes must list node counts of at least 1");
    require(
        s.customerUrl == null || (s.customerNodes == 1 && s.backofficeNodes == 1),
        "--customer-url uses running nodes: --customer-nodes and --backoffice-nodes do not apply");
    require(
        s.customerUrl == null || s.cpuQuota == 0,
        "--customer-url uses running nodes: --cpu-quota caps only nodes the benchmark starts");
    require(
        s.customerUrl == null || s.drain == 0, "--drain starts its own nodes: no --customer-url");
    require(!s.findMax || s.drain == 0, "--find-max and --drain are different modes");
    return s;
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }

  /** Whether this run drains fixed backlogs instead of the load runs. */
  boolean drainMode() {
    return drain > 0;
  }

  /** Whether the nodes are capped. */
  boolean capped() {
    return cpuQuota > 0;
  }
}
