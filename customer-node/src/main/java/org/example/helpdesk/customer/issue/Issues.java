package org.example.helpdesk.customer.issue;

import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.example.helpdesk.platform.domain.ShardedEntities;
import org.example.helpdesk.platform.tracing.Tracing;
import org.example.helpdesk.protocol.IssueContent;
import org.example.helpdesk.protocol.TraceContext;

/** The Issue entities of the cluster, wherever their shards live. */
public final class Issues {

  private final ShardedEntities<IssueEntity.Message> entities;
  private final Duration askTimeout;
  private final Tracing tracing;

  private Issues(
      ShardedEntities<IssueEntity.Message> entities, Duration askTimeout, Tracing tracing) {
    this.entities = entities;
    this.askTimeout = askTimeout;
    this.tracing = tracing;
  }

  public static Issues init(ActorSystem<?> system, Clock clock, Duration askTimeout) {
    return new Issues(
        ShardedEntities.init(system, IssueEntity.TYPE, id -> IssueEntity.create(id, clock)),
        askTimeout,
        Tracing.get(system));
  }

  /**
   * @param traceparent the request's trace context (null: none), which its fact keeps
   */
  public CompletionStage<Issue.Reported> report(
      UUID issueId, Email email, IssueContent content, String traceparent) {
    return tracing.traced(
        "Issue report",
        traceparent,
        tp -> ask(issueId, new Issue.ReportIssue(email, content), tp),
        "issue.id",
        issueId.toString());
  }

  /**
   * @param traceparent the request's trace context (null: none), which its fact keeps
   */
  public CompletionStage<Issue.Summary> close(UUID issueId, String traceparent) {
    return tracing.traced(
        "Issue close",
        traceparent,
        tp -> ask(issueId, new Issue.CloseIssue(), tp).thenApply(Issue.Reported::issue),
        "issue.id",
        issueId.toString());
  }

  /**
   * Records a step of the issue's ticket, as the backoffice told it; a step heard before changes
   * nothing. Fails with {@code NotFoundException} for an issue this service does not know.
   *
   * @param traceparent the trace context the backoffice's message carried (null: none)
   */
  public CompletionStage<Issue.Summary> recordTicketProgress(
      UUID issueId, Issue.RecordTicketProgress step, String traceparent) {
    return tracing.traced(
        "Issue ticket progress",
        traceparent,
        tp -> ask(issueId, step, tp).thenApply(Issue.Reported::issue),
        "issue.id",
        issueId.toString());
  }

  /** The issue with its timeline. */
  public CompletionStage<IssueEntity.View> view(UUID issueId) {
    return ref(issueId).askWithStatus(IssueEntity.GetView::new, askTimeout);
  }

  public CompletionStage<Issue.Summary> get(UUID issueId) {
    return ref(issueId).askWithStatus(IssueEntity.Get::new, askTimeout);
  }

  /** The command in its envelope, with the trace context its facts keep. */
  private CompletionStage<Issue.Reported> ask(
      UUID issueId, Issue.Command command, String traceparent) {
    return ref(issueId)
        .askWithStatus(
            r -> new IssueEntity.Envelope(command, TraceContext.of(traceparent), r), askTimeout);
  }

  private EntityRef<IssueEntity.Message> ref(UUID issueId) {
    return entities.ref(issueId);
  }
}
