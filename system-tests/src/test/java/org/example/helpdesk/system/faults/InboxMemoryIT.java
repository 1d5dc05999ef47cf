package org.example.helpdesk.system.faults;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.AMQP;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.example.helpdesk.amqp.BrokerTopology;
import org.example.helpdesk.amqp.CommandMessage;
import org.example.helpdesk.amqp.OutboundMessage;
import org.example.helpdesk.protocol.AmqpTopology;
import org.example.helpdesk.protocol.Description;
import org.example.helpdesk.protocol.PrepareTicket;
import org.example.helpdesk.protocol.TicketType;
import org.example.helpdesk.testsupport.NodeProcess;
import org.example.helpdesk.testsupport.TestBroker;
import org.junit.jupiter.api.Test;

/**
 * The inbox's memory is bounded in bytes: 80 messages of 5 MB (400 MB), each followed by a good
 * command, through a backoffice node with a 256 MiB heap. Each large one is taken aside alone and
 * kept, cut short, as a dead letter; every good one is applied; the node's live heap stays well
 * under its limit.
 */
class InboxMemoryIT {

  private static final int LARGE = 80;
  private static final int SIZE = 5 * 1024 * 1024;

  @Test
  void fiveMegabyteMessagesGoThroughA256MebibyteHeap() throws Exception {
    try (Deployment d = Deployment.start(1, 1);
        BacklogIT.MemorySampler sampler = BacklogIT.MemorySampler.start(d.backoffices.get(0))) {
      NodeProcess backoffice = d.backoffices.get(0);
      sampler.markDrainStart();
      long start = System.nanoTime();
      List<UUID> good = new ArrayList<>();
      Random random = new Random(7);
      TestBroker.withChannel(
          channel -> {
            BrokerTopology.declare(channel);
            channel.confirmSelect();
            for (int i = 0; i < LARGE; i++) {
              byte[] body = new byte[SIZE];
              random.nextBytes(body);
              channel.basicPublish(
                  AmqpTopology.COMMANDS_EXCHANGE,
                  AmqpTopology.BACKOFFICE_ROUTING_KEY,
                  true,
                  new AMQP.BasicProperties.Builder()
                      .type("ticket.prepareTicket")
                      .messageId("large-" + i)
                      .deliveryMode(2)
                      .build(),
                  body);
              UUID id = UUID.randomUUID();
              good.add(id);
              OutboundMessage m =
                  CommandMessage.toBackoffice(
                      new PrepareTicket(
                          id, TicketType.CUSTOMER_ISSUE, new Description("good " + i)),
                      id + ":1",
                      id.toString(),
                      Instant.now());
              channel.basicPublish(m.exchange(), m.routingKey(), true, m.properties(), m.body());
              channel.waitForConfirmsOrDie(30_000);
            }
          });

      await()
          .atMost(Duration.ofSeconds(180))
          .pollInterval(Duration.ofMillis(500))
          .until(
              () ->
                  d.backofficeSql.count("SELECT count(*) FROM tickets") == good.size()
                      && d.backofficeSql.count(
                              "SELECT count(*) FROM dead_letters WHERE body_size = ?", SIZE)
                          == LARGE);
      long millis = (System.nanoTime() - start) / 1_000_000;
      sampler.markDrainEnd();

      assertTrue(backoffice.isAlive(), "the node is alive");
      String log = Files.readString(Path.of("target/fault-logs", backoffice.name + ".log"));
      assertFalse(log.contains("OutOfMemoryError"), "no OutOfMemoryError");
      assertEquals(
          0L,
          d.backofficeSql.count(
              "SELECT count(*) FROM dead_letters WHERE octet_length(body) > 65536"),
          "kept cut short");
      BacklogIT.MemorySampler.Peaks peaks = sampler.peaks(backoffice);
      System.out.println(
          "[inbox-memory] "
              + LARGE
              + " messages of 5 MB and "
              + good.size()
              + " good ones through a 256 MiB heap in "
              + millis
              + " ms: "
              + peaks.describe(millis));
      assertTrue(
          peaks.oldCapacity() <= 0 || peaks.oldAfterGc() < 0.8 * peaks.oldCapacity(),
          "live set bounded: " + peaks);
    }
  }
}
