package org.example.helpdesk.backoffice.ticket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializers;
import org.example.helpdesk.backoffice.ticket.Ticket.Event;
import org.example.helpdesk.backoffice.ticket.Ticket.Origin;
import org.example.helpdesk.backoffice.ticket.Ticket.TicketWasAnswered;
import org.example.helpdesk.backoffice.ticket.Ticket.TicketWasAssigned;
import org.example.helpdesk.backoffice.ticket.Ticket.TicketWasCancelled;
import org.example.helpdesk.backoffice.ticket.Ticket.TicketWasPrepared;
import org.example.helpdesk.platform.persistence.Recorded;
import org.example.helpdesk.protocol.Assignee;
import org.example.helpdesk.protocol.Description;
import org.example.helpdesk.protocol.SupportReply;
import org.example.helpdesk.protocol.TicketType;
import org.example.helpdesk.protocol.TraceContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Journal rows written before issue 19 (captured from that code with the node's serializer:
 * resources {@code journal-main/}) read, through {@link TicketEventMigration}, as the {@link
 * Recorded} events the entity stores now, their traceparent as the trace context.
 */
class TicketStoredFormTest {

  private static final UUID ID = UUID.fromString("7c0f3a52-1d2e-4b8a-9f61-0a1b2c3d4e5f");
  private static final Instant T = Instant.parse("2026-11-26T09:00:00.123456Z");
  private static final TraceContext TRACE =
      TraceContext.of("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
  private static final TicketType INTERNAL = new TicketType("internal");

  private static final ActorTestKit testKit =
      ActorTestKit.create(
          ConfigFactory.parseResources("backoffice-serialization.conf")
              .withFallback(ConfigFactory.defaultReference())
              .resolve());
  private static final Serialization serialization = SerializationExtension.get(testKit.system());

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  @Test
  void eventsStoredByTheCodeBeforeReadWithTheirTraceContextAsMetadata() throws IOException {
    assertEquals(
        List.of(
            new Recorded<Event>(
                new TicketWasPrepared(
                    ID,
                    TicketType.CUSTOMER_ISSUE,
                    new Description("Really important bug!"),
                    T,
                    Origin.CUSTOMER_SERVICE),
                TRACE),
            new Recorded<Event>(
                new TicketWasPrepared(
                    ID, INTERNAL, new Description("set up the printer"), T, Origin.BACKOFFICE),
                TraceContext.none()),
            new Recorded<Event>(
                new TicketWasAssigned(ID, new Assignee("alice"), T, "carol"), TRACE),
            new Recorded<Event>(
                new TicketWasAssigned(ID, new Assignee("bob"), T, null), TraceContext.none()),
            new Recorded<Event>(new TicketWasCancelled(ID, T, Ticket.CUSTOMER_SERVICE), TRACE),
            new Recorded<Event>(new TicketWasCancelled(ID, T, null), TraceContext.none())),
        read("journal-main/ticket-events.txt"));
  }

  /** Before tickets remembered their origin, only customers' issues had the type customer-issue. */
  @Test
  void theOldestEventsGetTheirOriginFromTheirTypeAndNoTraceContext() throws IOException {
    assertEquals(
        List.of(
            new Recorded<Event>(
                new TicketWasPrepared(
                    ID,
                    TicketType.CUSTOMER_ISSUE,
                    new Description("Really important bug!"),
                    T,
                    Origin.CUSTOMER_SERVICE),
                TraceContext.none()),
            new Recorded<Event>(
                new TicketWasPrepared(
                    ID, INTERNAL, new Description("set up the printer"), T, Origin.BACKOFFICE),
                TraceContext.none()),
            new Recorded<Event>(
                new TicketWasAssigned(ID, new Assignee("bob"), T, null), TraceContext.none()),
            new Recorded<Event>(new TicketWasCancelled(ID, T, null), TraceContext.none())),
        read("journal-main/ticket-events-oldest.txt"));
  }

  /** Stored now: the wrapper under its class name, the event under its type name, not a class. */
  @Test
  void eventsStoredNowNameTheirTypeAndReadBack() {
    Recorded<Event> recorded =
        new Recorded<>(new TicketWasAssigned(ID, new Assignee("alice"), T, "carol"), TRACE);
    var serializer = serialization.findSerializerFor(recorded);
    byte[] bytes = serialization.serialize(recorded).get();
    String manifest = Serializers.manifestFor(serializer, recorded);

    assertEquals(Recorded.class.getName(), manifest);
    String json = new String(bytes, StandardCharsets.UTF_8);
    assertTrue(json.startsWith("{\"event\":{\"type\":\"TicketWasAssigned\",\"ticketId\""), json);
    assertTrue(json.contains("\"trace\":{\"traceparent\":\"" + TRACE.traceparent() + "\"}"), json);
    assertEquals(
        recorded, serialization.deserialize(bytes, serializer.identifier(), manifest).get());
  }

  /** An answer (issue 21) is stored as every event now: under its type name, in the wrapper. */
  @Test
  void anAnswerIsStoredUnderItsTypeNameWithItsReplyAsText() {
    Recorded<Event> recorded =
        new Recorded<>(
            new TicketWasAnswered(ID, new SupportReply("Fixed in 2.1, sorry!"), T, "carol"), TRACE);
    var serializer = serialization.findSerializerFor(recorded);
    byte[] bytes = serialization.serialize(recorded).get();
    String manifest = Serializers.manifestFor(serializer, recorded);

    assertEquals(Recorded.class.getName(), manifest);
    assertEquals(
        "{\"event\":{\"type\":\"TicketWasAnswered\",\"ticketId\":\""
            + ID
            + "\",\"reply\":\"Fixed in 2.1, sorry!\",\"answeredAt\":\"2026-11-26T09:00:00.123456Z\","
            + "\"answeredBy\":\"carol\"},\"trace\":{\"traceparent\":\""
            + TRACE.traceparent()
            + "\"}}",
        new String(bytes, StandardCharsets.UTF_8));
    assertEquals(
        recorded, serialization.deserialize(bytes, serializer.identifier(), manifest).get());
  }

  /** Each line: serializer id|manifest|payload, as pekko-persistence-jdbc's journal holds them. */
  private static List<Object> read(String resource) throws IOException {
    try (InputStream in =
        TicketStoredFormTest.class.getClassLoader().getResourceAsStream(resource)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8)
          .lines()
          .filter(line -> !line.isBlank() && !line.startsWith("#"))
          .map(
              line -> {
                String[] row = line.split("\\|", 3);
                return (Object)
                    serialization
                        .deserialize(
                            row[2].getBytes(StandardCharsets.UTF_8),
                            Integer.parseInt(row[0]),
                            row[1])
                        .get();
              })
          .toList();
    }
  }
}
