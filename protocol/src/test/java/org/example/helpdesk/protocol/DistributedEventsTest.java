package org.example.helpdesk.protocol;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** The events' names and bodies on the wire, byte for byte, and what a bad one is told. */
class DistributedEventsTest {

  private static final UUID ID = UUID.fromString("0b7e3c4a-8f2d-4a41-9d7e-3f1c2b9a6e55");
  private static final Instant AT = Instant.parse("2026-12-07T10:15:30.123456Z");
  private static final String BASE =
      "{\"ticketId\":\"0b7e3c4a-8f2d-4a41-9d7e-3f1c2b9a6e55\",\"sequence\":2,"
          + "\"occurredAt\":\"2026-12-07T10:15:30.123456Z\"";

  static Stream<Arguments> events() {
    return Stream.of(
        Arguments.of("ticket.ticketWasPrepared", new TicketWasPrepared(ID, 2, AT), BASE + "}"),
        Arguments.of("ticket.ticketWasAssigned", new TicketWasAssigned(ID, 2, AT), BASE + "}"),
        Arguments.of(
            "ticket.ticketWasAnswered",
            new TicketWasAnswered(ID, 2, AT, new SupportReply("We replaced the toner.")),
            BASE + ",\"reply\":\"We replaced the toner.\"}"),
        Arguments.of("ticket.ticketWasCancelled", new TicketWasCancelled(ID, 2, AT), BASE + "}"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("events")
  void eachEventHasItsNameAndBody(String name, DistributedEvent event, String json)
      throws Exception {
    assertEquals(name, DistributedEvents.nameOf(event));
    assertEquals(json, new String(DistributedEvents.toJson(event), UTF_8));
    assertEquals(event, DistributedEvents.fromJson(name, json.getBytes(UTF_8)));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "unknown name | ticket.ticketWasEaten | {} | unknown event type 'ticket.ticketWasEaten'",
        "empty body | ticket.ticketWasAssigned | '' | empty body",
        "JSON null | ticket.ticketWasAssigned | null | body is JSON null",
        "no ticket id | ticket.ticketWasAssigned | {\"sequence\":1,\"occurredAt\":\"2026-12-07T10:15:30Z\"} | ticketId is required",
        "sequence 0 | ticket.ticketWasAssigned | {\"ticketId\":\"0b7e3c4a-8f2d-4a41-9d7e-3f1c2b9a6e55\",\"sequence\":0,\"occurredAt\":\"2026-12-07T10:15:30Z\"} | sequence must be 1 or more",
        "sequence as text | ticket.ticketWasAssigned | {\"ticketId\":\"0b7e3c4a-8f2d-4a41-9d7e-3f1c2b9a6e55\",\"sequence\":\"1\",\"occurredAt\":\"2026-12-07T10:15:30Z\"} | sequence",
        "no reply | ticket.ticketWasAnswered | {\"ticketId\":\"0b7e3c4a-8f2d-4a41-9d7e-3f1c2b9a6e55\",\"sequence\":1,\"occurredAt\":\"2026-12-07T10:15:30Z\"} | reply is required",
        "blank reply | ticket.ticketWasAnswered | {\"ticketId\":\"0b7e3c4a-8f2d-4a41-9d7e-3f1c2b9a6e55\",\"sequence\":1,\"occurredAt\":\"2026-12-07T10:15:30Z\",\"reply\":\"  \"} | reply",
        "bad time | ticket.ticketWasCancelled | {\"ticketId\":\"0b7e3c4a-8f2d-4a41-9d7e-3f1c2b9a6e55\",\"sequence\":1,\"occurredAt\":\"yesterday\"} | occurredAt",
        "trailing garbage | ticket.ticketWasCancelled | {\"ticketId\":\"0b7e3c4a-8f2d-4a41-9d7e-3f1c2b9a6e55\",\"sequence\":1,\"occurredAt\":\"2026-12-07T10:15:30Z\"} x | malformed JSON"
      })
  void aBadEventIsRefusedWithItsReason(String why, String name, String body, String reason) {
    var e =
        assertThrows(
            InvalidEventException.class,
            () -> DistributedEvents.fromJson(name, body.getBytes(UTF_8)));
    assertTrue(e.getMessage().contains(reason), why + ": " + e.getMessage());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"a newer sender's field, '\"priority\":\"high\",'"})
  void unknownFieldsAreANewerSendersAndIgnored(String why, String extra) throws Exception {
    String json = "{" + extra + BASE.substring(1) + "}";
    assertEquals(
        new TicketWasAssigned(ID, 2, AT),
        DistributedEvents.fromJson("ticket.ticketWasAssigned", json.getBytes(UTF_8)));
  }

  @org.junit.jupiter.api.Test
  void theMessageIdIsTheTicketAndTheSequence() {
    assertEquals(ID + ":7", DistributedEvents.messageIdOf(ID, 7));
  }
}
