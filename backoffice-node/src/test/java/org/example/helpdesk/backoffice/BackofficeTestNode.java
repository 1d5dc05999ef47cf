package org.example.helpdesk.backoffice;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.AMQP;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.example.helpdesk.amqp.BrokerTopology;
import org.example.helpdesk.amqp.CommandMessage;
import org.example.helpdesk.amqp.OutboundMessage;
import org.example.helpdesk.protocol.AmqpTopology;
import org.example.helpdesk.protocol.DistributedCommand;
import org.example.helpdesk.testsupport.HttpTestClient;
import org.example.helpdesk.testsupport.NodeExtension;
import org.example.helpdesk.testsupport.Sql;
import org.example.helpdesk.testsupport.TestBroker;
import org.example.helpdesk.testsupport.TestNodes;
import org.example.helpdesk.testsupport.TestPostgres;

/**
 * A backoffice node on the test database (own schema) and broker (empty queue), and its tools.
 *
 * <p>A test class declares it in one line, {@code @RegisterExtension static final
 * BackofficeTestNode node = new BackofficeTestNode();}: it starts there and stops after the class's
 * last test (see {@link NodeExtension}).
 */
public final class BackofficeTestNode implements NodeExtension {

  public final String schema;
  public final BackofficeNode node;
  public final HttpTestClient http;
  public final Sql sql;

  /** The node's inbox partitions. */
  public static volatile int partitions = 8;

  /** The seed's queue and every partition queue there can be. */
  public static List<String> inboxQueues() {
    List<String> queues = new java.util.ArrayList<>();
    queues.add(AmqpTopology.BACKOFFICE_QUEUE);
    for (int p = 0; p < AmqpTopology.SLOTS; p++) {
      queues.add(AmqpTopology.partitionQueue(p));
    }
    return queues;
  }

  /** Messages ready in the seed's queue and the partitions' queues. */
  public static long messagesWaiting() {
    long waiting = TestBroker.messageCount(AmqpTopology.BACKOFFICE_QUEUE);
    for (int p = 0; p < partitions; p++) {
      waiting += TestBroker.messageCount(AmqpTopology.partitionQueue(p));
    }
    return waiting;
  }

  /** The exchange, the seed's queue and the partitions' queues, as the node declares them. */
  public static void declareInbox(com.rabbitmq.client.Channel channel) throws java.io.IOException {
    BrokerTopology.declare(channel);
    for (int p = 0; p < partitions; p++) {
      BrokerTopology.declarePartition(channel, p, partitions);
    }
  }

  public BackofficeTestNode() {
    this(ConfigFactory.empty());
  }

  /**
   * @param overrides settings over the test's, e.g. more employees
   */
  public BackofficeTestNode(Config overrides) {
    this(overrides, TestPostgres.newSchemaName("backoffice"));
  }

  /**
   * @param schema where it keeps its data: a new one, or that of a node stopped before (a restart)
   */
  public BackofficeTestNode(Config overrides, String schema) {
    this.schema = schema;
    this.sql = new Sql(schema);
    TestBroker.deleteQueuesAndExchanges(inboxQueues(), List.of());
    Config config = overrides.withFallback(TestNodes.config(schema));
    node = BackofficeNode.start(config);
    partitions = node.node().config().getInt("helpdesk.inbox.partitions");
    http = new HttpTestClient("127.0.0.1", port());
  }

  public int port() {
    return node.node().httpAddress().getPort();
  }

  /** A browser on this node, signed in to nothing yet. */
  public Browser browser() {
    return new Browser("http://127.0.0.1:" + port());
  }

  /**
   * An IPv4 address of this host other than loopback, if it has one (to reach a node bound to
   * 0.0.0.0).
   */
  public static Optional<InetAddress> nonLoopbackAddress() {
    try {
      return NetworkInterface.networkInterfaces()
          .filter(BackofficeTestNode::upAndNotLoopback)
          .flatMap(NetworkInterface::inetAddresses)
          .filter(
              a -> a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress())
          .findFirst();
    } catch (SocketException e) {
      return Optional.empty();
    }
  }

