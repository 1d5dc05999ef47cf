package org.example.helpdesk.backoffice.events;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.example.helpdesk.amqp.OutboundMessage;
import org.example.helpdesk.backoffice.ticket.Ticket;
import org.example.helpdesk.protocol.Assignee;
import org.example.helpdesk.protocol.Description;
import org.example.helpdesk.protocol.DistributedEvent;
import org.example.helpdesk.protocol.DistributedEvents;
import org.example.helpdesk.protocol.SupportReply;
import org.example.helpdesk.protocol.TicketType;
import org.example.helpdesk.protocol.TicketWasAssigned;
import org.example.helpdesk.protocol.TicketWasCancelled;
import org.example.helpdesk.protocol.TicketWasPrepared;
import org.junit.jupiter.api.Test;

/** Which Ticket events a customer hears of, and the messages they travel in. */
class CustomerEventsTest {

  private static final UUID ID = UUID.fromString("0b7e3c4a-8f2d-4a41-9d7e-3f1c2b9a6e55");
  private static final Instant AT = Instant.parse("2026-12-07T10:15:30.123456Z");
  private static final Ticket.Origin CUSTOMER = Ticket.Origin.CUSTOMER_SERVICE;
  private static final Ticket.Origin INTERNAL = Ticket.Origin.BACKOFFICE;

  private static final Ticket.TicketWasPrepared PREPARED =
      new Ticket.TicketWasPrepared(
          ID, TicketType.CUSTOMER_ISSUE, new Description("Printer on fire"), AT, CUSTOMER);
  private static final Ticket.TicketWasAssigned ASSIGNED =
      new Ticket.TicketWasAssigned(ID, new Assignee("alice"), AT, "carol");
  private static final Ticket.TicketWasCancelled CANCELLED_BY_EMPLOYEE =
      new Ticket.TicketWasCancelled(ID, AT, "carol");
  private static final Ticket.TicketWasCancelled CANCELLED_BY_CUSTOMER =
      new Ticket.TicketWasCancelled(ID, AT, Ticket.CUSTOMER_SERVICE);

  @Test
  void aCustomersTicketIsToldOfItsPreparationAssignmentsAndAnEmployeesCancel() {
    assertEquals(
        Optional.of(new TicketWasPrepared(ID, 1, AT)),
        CustomerEvents.eventFor(PREPARED, 1, CUSTOMER));
    assertEquals(
        Optional.of(new TicketWasAssigned(ID, 2, AT)),
        CustomerEvents.eventFor(ASSIGNED, 2, CUSTOMER));
    assertEquals(
        Optional.of(new TicketWasCancelled(ID, 3, AT)),
        CustomerEvents.eventFor(CANCELLED_BY_EMPLOYEE, 3, CUSTOMER));
  }

  @Test
  void supportsAnswerIsToldWithItsWords() {
    SupportReply reply = new SupportReply("We replaced the toner.");
    assertEquals(
        Optional.of(new org.example.helpdesk.protocol.TicketWasAnswered(ID, 4, AT, reply)),
        CustomerEvents.eventFor(new Ticket.TicketWasAnswered(ID, reply, AT, "carol"), 4, CUSTOMER));
  }

  @Test
  void theCustomersOwnCloseAndACancelOfUnknownOriginAreNotTold() {
    assertEquals(Optional.empty(), CustomerEvents.eventFor(CANCELLED_BY_CUSTOMER, 3, CUSTOMER));
    assertEquals(
        Optional.empty(),
        CustomerEvents.eventFor(new Ticket.TicketWasCancelled(ID, AT, null), 3, CUSTOMER));
  }

  @Test
  void anInternalTicketTellsNobodyAnything() {
    for (Ticket.Event event :
        new Ticket.Event[] {
          new Ticket.TicketWasPrepared(
              ID, new TicketType("internal"), new Description("d"), AT, INTERNAL),
          ASSIGNED,
          new Ticket.TicketWasAnswered(ID, new SupportReply("r"), AT, "carol"),
          CANCELLED_BY_EMPLOYEE
        }) {
      assertEquals(Optional.empty(), CustomerEvents.eventFor(event, 1, INTERNAL), event::toString);
    }
  }

  /** The extension point: a new Ticket event type fails here until it is decided on. */
  @Test
  void everyTicketEventTypeIsDecidedOn() {
    assertEquals(Set.of(Ticket.Event.class.getPermittedSubclasses()), CustomerEvents.DECIDED);
  }

  @Test
  void theMessageCarriesTheEventsNameIdTicketTimeAndTraceContext() {
    DistributedEvent event = new TicketWasAssigned(ID, 2, AT);
    String traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

    OutboundMessage m = CustomerEvents.message(event, Map.of("traceparent", traceparent));

    assertEquals("distributed.events", m.exchange());
    assertEquals("ticket.ticketWasAssigned", m.routingKey());
    assertEquals("ticket.ticketWasAssigned", m.properties().getType());
    assertEquals(ID + ":2", m.messageId());
    assertEquals(ID.toString(), m.properties().getCorrelationId());
    assertEquals("application/json", m.properties().getContentType());
    assertEquals(2, m.properties().getDeliveryMode());
    assertEquals(Date.from(AT), m.properties().getTimestamp());
    assertEquals(Map.of("traceparent", traceparent), m.properties().getHeaders());
    assertArrayEquals(DistributedEvents.toJson(event), m.body());
    assertEquals(
        "{\"ticketId\":\""
            + ID
            + "\",\"sequence\":2,\"occurredAt\":\"2026-12-07T10:15:30.123456Z\"}",
        new String(m.body(), UTF_8));
    assertNull(CustomerEvents.message(event, Map.of()).properties().getHeaders());
  }
}
