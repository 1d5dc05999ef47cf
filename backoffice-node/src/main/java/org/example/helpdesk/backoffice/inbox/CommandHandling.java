package org.example.helpdesk.backoffice.inbox;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.pattern.StatusReply;
import org.example.helpdesk.backoffice.ticket.Ticket;
import org.example.helpdesk.backoffice.ticket.Tickets;
import org.example.helpdesk.platform.concurrent.Futures;
import org.example.helpdesk.platform.domain.ConflictException;
import org.example.helpdesk.platform.domain.InvalidCommandInputException;
import org.example.helpdesk.platform.domain.NotFoundException;
import org.example.helpdesk.protocol.AmqpTopology;
import org.example.helpdesk.protocol.CancelTicket;
import org.example.helpdesk.protocol.DistributedCommand;
import org.example.helpdesk.protocol.InvalidCommandException;
import org.example.helpdesk.protocol.PrepareTicket;

/**
 * What the backoffice does with a distributed command, for a fresh delivery and a replay alike. The
 * future completes with the outcome, or fails when the failure may pass (database down, entity not
 * answering in time) and the message should be tried again.
 */
public final class CommandHandling implements MessageHandler {

  private final Tickets tickets;
  private final Duration askTimeout;

  /**
   * @param askTimeout how long one try waits for the ticket
   */
  public CommandHandling(Tickets tickets, Duration askTimeout) {
    this.tickets = tickets;
    this.askTimeout = askTimeout;
  }

  /** The base ask timeout: what one try of a replay waits, and the inbox's first try at least. */
  public Duration askTimeout() {
    return askTimeout;
  }

  @Override
  public CompletionStage<Outcome> handle(InboundMessage message) {
    return handle(message, askTimeout);
  }

  /**
   * @param timeout how long this try waits for the ticket
   */
  public CompletionStage<Outcome> handle(InboundMessage message, Duration timeout) {
    DistributedCommand command;
    try {
      command = message.decode();
    } catch (InvalidCommandException e) {
      return CompletableFuture.completedFuture(new Rejected(e.getMessage()));
    }
    return dispatch(command, message.traceparent(), timeout)
        .<Outcome>thenApply(done -> new Processed(message.type()))
        .exceptionallyCompose(
            failure -> {
              Throwable cause = Futures.unwrap(failure);
              return isRejection(cause)
                  ? CompletableFuture.completedFuture(
                      new Rejected(message.type() + " rejected: " + cause.getMessage()))
                  : CompletableFuture.failedFuture(cause);
            });
  }

  /**
   * @param traceparent the trace context the ticket's span continues (the consume's, or a replay's)
   */
  private CompletionStage<?> dispatch(
      DistributedCommand command, String traceparent, Duration timeout) {
    if (command instanceof PrepareTicket p) {
      return tickets.prepare(
          p.ticketId(),
          p.ticketType(),
          p.description(),
          Ticket.Origin.CUSTOMER_SERVICE,
          timeout,
          traceparent);
    }
    if (command instanceof CancelTicket c) {
      return tickets.cancelForCustomer(c.ticketId(), timeout, traceparent);
    }
    throw new IllegalStateException("no handler for " + command);
  }

  /**
   * Whether Tickets of the same shard as this one answer within the wait: a ticket nobody has,
   * whose id shares the slot, is asked to show itself (its "no such ticket" is an answer).
   */
  public CompletionStage<Boolean> neighbourAnswers(UUID ticketId, Duration wait) {
    UUID random = UUID.randomUUID();
    UUID canary =
        new UUID(
            random.getMostSignificantBits(),
            (random.getLeastSignificantBits() & ~(long) (AmqpTopology.SLOTS - 1))
                | AmqpTopology.slotOf(ticketId));
    return tickets
        .get(canary, wait)
        .handle((view, failure) -> failure == null || isRejection(Futures.unwrap(failure)));
  }

  /** The entity said no: asking again would get the same answer. */
  static boolean isRejection(Throwable t) {
    return t instanceof NotFoundException
        || t instanceof ConflictException
        || t instanceof InvalidCommandInputException
        || t instanceof StatusReply.ErrorMessage;
  }
}
