package org.example.helpdesk.backoffice;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.rabbitmq.client.AMQP;
import java.time.Instant;
import java.util.List;
import org.example.helpdesk.protocol.AmqpTopology;
import org.example.helpdesk.protocol.CommandMessage;
import org.example.helpdesk.protocol.DistributedCommand;
import org.example.helpdesk.protocol.amqp.OutboundMessage;
import org.example.helpdesk.testsupport.HttpTestClient;
import org.example.helpdesk.testsupport.Sql;
import org.example.helpdesk.testsupport.TestBroker;
import org.example.helpdesk.testsupport.TestNodes;
import org.example.helpdesk.testsupport.TestPostgres;

/** A backoffice node on the test database (own schema) and broker (empty queue), and its tools. */
public final class BackofficeTestNode implements AutoCloseable {

  public final String schema = TestPostgres.newSchemaName("backoffice");
  public final BackofficeNode node;
  public final HttpTestClient http;
  public final Sql sql = new Sql(schema);

  public BackofficeTestNode() {
    TestBroker.deleteQueuesAndExchanges(List.of(AmqpTopology.BACKOFFICE_QUEUE), List.of());
    node = BackofficeNode.start(TestNodes.config(schema));
    http = new HttpTestClient("127.0.0.1", node.node().httpAddress().getPort());
  }

  /** Publishes a command the way the customer service does, and waits for the broker's confirm. */
  public static void publish(DistributedCommand command, String messageId) {
    OutboundMessage m = CommandMessage.toBackoffice(command, messageId, "test-correlation", Instant.now());
    publishRaw(m.properties(), m.body());
  }

  public static void publishRaw(AMQP.BasicProperties properties, byte[] body) {
    TestBroker.withChannel(
        channel -> {
          AmqpTopology.declare(channel);
          channel.confirmSelect();
          channel.basicPublish(AmqpTopology.COMMANDS_EXCHANGE, AmqpTopology.BACKOFFICE_ROUTING_KEY, true, properties, body);
          channel.waitForConfirmsOrDie(10_000);
        });
  }

  public static void publishRaw(String type, String messageId, String body) {
    publishRaw(new AMQP.BasicProperties.Builder().type(type).messageId(messageId).deliveryMode(2).build(), body.getBytes(UTF_8));
  }

  @Override
  public void close() {
    node.node().stop().toCompletableFuture().join();
    TestPostgres.dropSchema(schema);
  }
}
