package org.example.helpdesk.backoffice.ticket;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import java.io.IOException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.UUID;
import org.example.helpdesk.backoffice.ticket.Ticket.Status;
import org.example.helpdesk.protocol.Assignee;
import org.example.helpdesk.protocol.Description;
import org.example.helpdesk.protocol.TicketType;

/**
 * A ticket as whoever asks sees it, the one view of it: the entity's answer and state, a row of the
 * {@code tickets} table, the API's JSON. {@code assignedBy}, {@code cancelledBy}: the employees (or
 * {@code customer-service}), null until it happened, and in events recorded before they were kept.
 * Its JSON writes the status in lower case ({@link Status#toString}), as the API documents it.
 */
public record TicketView(
    UUID ticketId,
    TicketType ticketType,
    Description description,
    @JsonSerialize(using = ToStringSerializer.class) @JsonDeserialize(using = StatusJson.class)
        Status status,
    Assignee assignee,
    Instant preparedAt,
    Instant updatedAt,
    String assignedBy,
    String cancelledBy) {

  /** A ticket as its preparation leaves it. */
  static TicketView preparedBy(Ticket.TicketWasPrepared e) {
    return new TicketView(
        e.ticketId(),
        e.ticketType(),
        e.description(),
        Status.AWAITING,
        null,
        e.preparedAt(),
        e.preparedAt(),
        null,
        null);
  }

  TicketView cancelled(Instant at, String by) {
    return changed(Status.CANCELLED, assignee, at, assignedBy, by);
  }

  TicketView assigned(Assignee employee, Instant at, String by) {
    return changed(Status.ASSIGNED, employee, at, by, cancelledBy);
  }

  private TicketView changed(
      Status newStatus,
      Assignee newAssignee,
      Instant at,
      String newAssignedBy,
      String newCancelledBy) {
    return new TicketView(
        ticketId,
        ticketType,
        description,
        newStatus,
        newAssignee,
        preparedAt,
        at,
        newAssignedBy,
        newCancelledBy);
  }

  /** The status of this name, as {@link Status#toString} writes it, if there is one. */
  public static Optional<Status> status(String name) {
    return Arrays.stream(Status.values()).filter(s -> s.toString().equals(name)).findFirst();
  }

  /** Reads the status as {@link Status#toString} writes it. */
  static final class StatusJson extends StdDeserializer<Status> {
    StatusJson() {
      super(Status.class);
    }

    @Override
    public Status deserialize(JsonParser parser, DeserializationContext context)
        throws IOException {
      String name = parser.getValueAsString();
      return status(name)
          .orElseThrow(() -> context.weirdStringException(name, Status.class, "not a status"));
    }
  }
}
