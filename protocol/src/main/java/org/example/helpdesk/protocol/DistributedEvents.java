package org.example.helpdesk.protocol;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The events the backoffice publishes for the customer service: their names on the wire, their JSON
 * bodies and where they travel. Read as tolerantly as the commands ({@link DistributedCommands}):
 * unknown fields are a newer sender's; missing or invalid ones are errors.
 *
 * <p>Topology: exchange {@value #EVENTS_EXCHANGE} (topic), routing key = the event's name; the
 * customer service's queue {@value #CUSTOMER_QUEUE} is bound with {@value #CUSTOMER_BINDING}.
 * Message id: {@code <ticketId>:<sequence>}, the same on every re-publish.
 */
public final class DistributedEvents {

  public static final String EVENTS_EXCHANGE = "distributed.events";
  public static final String CUSTOMER_QUEUE = "customer_service";
  public static final String CUSTOMER_BINDING = "ticket.#";

  public static final String TICKET_WAS_PREPARED = "ticket.ticketWasPrepared";
  public static final String TICKET_WAS_ASSIGNED = "ticket.ticketWasAssigned";
  public static final String TICKET_WAS_ANSWERED = "ticket.ticketWasAnswered";
  public static final String TICKET_WAS_CANCELLED = "ticket.ticketWasCancelled";

  private static final Map<String, Class<? extends DistributedEvent>> TYPES =
      Map.of(
          TICKET_WAS_PREPARED, TicketWasPrepared.class,
          TICKET_WAS_ASSIGNED, TicketWasAssigned.class,
          TICKET_WAS_ANSWERED, TicketWasAnswered.class,
          TICKET_WAS_CANCELLED, TicketWasCancelled.class);

  private static final NamedJsonCodec<DistributedEvent> CODEC =
      new NamedJsonCodec<>(
          "event",
          TYPES,
          StrictJson.build(
              StrictJson.builder()
                  .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                  .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                  .addModule(new JavaTimeModule())));

  private DistributedEvents() {}

  public static String nameOf(DistributedEvent event) {
    return CODEC.nameOf(event);
  }

  public static Optional<Class<? extends DistributedEvent>> typeOf(String name) {
    return CODEC.typeOf(name);
  }

  /** The stable id of the message that carries this event. */
  public static String messageIdOf(UUID ticketId, long sequence) {
    return ticketId + ":" + sequence;
  }

  public static byte[] toJson(DistributedEvent event) {
    return CODEC.toJson(event);
  }

  public static DistributedEvent fromJson(String name, byte[] body) throws InvalidEventException {
    try {
      return CODEC.fromJson(name, body);
    } catch (NamedJsonCodec.InvalidBody e) {
      throw new InvalidEventException(e.getMessage());
    }
  }
}
