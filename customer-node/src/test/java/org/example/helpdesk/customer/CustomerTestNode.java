package org.example.helpdesk.customer;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.List;
import org.example.helpdesk.amqp.BrokerTopology;
import org.example.helpdesk.protocol.AmqpTopology;
import org.example.helpdesk.testsupport.HttpTestClient;
import org.example.helpdesk.testsupport.NodeExtension;
import org.example.helpdesk.testsupport.OutboxQueries;
import org.example.helpdesk.testsupport.Sql;
import org.example.helpdesk.testsupport.TestBroker;
import org.example.helpdesk.testsupport.TestNodes;
import org.example.helpdesk.testsupport.TestPostgres;

/**
 * A customer node on the test database (own schema) and broker (empty queue), and its tools.
 *
 * <p>A test class declares it in one line, {@code @RegisterExtension static final CustomerTestNode
 * node = new CustomerTestNode();}: it starts there and stops after the class's last test (see
 * {@link NodeExtension}).
 */
public final class CustomerTestNode implements NodeExtension {

  public final String schema;
  public final CustomerNode node;
  public final HttpTestClient http;

  /** The node's admin API client: {@code Authorization: Bearer} the test admin token. */
  public final HttpTestClient admin;

  public final Sql sql;

  public CustomerTestNode() {
    this(TestPostgres.newSchemaName("customer"), ConfigFactory.empty());
  }

  public CustomerTestNode(String schema, Config overrides) {
    this.schema = schema;
    this.sql = new Sql(schema);
    TestBroker.deleteQueuesAndExchanges(
        List.of(AmqpTopology.BACKOFFICE_QUEUE, AmqpTopology.partitionQueue(0)), List.of());
    // the backoffice's topology with one partition: every command lands in one queue, in order
    TestBroker.withChannel(CustomerTestNode::declareBackofficeQueue);
    node = CustomerNode.start(overrides.withFallback(TestNodes.config(schema)));
    http = new HttpTestClient("127.0.0.1", node.node().httpAddress().getPort());
    admin = http.withAuthorization("Bearer " + TestNodes.ADMIN_TOKEN);
  }

  /** The queue where the backoffice would take every command from: one partition of one. */
  public static final String BACKOFFICE_QUEUE = AmqpTopology.partitionQueue(0);

  public static void declareBackofficeQueue(com.rabbitmq.client.Channel channel)
      throws java.io.IOException {
    BrokerTopology.declare(channel);
    BrokerTopology.declarePartition(channel, 0, 1);
  }

  /** Issues with outbox entries the relay has not recorded as published. */
  public long issuesWithPendingEntries() {
    return sql.count(OutboxQueries.ISSUES_WITH_PENDING_ENTRIES);
  }

  @Override
  public void close() {
    node.node().stop().toCompletableFuture().join();
    TestPostgres.dropSchema(schema);
  }
}
