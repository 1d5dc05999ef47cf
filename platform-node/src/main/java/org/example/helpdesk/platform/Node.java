package org.example.helpdesk.platform;

import com.typesafe.config.Config;
import com.zaxxer.hikari.HikariDataSource;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.management.cluster.bootstrap.ClusterBootstrap;
import org.apache.pekko.management.javadsl.PekkoManagement;
import org.example.helpdesk.amqp.AmqpConnector;
import org.example.helpdesk.platform.changefeed.ChangeFeeds;
import org.example.helpdesk.platform.cluster.BrokerLink;
import org.example.helpdesk.platform.cluster.HealthRoutes;
import org.example.helpdesk.platform.cluster.ManagementReadiness;
import org.example.helpdesk.platform.config.ClusterDiscovery;
import org.example.helpdesk.platform.config.NodeConfig;
import org.example.helpdesk.platform.db.ConnectionPools;
import org.example.helpdesk.platform.db.Database;
import org.example.helpdesk.platform.db.DatabaseSettings;
import org.example.helpdesk.platform.db.SqlMetrics;
import org.example.helpdesk.platform.http.HttpServer;
import org.example.helpdesk.platform.http.RequestRules;
import org.example.helpdesk.platform.metrics.HttpMetrics;
import org.example.helpdesk.platform.metrics.NodeMetrics;
import org.example.helpdesk.platform.metrics.RouteTemplates;
import org.example.helpdesk.platform.support.Secrets;
import org.example.helpdesk.platform.support.StartupFailure;
import org.example.helpdesk.platform.tracing.Tracing;
import org.example.helpdesk.platform.web.WebRoutes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every node of every service has: its configuration, its schema (migrated before anything
 * else starts), its actor system (a member of the service's own cluster) and, once the service's
 * features are wired, its HTTP server. Shutting the actor system down releases all of it.
 */
public final class Node {

  private static final Logger log = LoggerFactory.getLogger(Node.class);

  private final Config config;
  private final Database database;
  private final ActorSystem<Void> system;
  private final AmqpConnector amqp;
  private final NodeMetrics metrics;
  private final BrokerLink brokerLink;
  private volatile ServerBinding binding;

  private Node(Config config, Database database, ActorSystem<Void> system, AmqpConnector amqp) {
    this.config = config;
    this.database = database;
    this.system = system;
    this.amqp = amqp;
    this.metrics =
        new NodeMetrics(
            new SqlMetrics(
                database.dataSource(),
                config.getDuration("helpdesk.metrics.sql-interval"),
                config.getString("helpdesk.service-name")));
    this.brokerLink =
        new BrokerLink(system, amqp, config.getDuration("helpdesk.health.broker-interval"));
    CoordinatedShutdown.get(system)
        .addTask(
            CoordinatedShutdown.PhaseBeforeActorSystemTerminate(),
            "stop-sql-metrics-and-broker-link",
            () -> {
              metrics.sql().close();
              brokerLink.close();
              return CompletableFuture.completedFuture(Done.getInstance());
            });
    ConnectionPools pools = ConnectionPools.get(system);
    pools.add("node", () -> (HikariDataSource) database.dataSource());
    pools.register(metrics.registry());
  }

  /**
   * Loads the configuration, migrates the node's schema and starts its actor system.
   *
   * @param resource the service's configuration resource (see {@link NodeConfig})
   * @param migrations Flyway locations of the service's schema
   */
  public static Node start(String resource, Config overrides, String... migrations) {
    // every setting checked before anything starts (StartupFailure naming each bad one)
    Config config = NodeConfig.loadChecked(resource, overrides);
    String name = config.getString("helpdesk.service-name");
    DatabaseSettings dbSettings = DatabaseSettings.from(config);
    ListenChecks.checkPortsFree(config);
    log.info(
        "Starting {} with {} and broker {}",
        name,
        dbSettings,
        Secrets.redact(config.getString("helpdesk.amqp.uri")));
    // a database that refuses the node ends the start here; one that is not up yet is waited for
    Database.awaitReachable(dbSettings);
    Database database = Database.connect(dbSettings, name);
    ActorSystem<Void> system;
    try {
      database.migrate(migrations);
      system = ActorSystem.create(Behaviors.empty(), name, config);
    } catch (RuntimeException e) {
      database.close();
      throw ListenChecks.bindFailure(
              e,
              "the cluster's remoting (CLUSTER_HOST or CLUSTER_BIND_HOST, CLUSTER_PORT)",
              ListenChecks.remotingHost(config),
              ListenChecks.remotingPort(config))
          .orElseThrow(() -> e);
    }
    Tracing.get(system); // configured now: a wrong OTEL_* setting stops the node at start
    if (ClusterDiscovery.bootstraps(config)) {
      bootstrap(system, config);
    } else if (config.getList("pekko.cluster.seed-nodes").isEmpty()) {
      Cluster cluster = Cluster.get(system);
      cluster.manager().tell(Join.create(cluster.selfMember().address()));
    }
    AmqpConnector amqp =
        new AmqpConnector(
            config.getString("helpdesk.amqp.uri"),
            name
                + "@"
                + config.getString("helpdesk.cluster.host")
                + ":"
                + config.getInt("helpdesk.cluster.port"));
    CoordinatedShutdown.get(system)
        .addTask(
            CoordinatedShutdown.PhaseBeforeActorSystemTerminate(),
            "close-database-pool",
            () -> {
              database.close();
              return CompletableFuture.completedFuture(Done.getInstance());
            });
    return new Node(config, database, system, amqp);
  }

  /**
   * Serves Pekko Management (the bootstrap's contact point, {@code /ready} and {@code /alive}) and
   * starts Cluster Bootstrap: it asks the discovery method for the other nodes' management
   * endpoints, and joins the cluster they are in, or forms one with them once enough agree.
   */
  private static void bootstrap(ActorSystem<Void> system, Config config) {
    org.apache.pekko.actor.ActorSystem classic = Adapter.toClassic(system);
    try {
      PekkoManagement.get(classic).start().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      system.terminate();
      String host = config.getString("pekko.management.http.bind-hostname");
      int port = config.getInt("pekko.management.http.port");
      throw ListenChecks.bindFailure(
              e, "Pekko Management (CLUSTER_BIND_HOST, MANAGEMENT_PORT)", host, port)
          .orElseGet(
              () ->
                  new StartupFailure(
                      "could not start Pekko Management on "
                          + host
                          + ":"
                          + port
                          + ": "
                          + Secrets.redact(String.valueOf(ListenChecks.rootCause(e))),
                      StartupFailure.COULD_NOT_START,
                      e));
    }
    ClusterBootstrap.get(classic).start();
    log.info(
        "Cluster Bootstrap: finding the nodes of {} by {} discovery",
        system.name(),
        config.getString("pekko.discovery.method"));
  }

  /**
   * Starts following these tables of the node's schema in commit order, woken by their writes
   * (settings {@code helpdesk.change-feed}); stopped with the node.
   */
  public ChangeFeeds changeFeeds(String... tables) {
    ChangeFeeds feeds =
        ChangeFeeds.start(
            system,
            database,
            metrics.registry(),
            metrics.sql(),
            config.getConfig("helpdesk.change-feed"),
            tables);
    CoordinatedShutdown.get(system)
        .addTask(
            CoordinatedShutdown.PhaseBeforeActorSystemTerminate(),
            "stop-change-notifications",
            () -> {
              feeds.close();
              return CompletableFuture.completedFuture(Done.getInstance());
            });
    return feeds;
  }

  /** Serves the service's routes, health and metrics; returns once the port is bound. */
  public ServerBinding serve(Route routes, List<HealthRoutes.Check> readinessChecks) {
    return serve(routes, readinessChecks, metricsRoutes -> metricsRoutes);
  }

  /**
   * As {@link #serve(Route, List)}, with {@code /metrics} behind {@code guardMetrics} (for example
   * open on the loopback address only, or to signed-in users).
   */
  public ServerBinding serve(
      Route routes,
      List<HealthRoutes.Check> readinessChecks,
      java.util.function.UnaryOperator<Route> guardMetrics) {
    return serve(routes, readinessChecks, guardMetrics, RouteTemplates.of(List.of()));
  }

  /**
   * As {@link #serve(Route, List, java.util.function.UnaryOperator)}, with the templates of the
   * routes, by which request metrics name them (a path none matches counts as {@value
   * RouteTemplates#UNMATCHED}).
   */
  public ServerBinding serve(
      Route routes,
      List<HealthRoutes.Check> readinessChecks,
      java.util.function.UnaryOperator<Route> guardMetrics,
      RouteTemplates templates) {
    HttpMetrics httpMetrics = new HttpMetrics(metrics.registry(), templates);
    List<HealthRoutes.Check> checks = new ArrayList<>();
    checks.add(new HealthRoutes.Check("database", () -> database.run(c -> c.isValid(1))));
    checks.add(HealthRoutes.Check.broker(brokerLink));
    checks.addAll(readinessChecks);
    HealthRoutes health = new HealthRoutes(system, checks);
    ManagementReadiness.register(Adapter.toClassic(system), health::isReady);
    Route all =
        new AllDirectives() {}.concat(
            routes, health.routes(), guardMetrics.apply(metrics.routes()), WebRoutes.assets());
    try {
      binding =
          HttpServer.start(
                  system,
                  config.getString("helpdesk.http.host"),
                  config.getInt("helpdesk.http.port"),
                  maxBodyBytes(),
                  List.copyOf(largerBodies),
                  all,
                  Tracing.get(system),
                  httpMetrics::instrument)
              .toCompletableFuture()
              .get(30, TimeUnit.SECONDS);
      return binding;
    } catch (Exception e) {
      system.terminate();
      String host = config.getString("helpdesk.http.host");
      int port = config.getInt("helpdesk.http.port");
      throw ListenChecks.bindFailure(e, "HTTP (HTTP_HOST, HTTP_PORT)", host, port)
          .orElseGet(
              () ->
                  new StartupFailure(
                      "could not serve HTTP on "
                          + host
                          + ":"
                          + port
                          + " (HTTP_HOST, HTTP_PORT): "
                          + Secrets.redact(String.valueOf(ListenChecks.rootCause(e))),
                      StartupFailure.COULD_NOT_START,
                      e));
    }
  }

  public Config config() {
    return config;
  }

  public Database database() {
    return database;
  }

  public ActorSystem<Void> system() {
    return system;
  }

  public AmqpConnector amqp() {
    return amqp;
  }

  public NodeMetrics metrics() {
    return metrics;
  }

  /** Whether the broker answers, kept up to date in the background (see {@link BrokerLink}). */
  public BrokerLink brokerLink() {
    return brokerLink;
  }

  public Tracing tracing() {
    return Tracing.get(system);
  }

  private final List<RequestRules.LargerBody> largerBodies =
      new java.util.concurrent.CopyOnWriteArrayList<>();

  /** Lets one route take a larger body than the node's limit; call it before {@code serve}. */
  public void allowLargerBody(RequestRules.LargerBody larger) {
    largerBodies.add(larger);
  }

  public long maxBodyBytes() {
    return config.getBytes("helpdesk.http.max-body-bytes");
  }

  public Duration askTimeout() {
    return config.getDuration("helpdesk.http.ask-timeout");
  }

  /** The bound HTTP address, once {@link #serve} returned. */
  public InetSocketAddress httpAddress() {
    return binding.localAddress();
  }

  /** Leaves the cluster gracefully and stops everything. */
  public CompletionStage<Done> stop() {
    return CoordinatedShutdown.get(system).runAll(CoordinatedShutdown.unknownReason());
  }
}
