package org.example.helpdesk.backoffice.ticket;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.pekko.serialization.jackson.JacksonMigration;
import org.example.helpdesk.platform.persistence.Recorded;
import org.example.helpdesk.protocol.TicketType;

/**
 * Reads a Ticket event stored before issue 19 (manifest: the event's class name; the {@code
 * traceparent} a field of the event; in the oldest, no {@code origin}) as the {@link Recorded}
 * wrapper the entity stores now. Registered per old class name in {@code
 * pekko.serialization.jackson.migrations}; Pekko passes the class name to {@link
 * #transformClassName} but not to {@link #transform}, hence one subclass per event type.
 */
public abstract class TicketEventMigration extends JacksonMigration {

  private final Class<? extends Ticket.Event> type;

  private TicketEventMigration(Class<? extends Ticket.Event> type) {
    this.type = type;
  }

  /** Version 1: the bare event, under its class name. 2: in {@link Recorded}. */
  @Override
  public int currentVersion() {
    return 2;
  }

  @Override
  public String transformClassName(int fromVersion, String className) {
    return Recorded.class.getName();
  }

  @Override
  public JsonNode transform(int fromVersion, JsonNode json) {
    ObjectNode event = JsonNodeFactory.instance.objectNode();
    event.put("type", type.getSimpleName());
    event.setAll(((ObjectNode) json).deepCopy());
    JsonNode traceparent = event.remove("traceparent");
    upgrade(event);
    ObjectNode trace = JsonNodeFactory.instance.objectNode();
    trace.set(
        "traceparent", traceparent == null ? JsonNodeFactory.instance.nullNode() : traceparent);
    ObjectNode recorded = JsonNodeFactory.instance.objectNode();
    recorded.set("event", event);
    recorded.set("trace", trace);
    return recorded;
  }

  /** What the event type's oldest stored forms lack. */
  void upgrade(ObjectNode event) {}

  public static final class Prepared extends TicketEventMigration {
    public Prepared() {
      super(Ticket.TicketWasPrepared.class);
    }

    /** Recorded before tickets remembered their origin: only customers' issues had this type. */
    @Override
    void upgrade(ObjectNode event) {
      if (event.path("origin").isMissingNode() || event.path("origin").isNull()) {
        boolean fromIssue =
            TicketType.CUSTOMER_ISSUE.value().equals(event.path("ticketType").asText());
        event.put(
            "origin",
            (fromIssue ? Ticket.Origin.CUSTOMER_SERVICE : Ticket.Origin.BACKOFFICE).name());
      }
    }
  }

  public static final class Cancelled extends TicketEventMigration {
    public Cancelled() {
      super(Ticket.TicketWasCancelled.class);
    }
  }

  public static final class Assigned extends TicketEventMigration {
    public Assigned() {
      super(Ticket.TicketWasAssigned.class);
    }
  }
}
