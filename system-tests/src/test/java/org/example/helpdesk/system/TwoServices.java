package org.example.helpdesk.system;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.example.helpdesk.backoffice.BackofficeNode;
import org.example.helpdesk.customer.CustomerNode;
import org.example.helpdesk.protocol.DistributedEvents;
import org.example.helpdesk.testsupport.HttpTestClient;
import org.example.helpdesk.testsupport.NodeExtension;
import org.example.helpdesk.testsupport.Sql;
import org.example.helpdesk.testsupport.TcpProxy;
import org.example.helpdesk.testsupport.TestBroker;
import org.example.helpdesk.testsupport.TestNodes;
import org.example.helpdesk.testsupport.TestPostgres;

/**
 * A customer node and a backoffice node: separate actor systems and clusters, separate schemas,
 * talking only through the broker. A test class declares them in one line,
 * {@code @RegisterExtension static final TwoServices services = new TwoServices();} (see {@link
 * NodeExtension}), or {@link #behindProxies()} to cut and black-hole their database and broker, or
 * {@link #mailingTo} to send the customer's mail to a test's SMTP server. Public for the browser
 * tests' fixture, in a package of their own.
 */
public final class TwoServices implements NodeExtension {

  public final String customerSchema = TestPostgres.newSchemaName("customer");
  public final String backofficeSchema = TestPostgres.newSchemaName("backoffice");

  /** Between both nodes and the database, and the broker; null unless {@link #behindProxies}. */
  public final TcpProxy database;

  public final TcpProxy broker;
  public final CustomerNode customerNode;
  public final BackofficeNode backofficeNode;
  public final HttpTestClient customer;
  public final HttpTestClient backoffice;
  public final Sql backofficeSql = new Sql(backofficeSchema);
  public final Sql customerSql = new Sql(customerSchema);

  /** Customer-node settings on top of the test ones (e.g. where its mail goes). */
  private final Config customerOverrides;

  public TwoServices() {
    this(null, null, ConfigFactory.empty());
  }

  /** The customer's mail goes to the SMTP server on this loopback port. */
  public static TwoServices mailingTo(int smtpPort) {
    return new TwoServices(
        null,
        null,
        ConfigFactory.parseString(
            "helpdesk.mail { smtp-url = \"smtp://127.0.0.1:"
                + smtpPort
                + "\", retry-min-backoff = 200ms, retry-max-backoff = 1s, timeout = 2s }"));
  }

  /** Both nodes reach the database and the broker through proxies the test can cut. */
  public static TwoServices behindProxies() {
    URI db = URI.create(TestPostgres.jdbcUrl().substring("jdbc:".length()));
    URI amqp = URI.create(TestBroker.amqpUri());
    return new TwoServices(
        new TcpProxy(db.getHost(), db.getPort()),
        new TcpProxy(amqp.getHost(), amqp.getPort()),
        ConfigFactory.empty());
  }

  private TwoServices(TcpProxy database, TcpProxy broker, Config customerOverrides) {
    this.database = database;
    this.broker = broker;
    this.customerOverrides = customerOverrides;
    TestBroker.deleteQueuesAndExchanges(InboxQueues.all(), List.of());
    // the ticket events of earlier tests would reach this test's customer service
    TestBroker.deleteQueuesAndExchanges(
        List.of(DistributedEvents.CUSTOMER_QUEUE), List.of(DistributedEvents.EVENTS_EXCHANGE));
    backofficeNode = BackofficeNode.start(config(backofficeSchema));
    customerNode = CustomerNode.start(customerOverrides.withFallback(config(customerSchema)));
    customer = new HttpTestClient("127.0.0.1", customerNode.node().httpAddress().getPort());
    backoffice = new HttpTestClient("127.0.0.1", backofficeNode.node().httpAddress().getPort());
  }

  private Config config(String schema) {
    if (database == null) {
      return TestNodes.config(schema);
    }
    String url =
        TestPostgres.jdbcUrl().replaceFirst("//[^/]+/", "//127.0.0.1:" + database.port() + "/");
    String amqp = TestBroker.amqpUri().replaceFirst("@[^/]+/", "@127.0.0.1:" + broker.port() + "/");
    return ConfigFactory.parseMap(Map.of("helpdesk.database.url", url, "helpdesk.amqp.uri", amqp))
        .withFallback(TestNodes.config(schema));
  }

  @Override
  public void close() {
    if (database != null) {
      database.restore();
      broker.restore();
    }
    // both at once: each may wait out a shutdown phase
    CompletableFuture<?> customerStopped = customerNode.node().stop().toCompletableFuture();
    CompletableFuture<?> backofficeStopped = backofficeNode.node().stop().toCompletableFuture();
    CompletableFuture.allOf(customerStopped, backofficeStopped).join();
    if (database != null) {
      database.close();
      broker.close();
    }
    TestPostgres.dropSchema(customerSchema);
    TestPostgres.dropSchema(backofficeSchema);
  }
}
