package org.example.helpdesk.customer.issue;

import java.time.Clock;
import java.util.UUID;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.state.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.state.javadsl.DurableStateBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.state.javadsl.ReplyEffect;
import org.example.helpdesk.customer.issue.Issue.CloseIssue;
import org.example.helpdesk.customer.issue.Issue.Command;
import org.example.helpdesk.customer.issue.Issue.GetIssue;
import org.example.helpdesk.customer.issue.Issue.ReportIssue;
import org.example.helpdesk.customer.issue.Issue.ReportedIssue;
import org.example.helpdesk.customer.issue.Issue.State;
import org.example.helpdesk.platform.domain.Entities;
import org.example.helpdesk.platform.domain.Rejection;

/**
 * An {@link Issue} as a durable-state entity under Cluster Sharding: it stores what the issue's
 * rules decide (one write when something changed, none otherwise), with the time of its clock.
 */
public final class IssueEntity extends DurableStateBehaviorWithEnforcedReplies<Command, State> {

  public static final EntityTypeKey<Command> TYPE = EntityTypeKey.create(Command.class, "Issue");

  /** The time the issue's facts happen at. */
  private final Clock clock;

  public static Behavior<Command> create(UUID issueId, Clock clock) {
    return new IssueEntity(Entities.persistenceId(TYPE, issueId), clock);
  }

  private IssueEntity(PersistenceId persistenceId, Clock clock) {
    super(persistenceId, Entities.RESTART_AFTER_STORE_FAILURE);
    this.clock = clock;
  }

  private UUID issueId() {
    return Entities.entityId(persistenceId());
  }

  @Override
  public String tag() {
    return Issue.tagFor(issueId());
  }

  @Override
  public State emptyState() {
    return new Issue.NoIssue();
  }

  @Override
  public CommandHandlerWithReply<Command, State> commandHandler() {
    return newCommandHandlerWithReplyBuilder()
        .forAnyState()
        .onCommand(
            ReportIssue.class,
            (state, c) ->
                handle(
                    state,
                    c,
                    c.replyTo(),
                    issue -> new Issue.Reported(issue.summary(), state instanceof Issue.NoIssue)))
        .onCommand(
            CloseIssue.class, (state, c) -> handle(state, c, c.replyTo(), ReportedIssue::summary))
        .onCommand(
            GetIssue.class, (state, c) -> handle(state, c, c.replyTo(), ReportedIssue::summary))
        .build();
  }

  /** Stores the issue the rules make of it, if it changed, and answers with {@code answer}. */
  private <R> ReplyEffect<State> handle(
      State state,
      Command command,
      ActorRef<StatusReply<R>> replyTo,
      Function<ReportedIssue, R> answer) {
    State next;
    try {
      next = Issue.decide(state, command, issueId(), clock.instant());
    } catch (Rejection no) {
      return Effect().reply(replyTo, StatusReply.error(no));
    }
    return next == state
        ? Effect().reply(replyTo, StatusReply.success(answer.apply((ReportedIssue) state)))
        : Effect()
            .persist(next)
            .thenReply(replyTo, s -> StatusReply.success(answer.apply((ReportedIssue) s)));
  }
}
