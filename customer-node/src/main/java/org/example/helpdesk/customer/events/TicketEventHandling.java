package org.example.helpdesk.customer.events;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.pattern.StatusReply;
import org.example.helpdesk.customer.issue.Issue;
import org.example.helpdesk.customer.issue.Issue.TicketStep;
import org.example.helpdesk.customer.issue.Issues;
import org.example.helpdesk.platform.concurrent.Futures;
import org.example.helpdesk.platform.domain.Rejection;
import org.example.helpdesk.protocol.DistributedEvent;
import org.example.helpdesk.protocol.InvalidEventException;
import org.example.helpdesk.protocol.TicketWasAnswered;
import org.example.helpdesk.protocol.TicketWasAssigned;
import org.example.helpdesk.protocol.TicketWasCancelled;
import org.example.helpdesk.protocol.TicketWasPrepared;

/**
 * What the Customer Service does with a ticket event, fresh from the queue or replayed from a dead
 * letter: the step is recorded on its Issue (a step heard before changes nothing). The future
 * completes with the outcome, or fails when the failure may pass (the Issue did not answer in time,
 * the database is down) and the message should be tried again.
 */
public final class TicketEventHandling {

  /** How a message ended. */
  public sealed interface Outcome permits Recorded, Rejected {}

  /** The Issue recorded the step, or had heard it before. */
  public record Recorded(Issue.Summary issue) implements Outcome {}

  /** The message can never be recorded as it is: a dead letter. */
  public record Rejected(String reason) implements Outcome {}

  private final Issues issues;

  public TicketEventHandling(Issues issues) {
    this.issues = issues;
  }

  public CompletionStage<Outcome> handle(EventMessage message) {
    DistributedEvent event;
    try {
      event = message.decode();
    } catch (InvalidEventException e) {
      return CompletableFuture.completedFuture(new Rejected(e.getMessage()));
    }
    return issues
        .recordTicketProgress(event.ticketId(), stepOf(event), message.traceparent())
        .<Outcome>thenApply(Recorded::new)
        .exceptionallyCompose(
            failure -> {
              Throwable cause = Futures.unwrap(failure);
              return isRejection(cause)
                  ? CompletableFuture.completedFuture(
                      new Rejected(message.type() + " refused: " + cause.getMessage()))
                  : CompletableFuture.failedFuture(cause);
            });
  }

  /** The Issue's command for the event. */
  static Issue.RecordTicketProgress stepOf(DistributedEvent event) {
    // (Java 17: no patterns in switch yet)
    if (event instanceof TicketWasAnswered a) {
      return new Issue.RecordTicketProgress(
          a.sequence(), TicketStep.ANSWERED, a.occurredAt(), a.reply());
    }
    TicketStep step =
        event instanceof TicketWasPrepared
            ? TicketStep.PREPARED
            : event instanceof TicketWasAssigned ? TicketStep.ASSIGNED : TicketStep.CANCELLED;
    if (step == TicketStep.CANCELLED && !(event instanceof TicketWasCancelled)) {
      throw new IllegalStateException("no step for " + event);
    }
    return new Issue.RecordTicketProgress(event.sequence(), step, event.occurredAt(), null);
  }

  /** The Issue said no (e.g. it does not exist): asking again would get the same answer. */
  static boolean isRejection(Throwable t) {
    return t instanceof Rejection || t instanceof StatusReply.ErrorMessage;
  }
}
