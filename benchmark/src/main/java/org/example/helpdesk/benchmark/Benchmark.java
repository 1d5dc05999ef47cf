package org.example.helpdesk.benchmark;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * End-to-end benchmark of the helpdesk: issues reported over HTTP at a fixed rate, until their
 * tickets are visible in the backoffice read table, measured against what the same PostgreSQL and
 * broker allow on this machine in the same run, with the CPU each process spends per issue and at
 * rest.
 *
 * <p>This class is the entry point, the targets and what both modes share; the modes are {@link
 * RateRun} (the default: load at fixed rates) and {@link Drain} (--drain: a backlog worked off).
 */
public final class Benchmark {

  /** The performance targets. */
  static final double TARGET_SUSTAINED_PER_SECOND = 1_000;

  static final double TARGET_RATIO_TO_COMMIT_RATE = 0.065;
  static final double TARGET_END_TO_END_P99_MS = 100;
  static final double TARGET_HTTP_P99_MS = 20;
  static final double TARGET_CPU_MS_PER_ISSUE = 1.5;
  static final double TARGET_IDLE_CORES_BOTH_NODES = 0.05;
  static final long TARGET_RSS_MIB = 512;

  /** "No growth": RSS after the fixed-rate run at most this much above RSS before it. */
  static final double TARGET_RSS_GROWTH_SHARE = 0.10;

  private Benchmark() {}

  public static void main(String[] args) throws Exception {
    System.setProperty("java.awt.headless", "true");
    Settings settings;
    try {
      settings = Settings.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("bench: " + e.getMessage() + " (./bench.sh --help lists the options)");
      System.exit(2);
      return;
    }
    if (settings.help()) {
      System.out.println(Settings.USAGE);
      System.exit(0);
    }
    CpuQuota quota = null;
    if (settings.capped()) {
      Optional<String> unavailable = CpuQuota.unavailable(settings.cgroupCpu());
      if (unavailable.isPresent()) {
        System.err.println(
            "bench: --cpu-quota refused: "
                + unavailable.get()
                + ". Not measuring uncapped instead: leave --cpu-quota out for an uncapped run.");
        System.exit(2);
      }
      quota =
          new CpuQuota(
              settings.cgroupCpu(),
              settings.cpuQuota(),
              "helpdesk-bench-" + ProcessHandle.current().pid());
    }
    int status;
    try {
      status = settings.drainMode() ? Drain.run(settings, quota) : RateRun.run(settings, quota);
    } finally {
      if (quota != null) {
        quota.close();
      }
    }
    System.exit(status);
  }

  static void purgeQueue(Infra infra) throws Exception {
    ConnectionFactory factory = new ConnectionFactory();
    factory.setUri(infra.amqpUri());
    try (Connection c = factory.newConnection("benchmark-setup")) {
      // the seed's queue and every partition queue there can be (a failed delete closes the
      // channel: one channel each)
      List<String> queues = new ArrayList<>(List.of("backoffice_service"));
      for (int p = 0; p < 64; p++) {
        queues.add("backoffice_service.p" + p);
      }
      for (String queue : queues) {
        var channel = c.createChannel();
        try {
          channel.queueDelete(queue);
          channel.close();
        } catch (IOException e) {
          // no such queue
        }
      }
    }
  }

  static String withSchema(String url, String schema) {
    return url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
  }

  static double ms(org.HdrHistogram.Histogram h, double percentile) {
    return h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(percentile) / 1000.0;
  }

  static double round(double value) {
    return Math.round(value * 1000) / 1000.0;
  }

  static void log(String line) {
    System.out.println("[bench] " + line);
  }
}
