package org.example.helpdesk.backoffice.ticket;

import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.pattern.StatusReply;
import org.example.helpdesk.platform.domain.ShardedEntities;
import org.example.helpdesk.platform.tracing.Tracing;
import org.example.helpdesk.protocol.Assignee;
import org.example.helpdesk.protocol.Description;
import org.example.helpdesk.protocol.SupportReply;
import org.example.helpdesk.protocol.TicketType;
import org.example.helpdesk.protocol.TraceContext;

/** The Ticket entities of the cluster, wherever their shards live. */
public final class Tickets {

  private final ShardedEntities<TicketEntity.Envelope> entities;
  private final Duration askTimeout;
  private final Tracing tracing;

  private Tickets(
      ShardedEntities<TicketEntity.Envelope> entities, Duration askTimeout, Tracing tracing) {
    this.entities = entities;
    this.askTimeout = askTimeout;
    this.tracing = tracing;
  }

  public static Tickets init(ActorSystem<?> system, Clock clock, Duration askTimeout) {
    return new Tickets(
        ShardedEntities.init(
            system,
            TicketEntity.TYPE,
            id -> TicketEntity.create(id, clock),
            entity -> TicketShards.placed(system, entity)),
        askTimeout,
        Tracing.get(system));
  }

  // Each command to a ticket is a span, a child of traceparent (the request's or the message's
  // trace context; null: a new trace), and the event it persists keeps the span's context in its
  // metadata.

  /** An employee prepares a ticket. */
  public CompletionStage<TicketView> prepare(
      UUID ticketId, TicketType ticketType, Description description, String traceparent) {
    return prepare(
        ticketId, ticketType, description, Ticket.Origin.BACKOFFICE, askTimeout, traceparent);
  }

  public CompletionStage<TicketView> prepare(
      UUID ticketId,
      TicketType ticketType,
      Description description,
      Ticket.Origin origin,
      Duration timeout,
      String traceparent) {
    return tracing.traced(
        "Ticket prepare",
        traceparent,
        tp ->
            ref(ticketId)
                .askWithStatus(
                    r -> envelope(new Ticket.Prepare(ticketType, description, origin), tp, r),
                    timeout),
        "ticket.id",
        ticketId.toString(),
        "ticket.origin",
        origin.name());
  }

  /** An employee cancels a ticket. */
  public CompletionStage<TicketView> cancel(UUID ticketId, String employee, String traceparent) {
    return cancel(ticketId, Ticket.Origin.BACKOFFICE, employee, askTimeout, traceparent);
  }

  /** The customer service cancels the ticket one of its issues prepared. */
  public CompletionStage<TicketView> cancelForCustomer(
      UUID ticketId, Duration timeout, String traceparent) {
    return cancel(ticketId, Ticket.Origin.CUSTOMER_SERVICE, null, timeout, traceparent);
  }

  private CompletionStage<TicketView> cancel(
      UUID ticketId, Ticket.Origin by, String employee, Duration timeout, String traceparent) {
    return tracing.traced(
        "Ticket cancel",
        traceparent,
        tp ->
            ref(ticketId)
                .askWithStatus(r -> envelope(new Ticket.Cancel(by, employee), tp, r), timeout),
        "ticket.id",
        ticketId.toString(),
        "ticket.origin",
        by.name());
  }

  /** An employee ({@code by}) assigns a ticket. */
  public CompletionStage<TicketView> assign(
      UUID ticketId, Assignee assignee, String by, String traceparent) {
    return tracing.traced(
        "Ticket assign",
        traceparent,
        tp ->
            ref(ticketId)
                .askWithStatus(r -> envelope(new Ticket.Assign(assignee, by), tp, r), askTimeout),
        "ticket.id",
        ticketId.toString());
  }

  /** An employee answers the customer whose issue prepared the ticket. */
  public CompletionStage<TicketView> answer(
      UUID ticketId, String employee, SupportReply reply, String traceparent) {
    return tracing.traced(
        "Ticket answer",
        traceparent,
        tp ->
            ref(ticketId)
                .askWithStatus(
                    r -> envelope(new Ticket.Answer(employee, reply), tp, r), askTimeout),
        "ticket.id",
        ticketId.toString());
  }

  public CompletionStage<TicketView> get(UUID ticketId) {
    return get(ticketId, askTimeout);
  }

  public CompletionStage<TicketView> get(UUID ticketId, Duration timeout) {
    return ref(ticketId).askWithStatus(r -> envelope(new Ticket.Get(), null, r), timeout);
  }

  private static TicketEntity.Envelope envelope(
      Ticket.Command command, String traceparent, ActorRef<StatusReply<TicketView>> replyTo) {
    return new TicketEntity.Envelope(command, TraceContext.of(traceparent), replyTo);
  }

  private EntityRef<TicketEntity.Envelope> ref(UUID ticketId) {
    return entities.ref(ticketId);
  }
}
