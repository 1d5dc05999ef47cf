package org.example.helpdesk.platform.cluster;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.example.helpdesk.amqp.AmqpConnector;
import org.example.helpdesk.testsupport.TcpProxy;
import org.example.helpdesk.testsupport.TestBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Readiness's view of the broker: a black-holed broker (connections open, nothing comes back) is
 * seen within seconds, not after the heartbeats' 20 s, and a broker that comes back is seen again.
 */
class BrokerLinkTest {

  private static final ActorTestKit testKit = ActorTestKit.create();

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  @Test
  void aBlackHoledBrokerIsSeenWithinSecondsAndItsReturnToo() throws Exception {
    URI broker = URI.create(TestBroker.amqpUri());
    try (TcpProxy proxy = new TcpProxy(broker.getHost(), broker.getPort())) {
      String viaProxy =
          broker.toString().replace(":" + broker.getPort() + "/", ":" + proxy.port() + "/");
      AmqpConnector connector = new AmqpConnector(viaProxy, "broker-link-test");
      try (BrokerLink link = new BrokerLink(testKit.system(), connector, Duration.ofMillis(500))) {
        await().atMost(Duration.ofSeconds(10)).until(link::isUp);

        proxy.blackHole();
        long start = System.nanoTime();
        await().atMost(Duration.ofSeconds(10)).until(() -> !link.isUp());
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(millis < 5_000, "seen within 5 s: " + millis + " ms");

        proxy.restore();
        await().atMost(Duration.ofSeconds(15)).until(link::isUp);
      }
    }
  }
}
