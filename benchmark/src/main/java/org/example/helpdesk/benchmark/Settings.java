package org.example.helpdesk.benchmark;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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
    List<String> nodeJvmOptions,
    Path out) {

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
        --node-jvm 'OPTS'     JVM options of the nodes it starts (default '-Xms256m -Xmx256m')
        --out DIR             where results go (default benchmark/results)
      environment: DATABASE_URL, DATABASE_USER, DATABASE_PASSWORD, AMQP_URI (unset: PostgreSQL and
      RabbitMQ on localhost if they answer, else embedded ones)
      CPU comes from /proc (Linux): each node, every process named postgres, RabbitMQ's beam.smp,
      erl_child_setup and epmd (so whatever else uses PostgreSQL and the broker counts too), and
      this JVM, the load generator (not in the total per issue)
      """;

  static Settings parse(String[] args) {
    Map<String, String> a = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      String key = args[i];
      if (key.equals("--find-max") || key.equals("--help")) {
        a.put(key, "true");
      } else if (i + 1 < args.length) {
        a.put(key, args[++i]);
      } else {
        throw new IllegalArgumentException("missing value for " + key);
      }
    }
    if (a.containsKey("--help")) {
      System.out.println(USAGE);
      System.exit(0);
    }
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
        List.of(a.getOrDefault("--node-jvm", "-Xms256m -Xmx256m").trim().split("\\s+")),
        Path.of(a.getOrDefault("--out", "benchmark/results")));
  }
}