  private static boolean upAndNotLoopback(NetworkInterface i) {
    try {
      return i.isUp() && !i.isLoopback();
    } catch (SocketException e) {
      return false;
    }
  }

  /** An entry for {@code helpdesk.auth.employees} (bcrypt cost 4, as TestEmployees). */
  public static String employee(String name, String role, String password) {
    return name
        + ":"
        + role
        + ":"
        + new org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder(4).encode(password);
  }

  /**
   * Publishes a command the way the customer service does (to its ticket's slot), and waits for the
   * broker's confirm.
   */
  public static void publish(DistributedCommand command, String messageId) {
    OutboundMessage m =
        CommandMessage.toBackoffice(command, messageId, "test-correlation", Instant.now());
    TestBroker.publish(
        BackofficeTestNode::declareInbox, m.exchange(), m.routingKey(), m.properties(), m.body());
  }

  /**
   * Publishes a message as the seed's contract has it: to {@code distributed.commands} with routing
   * key {@code backoffice_service} (the node forwards it to its ticket's partition).
   */
  public static void publishRaw(AMQP.BasicProperties properties, byte[] body) {
    TestBroker.publish(
        BrokerTopology::declare,
        AmqpTopology.COMMANDS_EXCHANGE,
        AmqpTopology.BACKOFFICE_ROUTING_KEY,
        properties,
        body);
  }

  public static void publishRaw(String type, String messageId, String body) {
    publishRaw(
        new AMQP.BasicProperties.Builder().type(type).messageId(messageId).deliveryMode(2).build(),
        body.getBytes(UTF_8));
  }

  /**
   * A ticket prepared as a customer's issue prepares it (through the inbox), once it is in the read
   * model.
   */
  public UUID customerTicket(String description) {
    UUID id = UUID.randomUUID();
    publish(
        new org.example.helpdesk.protocol.PrepareTicket(
            id,
            org.example.helpdesk.protocol.TicketType.CUSTOMER_ISSUE,
            new org.example.helpdesk.protocol.Description(description)),
        id + ":prepare");
    awaitStatus(id, "awaiting");
    return id;
  }

  /** The open dead letters, as {@code GET /dead-letters} lists them. */
  public List<JsonNode> deadLetters() {
    var response = http.get("/dead-letters");
    if (response.status() != 200) {
      throw new IllegalStateException("GET /dead-letters: " + response);
    }
    return java.util.stream.StreamSupport.stream(response.json().spliterator(), false).toList();
  }

  /** The open dead letter of this message id. */
  public Optional<JsonNode> deadLetter(String messageId) {
    return deadLetters().stream()
        .filter(d -> d.path("messageId").asText().equals(messageId))
        .findFirst();
  }

  /** The ticket's row in the read table; empty when there is none. */
  public Map<String, Object> ticketRow(UUID id) {
    var rows = sql.rows("SELECT * FROM tickets WHERE ticket_id = ?", id);
    return rows.isEmpty() ? Map.of() : rows.get(0);
  }

  public void awaitStatus(UUID id, String status) {
    await().atMost(Duration.ofSeconds(20)).until(() -> status.equals(ticketRow(id).get("status")));
  }

  /** The ticket's events, as the names of their types, in order. */
  public List<String> events(UUID id) {
    return sql
        .rows(
            // stored in the Recorded wrapper under its type name (before issue 19: the bare
            // event, under its class name)
            "SELECT coalesce(convert_from(event_payload, 'UTF8')::jsonb #>> '{event,type}',"
                + " event_ser_manifest) AS type"
                + " FROM event_journal WHERE persistence_id = ? ORDER BY sequence_number",
            "Ticket|" + id)
        .stream()
        .map(row -> ((String) row.get("type")).replaceAll(".*\\$", ""))
        .toList();
  }

  @Override
  public void close() {
    node.node().stop().toCompletableFuture().join();
    TestPostgres.dropSchema(schema);
  }
}
