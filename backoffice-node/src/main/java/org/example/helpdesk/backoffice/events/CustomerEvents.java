package org.example.helpdesk.backoffice.events;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import java.io.IOException;
import java.util.Date;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.example.helpdesk.amqp.OutboundMessage;
import org.example.helpdesk.backoffice.ticket.Ticket;
import org.example.helpdesk.protocol.DistributedEvent;
import org.example.helpdesk.protocol.DistributedEvents;
import org.example.helpdesk.protocol.TicketWasAnswered;
import org.example.helpdesk.protocol.TicketWasAssigned;
import org.example.helpdesk.protocol.TicketWasCancelled;
import org.example.helpdesk.protocol.TicketWasPrepared;

/**
 * What the customer hears of a ticket: the one place that turns the Ticket's events into
 * distributed events ({@link DistributedEvents}), and the messages and topology they travel in.
 *
 * <p>Only a ticket that came from a customer's issue is told, and of it only what concerns the
 * customer: its preparation, each assignment, each reply, and a cancel an employee made (not the
 * cancel that the customer's own close caused: the customer knows, and the customer service closed
 * the issue already).
 */
public final class CustomerEvents {

  public static final String CONTENT_TYPE = "application/json";
  private static final int PERSISTENT = 2;

  /**
   * Every Ticket event type {@link #eventFor} decides on. A new event type of the Ticket fails
   * CustomerEventsTest until it is added here and given its case (published or not).
   */
  static final Set<Class<? extends Ticket.Event>> DECIDED =
      Set.of(
          Ticket.TicketWasPrepared.class,
          Ticket.TicketWasAssigned.class,
          Ticket.TicketWasAnswered.class,
          Ticket.TicketWasCancelled.class);

  private CustomerEvents() {}

  /**
   * The exchange (topic, durable), and the customer service's queue bound to it: declared by the
   * publisher too, so that what it publishes before the customer service first starts is kept.
   * Idempotent, no broker-specific arguments (the customer service declares the same).
   */
  public static void declare(Channel channel) throws IOException {
    channel.exchangeDeclare(
        DistributedEvents.EVENTS_EXCHANGE, BuiltinExchangeType.TOPIC, true, false, null);
    channel.queueDeclare(DistributedEvents.CUSTOMER_QUEUE, true, false, false, null);
    channel.queueBind(
        DistributedEvents.CUSTOMER_QUEUE,
        DistributedEvents.EVENTS_EXCHANGE,
        DistributedEvents.CUSTOMER_BINDING);
  }

  /**
   * The distributed event a Ticket event is for the customer, if any.
   *
   * @param sequence the event's sequence number in the ticket's journal
   * @param origin where the ticket came from (its preparation's origin)
   */
  public static Optional<DistributedEvent> eventFor(
      Ticket.Event event, long sequence, Ticket.Origin origin) {
    if (origin != Ticket.Origin.CUSTOMER_SERVICE) {
      return Optional.empty(); // an internal ticket has no customer
    }
    if (event instanceof Ticket.TicketWasPrepared e) {
      return Optional.of(new TicketWasPrepared(e.ticketId(), sequence, e.preparedAt()));
    }
    if (event instanceof Ticket.TicketWasAssigned e) {
      return Optional.of(new TicketWasAssigned(e.ticketId(), sequence, e.assignedAt()));
    }
    if (event instanceof Ticket.TicketWasAnswered e) {
      return Optional.of(new TicketWasAnswered(e.ticketId(), sequence, e.answeredAt(), e.reply()));
    }
    if (event instanceof Ticket.TicketWasCancelled e) {
      return byAnEmployee(e)
          ? Optional.of(new TicketWasCancelled(e.ticketId(), sequence, e.cancelledAt()))
          : Optional.empty();
    }
    throw new IllegalStateException(
        "no decision whether the customer hears of " + event.getClass().getSimpleName());
  }

  /**
   * A cancel an employee made. One recorded before the Ticket kept who cancelled ({@code null}) is
   * not told: it may have been the customer's own close, and telling that as support's would be
   * wrong (such a ticket is older than the events' relay anyway).
   */
  private static boolean byAnEmployee(Ticket.TicketWasCancelled e) {
    return e.cancelledBy() != null && !Ticket.CUSTOMER_SERVICE.equals(e.cancelledBy());
  }

  /**
   * The message of an event: routing key and type its name, a stable message id (the same on every
   * re-publish), the ticket id as correlation id, persistent, its time as timestamp, and the trace
   * context it carries on, if any.
   *
   * @param headers the trace context ({@code traceparent}), null or empty: none
   */
  public static OutboundMessage message(DistributedEvent event, Map<String, Object> headers) {
    String name = DistributedEvents.nameOf(event);
    AMQP.BasicProperties properties =
        new AMQP.BasicProperties.Builder()
            .headers(headers == null || headers.isEmpty() ? null : Map.copyOf(headers))
            .type(name)
            .messageId(DistributedEvents.messageIdOf(event.ticketId(), event.sequence()))
            .correlationId(event.ticketId().toString())
            .contentType(CONTENT_TYPE)
            .deliveryMode(PERSISTENT)
            .timestamp(Date.from(event.occurredAt()))
            .build();
    return new OutboundMessage(
        DistributedEvents.EVENTS_EXCHANGE, name, properties, DistributedEvents.toJson(event));
  }
}
