package org.example.helpdesk.backoffice.ticket;

import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;

/** The Ticket entities of the cluster, wherever their shards live. */
public final class Tickets {

  private final ClusterSharding sharding;
  private final Duration askTimeout;

  private Tickets(ClusterSharding sharding, Duration askTimeout) {
    this.sharding = sharding;
    this.askTimeout = askTimeout;
  }

  public static Tickets init(ActorSystem<?> system, Clock clock, Duration askTimeout) {
    ClusterSharding sharding = ClusterSharding.get(system);
    sharding.init(
        Entity.of(Ticket.ENTITY_TYPE, ctx -> Ticket.create(UUID.fromString(ctx.getEntityId()), clock)));
    return new Tickets(sharding, askTimeout);
  }

  /** An employee prepares a ticket. */
  public CompletionStage<Ticket.Details> prepare(UUID ticketId, String ticketType, String description) {
    return prepare(ticketId, ticketType, description, Ticket.Origin.BACKOFFICE, askTimeout);
  }

  public CompletionStage<Ticket.Details> prepare(
      UUID ticketId, String ticketType, String description, Ticket.Origin origin, Duration timeout) {
    return ref(ticketId).askWithStatus(r -> new Ticket.PrepareTicket(ticketType, description, origin, r), timeout);
  }

  /** An employee cancels a ticket. */
  public CompletionStage<Ticket.Details> cancel(UUID ticketId, String employee) {
    return ref(ticketId).askWithStatus(r -> new Ticket.CancelTicket(Ticket.Origin.BACKOFFICE, employee, r), askTimeout);
  }

  /** The customer service cancels the ticket one of its issues prepared. */
  public CompletionStage<Ticket.Details> cancelForCustomer(UUID ticketId, Duration timeout) {
    return ref(ticketId).askWithStatus(r -> new Ticket.CancelTicket(Ticket.Origin.CUSTOMER_SERVICE, null, r), timeout);
  }

  /** An employee ({@code by}) assigns a ticket. */
  public CompletionStage<Ticket.Details> assign(UUID ticketId, String assignee, String by) {
    return ref(ticketId).askWithStatus(r -> new Ticket.AssignTicket(assignee, by, r), askTimeout);
  }

  public CompletionStage<Ticket.Details> get(UUID ticketId) {
    return ref(ticketId).askWithStatus(Ticket.GetTicket::new, askTimeout);
  }

  private EntityRef<Ticket.Command> ref(UUID ticketId) {
    return sharding.entityRefFor(Ticket.ENTITY_TYPE, ticketId.toString());
  }
}
