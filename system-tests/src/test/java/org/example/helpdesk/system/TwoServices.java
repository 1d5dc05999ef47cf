package org.example.helpdesk.system;

import java.util.List;
import org.example.helpdesk.backoffice.BackofficeNode;
import org.example.helpdesk.customer.CustomerNode;
import org.example.helpdesk.protocol.AmqpTopology;
import org.example.helpdesk.testsupport.HttpTestClient;
import org.example.helpdesk.testsupport.Sql;
import org.example.helpdesk.testsupport.TestBroker;
import org.example.helpdesk.testsupport.TestNodes;
import org.example.helpdesk.testsupport.TestPostgres;

/**
 * A customer node and a backoffice node: separate actor systems and clusters, separate schemas,
 * talking only through the broker.
 */
final class TwoServices implements AutoCloseable {

  final String customerSchema = TestPostgres.newSchemaName("customer");
  final String backofficeSchema = TestPostgres.newSchemaName("backoffice");
  final CustomerNode customerNode;
  final BackofficeNode backofficeNode;
  final HttpTestClient customer;
  final HttpTestClient backoffice;
  final Sql backofficeSql = new Sql(backofficeSchema);
  final Sql customerSql = new Sql(customerSchema);

  TwoServices() {
    TestBroker.deleteQueuesAndExchanges(List.of(AmqpTopology.BACKOFFICE_QUEUE), List.of());
    backofficeNode = BackofficeNode.start(TestNodes.config(backofficeSchema));
    customerNode = CustomerNode.start(TestNodes.config(customerSchema));
    customer = new HttpTestClient("127.0.0.1", customerNode.node().httpAddress().getPort());
    backoffice = new HttpTestClient("127.0.0.1", backofficeNode.node().httpAddress().getPort());
  }

  @Override
  public void close() {
    customerNode.node().stop().toCompletableFuture().join();
    backofficeNode.node().stop().toCompletableFuture().join();
    TestPostgres.dropSchema(customerSchema);
    TestPostgres.dropSchema(backofficeSchema);
  }
}
