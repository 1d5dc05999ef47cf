package org.example.helpdesk.protocol;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class DistributedCommandsTest {

  private static final UUID ID = UUID.fromString("0b7e3c4a-8f2d-4a41-9d7e-3f1c2b9a6e55");

  @Test
  void prepareTicketHasTheSeedsNameAndBody() throws Exception {
    PrepareTicket command =
        new PrepareTicket(ID, TicketType.CUSTOMER_ISSUE, new Description("Really important bug!"));

    assertEquals("ticket.prepareTicket", DistributedCommands.nameOf(command));
    assertEquals(
        "{\"ticketId\":\""
            + ID
            + "\",\"ticketType\":\"customer-issue\","
            + "\"description\":\"Really important bug!\"}",
        new String(DistributedCommands.toJson(command), UTF_8));
    assertEquals(
        command,
        DistributedCommands.fromJson("ticket.prepareTicket", DistributedCommands.toJson(command)));
  }

  @Test
  void cancelTicketHasTheSeedsNameAndBody() throws Exception {
    CancelTicket command = new CancelTicket(ID);

    assertEquals("ticket.cancel", DistributedCommands.nameOf(command));
    assertEquals(
        "{\"ticketId\":\"" + ID + "\"}", new String(DistributedCommands.toJson(command), UTF_8));
    assertEquals(
        command,
        DistributedCommands.fromJson("ticket.cancel", bytes("{\"ticketId\":\"" + ID + "\"}")));
  }

  @Test
  void unknownFieldsAreIgnoredSoThatSendersCanEvolve() throws Exception {
    assertEquals(
        new CancelTicket(ID),
        DistributedCommands.fromJson(
            "ticket.cancel", bytes("{\"ticketId\":\"" + ID + "\",\"reason\":\"dup\"}")));
  }

  @ParameterizedTest(name = "{0} {1} -> {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "ticket.unknown       | {}                                               | unknown command type 'ticket.unknown'",
        "''                   | {}                                               | unknown command type",
        "ticket.cancel        | ''                                               | empty body",
        "ticket.cancel        | not json                                         | malformed JSON",
        "ticket.cancel        | {\"ticketId\":                                   | malformed JSON",
        "ticket.cancel        | null                                             | JSON null",
        "ticket.cancel        | []                                               | must be a JSON object",
        "ticket.cancel        | {}                                               | ticketId is required",
        "ticket.cancel        | {\"ticketId\":\"not-a-uuid\"}                    | invalid field 'ticketId'",
        "ticket.cancel        | {\"ticketId\":42}                                | invalid field 'ticketId'",
        "ticket.prepareTicket | {\"ticketId\":\""
            + "0b7e3c4a-8f2d-4a41-9d7e-3f1c2b9a6e55"
            + "\",\"description\":\"d\"} | ticketType is required",
        "ticket.prepareTicket | {\"ticketId\":\"0b7e3c4a-8f2d-4a41-9d7e-3f1c2b9a6e55\",\"ticketType\":\" \",\"description\":\"d\"} | ticketType must not be blank",
        "ticket.prepareTicket | {\"ticketId\":\"0b7e3c4a-8f2d-4a41-9d7e-3f1c2b9a6e55\",\"ticketType\":7,\"description\":\"d\"} | invalid field 'ticketType'",
        "ticket.prepareTicket | {\"ticketId\":\"0b7e3c4a-8f2d-4a41-9d7e-3f1c2b9a6e55\",\"ticketType\":\"t\"} | description is required",
        "ticket.prepareTicket | {\"ticketId\":\"0b7e3c4a-8f2d-4a41-9d7e-3f1c2b9a6e55\",\"ticketType\":\"t\",\"description\":{}} | invalid field 'description'",
      })
  void invalidMessagesAreRejectedWithAReadableReason(String type, String body, String reason) {
    InvalidCommandException e =
        assertThrows(
            InvalidCommandException.class, () -> DistributedCommands.fromJson(type, bytes(body)));
    assertTrue(
        e.getMessage().contains(reason), () -> "'" + e.getMessage() + "' should say " + reason);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("garbageAndBombs")
  void garbageBytesAndDeepNestingAreRejected(String name, byte[] body) {
    assertThrows(
        InvalidCommandException.class, () -> DistributedCommands.fromJson("ticket.cancel", body));
  }

  static Stream<Arguments> garbageAndBombs() {
    return Stream.of(
        Arguments.of(
            "garbage bytes", new byte[] {(byte) 0xff, (byte) 0xfe, 0x00, 0x13, (byte) 0xc3}),
        Arguments.of("10,000 nested arrays", bytes("[".repeat(10_000) + "]".repeat(10_000))));
  }

  @Test
  void overlongDescriptionIsRejected() {
    String body =
        "{\"ticketId\":\""
            + ID
            + "\",\"ticketType\":\"t\",\"description\":\""
            + "x".repeat(10_001)
            + "\"}";
    InvalidCommandException e =
        assertThrows(
            InvalidCommandException.class,
            () -> DistributedCommands.fromJson("ticket.prepareTicket", bytes(body)));
    assertTrue(e.getMessage().contains("at most 10000"), e.getMessage());
  }

  @Test
  void slotsSpreadTicketsEvenly() {
    int[] perSlot = new int[AmqpTopology.SLOTS];
    for (int i = 0; i < 64_000; i++) {
      perSlot[AmqpTopology.slotOf(UUID.randomUUID())]++;
    }
    for (int count : perSlot) {
      assertTrue(count > 800 && count < 1200, "about 1,000 per slot: " + count);
    }
  }

  @ParameterizedTest(name = "{0} partitions")
  @ValueSource(ints = {1, 3, 8, 64})
  void partitionsTakeEverySlotOnceAndEvenly(int partitions) {
    int[] taken = new int[partitions];
    for (int slot = 0; slot < AmqpTopology.SLOTS; slot++) {
      taken[AmqpTopology.partitionOf(slot, partitions)]++;
    }
    for (int count : taken) {
      assertTrue(count >= 64 / partitions && count <= 64 / partitions + 1, "even: " + count);
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(UTF_8);
  }
}
