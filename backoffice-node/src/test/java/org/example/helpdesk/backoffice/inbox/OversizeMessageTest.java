package org.example.helpdesk.backoffice.inbox;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.StreamSupport;
import org.example.helpdesk.amqp.BrokerTopology;
import org.example.helpdesk.amqp.CommandMessage;
import org.example.helpdesk.amqp.OutboundMessage;
import org.example.helpdesk.backoffice.BackofficeNode;
import org.example.helpdesk.backoffice.BackofficeTestNode;
import org.example.helpdesk.embedded.EmbeddedAmqpBroker;
import org.example.helpdesk.protocol.AmqpTopology;
import org.example.helpdesk.protocol.Description;
import org.example.helpdesk.protocol.PrepareTicket;
import org.example.helpdesk.protocol.TicketType;
import org.example.helpdesk.testsupport.HttpTestClient;
import org.example.helpdesk.testsupport.Sql;
import org.example.helpdesk.testsupport.TestBroker;
import org.example.helpdesk.testsupport.TestNodes;
import org.example.helpdesk.testsupport.TestPostgres;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Messages larger than the inbox takes, against the test broker (RabbitMQ here) and an embedded
 * Qpid broker of its own: a 65 MiB one (over the brokers' 16 MiB limit: refused at publish, or kept
 * as a dead letter if a broker let it through) and a 2 MiB one (under the brokers' limit, over the
 * inbox's 1 MiB: taken aside and kept cut short), each followed by a good command that goes
 * through.
 */
class OversizeMessageTest {

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"test broker", "embedded broker"})
  void nothingTooLargeBlocksTheQueue(String broker) throws Exception {
    EmbeddedAmqpBroker embedded = null;
    String amqpUri = TestBroker.amqpUri();
    if (broker.equals("embedded broker")) {
      int port;
      try (ServerSocket socket = new ServerSocket(0)) {
        port = socket.getLocalPort();
      }
      embedded = EmbeddedAmqpBroker.start(Files.createTempDirectory("oversize-broker"), port);
      amqpUri = embedded.amqpUri();
    } else {
      TestBroker.deleteQueuesAndExchanges(BackofficeTestNode.inboxQueues(), List.of());
    }
    String schema = TestPostgres.newSchemaName("backoffice");
    BackofficeNode node =
        BackofficeNode.start(
            ConfigFactory.parseString("helpdesk.amqp.uri = \"" + amqpUri + "\"")
                .withFallback(TestNodes.config(schema)));
    HttpTestClient http = new HttpTestClient("127.0.0.1", node.node().httpAddress().getPort());
    Sql sql = new Sql(schema);
    try {
      Optional<String> refused = publish(amqpUri, "huge", new byte[65 << 20]);
      UUID first = UUID.randomUUID();
      assertEquals(Optional.empty(), publishCommand(amqpUri, first));
      assertEquals(Optional.empty(), publish(amqpUri, "large", new byte[2 << 20]));
      UUID second = UUID.randomUUID();
      assertEquals(Optional.empty(), publishCommand(amqpUri, second));

      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  sql.count("SELECT count(*) FROM tickets WHERE ticket_id IN (?, ?)", first, second)
                      == 2);
      await().atMost(Duration.ofSeconds(30)).until(() -> deadLetter(http, "large").isPresent());
      JsonNode large = deadLetter(http, "large").orElseThrow();
      assertEquals(2 << 20, large.path("bodySize").asInt());
      assertTrue(
          large.path("error").asText().contains("larger than the inbox takes"), large.toString());
      if (refused.isEmpty()) {
        // this broker let 65 MiB through: the inbox took it aside all the same
        await().atMost(Duration.ofSeconds(30)).until(() -> deadLetter(http, "huge").isPresent());
        assertEquals(65 << 20, deadLetter(http, "huge").orElseThrow().path("bodySize").asInt());
      } else {
        System.out.println(
            "[oversize] " + broker + " refused the 65 MiB message at publish: " + refused.get());
      }
    } finally {
      node.node().stop().toCompletableFuture().join();
      TestPostgres.dropSchema(schema);
      if (embedded != null) {
        embedded.close();
      }
    }
  }

  private static Optional<String> publishCommand(String amqpUri, UUID id) throws Exception {
    OutboundMessage m =
        CommandMessage.toBackoffice(
            new PrepareTicket(id, TicketType.CUSTOMER_ISSUE, new Description("after a large one")),
            id + ":1",
            id.toString(),
            Instant.now());
    return publish(amqpUri, m.properties(), m.body());
  }

  private static Optional<String> publish(String amqpUri, String messageId, byte[] body)
      throws Exception {
    return publish(
        amqpUri,
        new AMQP.BasicProperties.Builder()
            .type("ticket.prepareTicket")
            .messageId(messageId)
            .deliveryMode(2)
            .build(),
        body);
  }

  /** Publishes with a confirm; the broker's refusal, if it refused. */
  private static Optional<String> publish(
      String amqpUri, AMQP.BasicProperties properties, byte[] body) throws Exception {
    ConnectionFactory factory = new ConnectionFactory();
    factory.setUri(amqpUri);
    factory.setAutomaticRecoveryEnabled(false);
    try (Connection connection = factory.newConnection("oversize-test")) {
      Channel channel = connection.createChannel();
      BrokerTopology.declare(channel);
      channel.confirmSelect();
      channel.basicPublish(
          AmqpTopology.COMMANDS_EXCHANGE,
          AmqpTopology.BACKOFFICE_ROUTING_KEY,
          true,
          properties,
          body);
      channel.waitForConfirmsOrDie(30_000);
      return Optional.empty();
    } catch (IOException
        | com.rabbitmq.client.ShutdownSignalException
        | java.util.concurrent.TimeoutException e) {
      return Optional.of(String.valueOf(e.getMessage() != null ? e.getMessage() : e.getCause()));
    }
  }

  private static Optional<JsonNode> deadLetter(HttpTestClient http, String messageId) {
    return StreamSupport.stream(http.get("/dead-letters").json().spliterator(), false)
        .filter(d -> d.path("messageId").asText().equals(messageId))
        .findFirst();
  }
}
