package org.example.helpdesk.amqp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.rabbitmq.client.AMQP;
import java.time.Instant;
import java.util.UUID;
import org.example.helpdesk.protocol.CancelTicket;
import org.example.helpdesk.protocol.DistributedCommands;
import org.junit.jupiter.api.Test;

/** The AMQP properties of a distributed command: the wire contract, byte for byte. */
class CommandMessageTest {

  private static final UUID ID = UUID.fromString("0b7e3c4a-8f2d-4a41-9d7e-3f1c2b9a6e55");

  @Test
  void commandMessageCarriesTheContractProperties() {
    Instant now = Instant.parse("2026-11-26T10:15:30Z");
    OutboundMessage message =
        CommandMessage.toBackoffice(new CancelTicket(ID), "issue-1:2", "corr-7", now);

    AMQP.BasicProperties p = message.properties();
    assertEquals("distributed.commands", message.exchange());
    // the ticket's slot: its id's last two hex digits modulo 64
    int slot = Integer.parseInt(ID.toString().substring(34), 16) % 64;
    assertEquals("backoffice_service.slot." + slot, message.routingKey());
    assertEquals("ticket.cancel", p.getType());
    assertEquals("issue-1:2", p.getMessageId());
    assertEquals("corr-7", p.getCorrelationId());
    assertEquals("application/json", p.getContentType());
    assertEquals(2, p.getDeliveryMode());
    assertEquals(now.toEpochMilli(), p.getTimestamp().getTime());
    assertArrayEquals(DistributedCommands.toJson(new CancelTicket(ID)), message.body());
  }
}
