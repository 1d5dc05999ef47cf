package org.example.helpdesk.launcher;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.example.helpdesk.backoffice.BackofficeNode;
import org.example.helpdesk.customer.CustomerNode;

/**
 * A customer node and a backoffice node in one JVM. They stay separate services: separate actor
 * systems and clusters, separate schemas, and they talk only through the broker.
 */
final class AllInOne implements AutoCloseable {

  final BackofficeNode backoffice;
  final CustomerNode customer;

  private AllInOne(BackofficeNode backoffice, CustomerNode customer) {
    this.backoffice = backoffice;
    this.customer = customer;
  }

  static AllInOne start(Infrastructure infra, Ports ports, Config common) {
    BackofficeNode backoffice =
        BackofficeNode.start(
            common.withFallback(
                overrides(infra, ports.backofficeHttp(), ports.backofficeCluster())));
    try {
      CustomerNode customer =
          CustomerNode.start(
              common
                  .withFallback(
                      ConfigFactory.parseMap(Map.of("helpdesk.mail.smtp-url", infra.smtpUrl)))
                  .withFallback(overrides(infra, ports.customerHttp(), ports.customerCluster())));
      return new AllInOne(backoffice, customer);
    } catch (RuntimeException e) {
      backoffice.node().stop().toCompletableFuture().join();
      throw e;
    }
  }

  /** The ports of both nodes; environment variables such as HTTP_PORT would apply to both. */
  record Ports(int customerHttp, int customerCluster, int backofficeHttp, int backofficeCluster) {
    static Ports from(java.util.function.Function<String, String> env) {
      return new Ports(
          Integer.parseInt(Infrastructure.setting(env, "CUSTOMER_HTTP_PORT", "8081")),
          Integer.parseInt(Infrastructure.setting(env, "CUSTOMER_CLUSTER_PORT", "2551")),
          Integer.parseInt(Infrastructure.setting(env, "BACKOFFICE_HTTP_PORT", "8082")),
          Integer.parseInt(Infrastructure.setting(env, "BACKOFFICE_CLUSTER_PORT", "2552")));
    }
  }

  private static Config overrides(Infrastructure infra, int httpPort, int clusterPort) {
    return ConfigFactory.parseMap(
        Map.of(
            "helpdesk.database.url",
            infra.databaseUrl,
            "helpdesk.database.user",
            infra.databaseUser,
            "helpdesk.database.password",
            infra.databasePassword,
            "helpdesk.amqp.uri",
            infra.amqpUri,
            "helpdesk.http.port",
            httpPort,
            "helpdesk.cluster.host",
            "127.0.0.1",
            "helpdesk.cluster.port",
            clusterPort,
            "helpdesk.cluster.seed-nodes",
            "",
            // the launcher stops the nodes itself, in order, before the embedded infrastructure
            "pekko.coordinated-shutdown.run-by-jvm-shutdown-hook",
            "off"));
  }

  String customerUrl() {
    return "http://localhost:" + customer.node().httpAddress().getPort();
  }

  String backofficeUrl() {
    return "http://localhost:" + backoffice.node().httpAddress().getPort();
  }

  /** Stops the customer node first (it publishes), then the backoffice node (it consumes). */
  @Override
  public void close() {
    await(customer.node().stop());
    await(backoffice.node().stop());
  }

  private static void await(java.util.concurrent.CompletionStage<?> stage) {
    try {
      stage.toCompletableFuture().get(Duration.ofSeconds(30).toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      System.err.println("A node did not stop in time: " + e);
    }
  }
}
