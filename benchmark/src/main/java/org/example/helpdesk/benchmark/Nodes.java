package org.example.helpdesk.benchmark;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.example.helpdesk.testsupport.FreePorts;
import org.example.helpdesk.testsupport.NodeProcess;

/**
 * The nodes of one service as processes, joined in one Pekko cluster (every node has every node in
 * SEED_NODES, as an operator would configure them), each with its own HTTP and cluster port, and,
 * with a CPU quota, each in a cgroup of its own from right after its start.
 */
final class Nodes implements AutoCloseable {

  final String module;
  final String schema;
  final List<NodeProcess> processes = new ArrayList<>();
  private final CpuQuota quota;

  /**
   * @param module customer-node or backoffice-node
   * @param quota null: the nodes run uncapped
   */
  Nodes(Settings s, Infra infra, String module, String schema, int count, CpuQuota quota)
      throws IOException {
    this.module = module;
    this.schema = schema;
    this.quota = quota;
    List<Integer> clusterPorts = new ArrayList<>();
    List<Integer> httpPorts = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      clusterPorts.add(FreePorts.next());
      httpPorts.add(FreePorts.next());
    }
    String seeds =
        count == 1
            ? ""
            : clusterPorts.stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(","));
    for (int i = 0; i < count; i++) {
      Map<String, String> env = new HashMap<>();
      env.put("DATABASE_URL", infra.databaseUrl());
      env.put("DATABASE_USER", infra.user());
      env.put("DATABASE_PASSWORD", infra.password());
      env.put("DATABASE_SCHEMA", schema);
      env.put("AMQP_URI", infra.amqpUri());
      env.put("HTTP_HOST", "127.0.0.1");
      env.put("HTTP_PORT", String.valueOf(httpPorts.get(i)));
      env.put("CLUSTER_HOST", "127.0.0.1");
      env.put("CLUSTER_PORT", String.valueOf(clusterPorts.get(i)));
      env.put("SEED_NODES", seeds);
      // the return flow: the backoffice's relay of ticket events (the customer node ignores it)
      env.put("TICKET_EVENTS_ENABLED", String.valueOf(s.returnFlow()));
      String name = module + "-" + (i + 1) + "-" + schema;
      processes.add(
          new NodeProcess(
              name,
              root(),
              module,
              httpPorts.get(i),
              s.nodeJvmOptions(),
              env,
              s.out().resolve("logs/" + name + ".log")));
    }
  }

  /**
   * Where the node jars are ({@code <root>/<module>/target/<module>.jar}): the working directory
   * (./bench.sh runs from the repository's root), or the system property {@code
   * helpdesk.bench.root} (the benchmark's own tests, which run in benchmark/).
   */
  static Path root() {
    return Path.of(System.getProperty("helpdesk.bench.root", "")).toAbsolutePath().normalize();
  }

  /**
   * Starts every node at once (the first seed forms the cluster, the others join it), caps each
   * right after its start, and waits until all are Up members that serve HTTP.
   */
  Nodes start(Duration timeout) throws IOException {
    for (int i = 0; i < processes.size(); i++) {
      NodeProcess node = processes.get(i);
      node.start();
      if (quota != null) {
        quota.hold(schema + "-" + (i + 1), node.pid());
      }
    }
    for (NodeProcess node : processes) {
      node.awaitHealthy(timeout);
    }
    // a health answer from another process on the same port must not pass for this node's
    for (NodeProcess node : processes) {
      if (!node.isAlive()) {
        throw new IllegalStateException(node.name + " is not running; it ended:\n" + node.tail(20));
      }
    }
    return this;
  }

  /** Waits until every node's /health/ready answers 200 (it serves and its dependencies answer). */
  void awaitReady(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (NodeProcess node : processes) {
      while (node.status("/health/ready") != 200) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(node.name + " not ready within " + timeout);
        }
        Thread.sleep(100);
      }
    }
  }

  List<String> urls() {
    return processes.stream().map(NodeProcess::url).toList();
  }

  List<Long> pids() {
    return processes.stream().map(NodeProcess::pid).toList();
  }

  int size() {
    return processes.size();
  }

  /**
   * SIGTERM to each node still running (some may never have started), waiting for each: they leave
   * the cluster in their own time.
   */
  void stop() {
    for (NodeProcess node : processes) {
      if (node.isAlive()) {
        node.stop();
      }
    }
  }

  @Override
  public void close() {
    stop();
  }
}
