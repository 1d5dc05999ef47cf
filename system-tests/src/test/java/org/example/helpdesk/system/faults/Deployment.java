package org.example.helpdesk.system.faults;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.example.helpdesk.testsupport.NodeProcess;
import org.example.helpdesk.testsupport.Sql;
import org.example.helpdesk.testsupport.TestBroker;
import org.example.helpdesk.testsupport.TestPostgres;

/**
 * Customer and backoffice nodes as separate processes, each service its own cluster, on the test
 * database (fresh schemas) and broker, wired by the environment variables an operator would set.
 */
final class Deployment implements AutoCloseable {

  private static final java.nio.file.Path ROOT =
      java.nio.file.Path.of("..").toAbsolutePath().normalize();

  final String customerSchema = TestPostgres.newSchemaName("customer");
  final String backofficeSchema = TestPostgres.newSchemaName("backoffice");

  /** Marks the nodes' database connections, so that a test can cut exactly those. */
  final String applicationName = "fault-" + UUID.randomUUID().toString().substring(0, 8);

  final Sql customerSql = new Sql(customerSchema);
  final Sql backofficeSql = new Sql(backofficeSchema);
  final List<NodeProcess> customers = new ArrayList<>();
  final List<NodeProcess> backoffices = new ArrayList<>();

  static Deployment start(int customerNodes, int backofficeNodes) {
    TestBroker.deleteQueuesAndExchanges(org.example.helpdesk.system.InboxQueues.all(), List.of());
    Deployment d = new Deployment();
    d.cluster("customer", "customer-node", customerNodes, d.customerSchema, d.customers);
    d.cluster("backoffice", "backoffice-node", backofficeNodes, d.backofficeSchema, d.backoffices);
    // the first node of each cluster first (it forms the cluster), then the others together
    for (List<NodeProcess> nodes : List.of(d.backoffices, d.customers)) {
      nodes.get(0).start();
    }
    for (List<NodeProcess> nodes : List.of(d.backoffices, d.customers)) {
      nodes.get(0).awaitHealthy(Duration.ofSeconds(90));
    }
    for (List<NodeProcess> nodes : List.of(d.backoffices, d.customers)) {
      nodes.stream().skip(1).forEach(NodeProcess::start);
    }
    for (List<NodeProcess> nodes : List.of(d.backoffices, d.customers)) {
      nodes.stream().skip(1).forEach(n -> n.awaitHealthy(Duration.ofSeconds(90)));
    }
    // a health answer from another process on the same port must not pass for this node's
    for (List<NodeProcess> nodes : List.of(d.backoffices, d.customers)) {
      for (NodeProcess n : nodes) {
        if (!n.isAlive()) {
          throw new IllegalStateException(n.name + " is not running; it ended:\n" + n.tail(20));
        }
      }
    }
    return d;
  }

  private void cluster(
      String kind, String module, int nodes, String schema, List<NodeProcess> into) {
    List<Integer> clusterPorts = new ArrayList<>();
    List<Integer> httpPorts = new ArrayList<>();
    for (int i = 0; i < nodes; i++) {
      clusterPorts.add(freePort());
      httpPorts.add(freePort());
    }
    String seeds =
        clusterPorts.stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(","));
    for (int i = 0; i < nodes; i++) {
      Map<String, String> env = new HashMap<>();
      String url = TestPostgres.jdbcUrl();
      env.put(
          "DATABASE_URL",
          url + (url.contains("?") ? "&" : "?") + "ApplicationName=" + applicationName);
      env.put("DATABASE_USER", TestPostgres.user());
      env.put("DATABASE_PASSWORD", TestPostgres.password());
      env.put("DATABASE_SCHEMA", schema);
      env.put("AMQP_URI", TestBroker.amqpUri());
      env.put("HTTP_HOST", "127.0.0.1");
      env.put("HTTP_PORT", String.valueOf(httpPorts.get(i)));
      env.put("HTTP_ASK_TIMEOUT", "3s");
      env.put("CLUSTER_HOST", "127.0.0.1");
      env.put("CLUSTER_PORT", String.valueOf(clusterPorts.get(i)));
      env.put("SEED_NODES", seeds);
      env.put("EMPLOYEES", org.example.helpdesk.testsupport.TestEmployees.ENTRIES);
      env.put("SESSION_SECRET", "fault-injection-session-secret-of-32-bytes");
      String name = kind + "-" + (i + 1) + "-" + applicationName;
      into.add(
          new NodeProcess(
              name,
              ROOT,
              module,
              httpPorts.get(i),
              List.of("-Xmx256m", "-XX:+UseSerialGC"),
              env,
              ROOT.resolve("system-tests/target/fault-logs/" + name + ".log")));
    }
  }

  List<String> customerUrls() {
    return customers.stream().map(NodeProcess::url).toList();
  }

  /** Ends every database connection of the nodes, as a failover or a network cut would. */
  int cutDatabaseConnections() {
    return (int)
        customerSql.count(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = ?",
            applicationName);
  }

  @Override
  public void close() {
    customers.forEach(NodeProcess::close);
    backoffices.forEach(NodeProcess::close);
    TestPostgres.dropSchema(customerSchema);
    TestPostgres.dropSchema(backofficeSchema);
  }

  private static int freePort() {
    return org.example.helpdesk.testsupport.FreePorts.next();
  }
}
