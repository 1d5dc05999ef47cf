package org.example.helpdesk.backoffice.ticket;

import com.typesafe.config.ConfigFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializers;
import org.example.helpdesk.protocol.Assignee;
import org.example.helpdesk.protocol.Description;
import org.example.helpdesk.protocol.TicketType;
import org.junit.jupiter.api.Test;

/**
 * Throwaway (issue 19): writes the journal rows today's main stores for the Ticket events, with the
 * node's real serializer, as test fixtures (serializer id, manifest, payload). Removed after.
 */
class CaptureMainJournalRows {

  @Test
  void capture() throws Exception {
    ActorTestKit kit =
        ActorTestKit.create(ConfigFactory.parseResources("backoffice-serialization.conf"));
    try {
      Serialization serialization = SerializationExtension.get(kit.system());
      UUID id = UUID.fromString("7c0f3a52-1d2e-4b8a-9f61-0a1b2c3d4e5f");
      String tp = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
      Instant t = Instant.parse("2026-11-26T09:00:00.123456Z");
      List<Object> events =
          List.of(
              new Ticket.TicketWasPrepared(
                  id,
                  TicketType.CUSTOMER_ISSUE,
                  new Description("Really important bug!"),
                  t,
                  Ticket.Origin.CUSTOMER_SERVICE,
                  tp),
              new Ticket.TicketWasPrepared(
                  id,
                  new TicketType("internal"),
                  new Description("set up the printer"),
                  t,
                  Ticket.Origin.BACKOFFICE,
                  null),
              new Ticket.TicketWasAssigned(id, new Assignee("alice"), t, "carol", tp),
              new Ticket.TicketWasAssigned(id, new Assignee("bob"), t, null, null),
              new Ticket.TicketWasCancelled(id, t, Ticket.CUSTOMER_SERVICE, tp),
              new Ticket.TicketWasCancelled(id, t, null, null));
      List<String> lines = new ArrayList<>();
      for (Object event : events) {
        var serializer = serialization.findSerializerFor(event);
        byte[] bytes = serialization.serialize(event).get();
        lines.add(
            serializer.identifier()
                + "|"
                + Serializers.manifestFor(serializer, event)
                + "|"
                + new String(bytes, StandardCharsets.UTF_8));
      }
      Path out = Path.of("src/test/resources/journal-main/ticket-events.txt");
      Files.write(out, lines, StandardCharsets.UTF_8);
      lines.forEach(System.out::println);
    } finally {
      kit.shutdownTestKit();
    }
  }
}
