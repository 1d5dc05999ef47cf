package org.example.helpdesk.embedded;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.ResultSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded PostgreSQL and AMQP broker do what the services need from the real ones. */
class EmbeddedInfraTest {

  @TempDir Path work;

  @Test
  void theBrokerConfirmsPublishesAndKeepsPersistentMessagesAcrossARestart() throws Exception {
    int port = freePort();
    try (EmbeddedAmqpBroker broker = EmbeddedAmqpBroker.start(work.resolve("broker"), port)) {
      assertLoopbackOnly(port);
      withChannel(
          broker.amqpUri(),
          channel -> {
            channel.exchangeDeclare("x", BuiltinExchangeType.DIRECT, true, false, null);
            channel.queueDeclare("q", true, false, false, null);
            channel.queueBind("q", "x", "q");
            channel.confirmSelect();
            for (int i = 0; i < 3; i++) {
              channel.basicPublish(
                  "x",
                  "q",
                  true,
                  new AMQP.BasicProperties.Builder().deliveryMode(2).messageId("m" + i).build(),
                  ("m" + i).getBytes(UTF_8));
            }
            channel.waitForConfirmsOrDie(5_000);
            // manual ack and nack with requeue
            GetResponse first = channel.basicGet("q", false);
            channel.basicNack(first.getEnvelope().getDeliveryTag(), false, true);
            GetResponse again = channel.basicGet("q", false);
            assertEquals("m0", new String(again.getBody(), UTF_8));
            assertTrue(again.getEnvelope().isRedeliver());
            channel.basicAck(again.getEnvelope().getDeliveryTag(), false);
          });
    }
    try (EmbeddedAmqpBroker broker = EmbeddedAmqpBroker.start(work.resolve("broker"), port)) {
      withChannel(
          broker.amqpUri(),
          channel -> {
            // the declarations are idempotent against what survived
            channel.queueDeclare("q", true, false, false, null);
            GetResponse m1 = channel.basicGet("q", true);
            assertNotNull(m1, "a confirmed persistent message survives the restart");
            assertEquals("m1", new String(m1.getBody(), UTF_8));
            assertEquals("m2", new String(channel.basicGet("q", true).getBody(), UTF_8));
          });
    }
  }

  @Test
  void postgresKeepsItsDataAcrossARestart() throws Exception {
    try (EmbeddedPostgres pg = EmbeddedPostgres.start(work.resolve("pg"), 0)) {
      assertLoopbackOnly(pg.port());
      try (var c = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password())) {
        c.createStatement().execute("CREATE TABLE kept (v text)");
        c.createStatement().execute("INSERT INTO kept VALUES ('still here')");
      }
    }
    try (EmbeddedPostgres pg = EmbeddedPostgres.start(work.resolve("pg"), 0);
        var c = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password());
        ResultSet rs = c.createStatement().executeQuery("SELECT v FROM kept")) {
      assertTrue(rs.next());
      assertEquals("still here", rs.getString(1));
    }
  }

  /** Nothing listens on this host's other addresses: a connection to one of them is refused. */
  private static void assertLoopbackOnly(int port) throws Exception {
    var other =
        java.net.NetworkInterface.networkInterfaces()
            .filter(
                i -> {
                  try {
                    return i.isUp() && !i.isLoopback();
                  } catch (java.net.SocketException e) {
                    return false;
                  }
                })
            .flatMap(java.net.NetworkInterface::inetAddresses)
            .filter(a -> a instanceof java.net.Inet4Address && !a.isLinkLocalAddress())
            .findFirst();
    if (other.isEmpty()) {
      return; // this host has no address but loopback: nothing to reach it from
    }
    try (java.net.Socket s = new java.net.Socket()) {
      org.junit.jupiter.api.Assertions.assertThrows(
          java.net.ConnectException.class,
          () -> s.connect(new java.net.InetSocketAddress(other.get(), port), 2_000),
          "listens on " + other.get().getHostAddress());
    }
  }

  interface ChannelWork {
    void run(Channel channel) throws Exception;
  }

  private static void withChannel(String uri, ChannelWork work) throws Exception {
    ConnectionFactory factory = new ConnectionFactory();
    factory.setUri(uri);
    try (Connection connection = factory.newConnection();
        Channel channel = connection.createChannel()) {
      work.run(channel);
    }
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
