package org.example.helpdesk.customer.issue;

import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.example.helpdesk.platform.tracing.Tracing;
import org.example.helpdesk.protocol.IssueContent;

/** The Issue entities of the cluster, wherever their shards live. */
public final class Issues {

  private final ClusterSharding sharding;
  private final Duration askTimeout;
  private final Tracing tracing;

  private Issues(ClusterSharding sharding, Duration askTimeout, Tracing tracing) {
    this.sharding = sharding;
    this.askTimeout = askTimeout;
    this.tracing = tracing;
  }

  public static Issues init(ActorSystem<?> system, Clock clock, Duration askTimeout) {
    ClusterSharding sharding = ClusterSharding.get(system);
    sharding.init(
        Entity.of(
            IssueEntity.TYPE,
            ctx -> IssueEntity.create(UUID.fromString(ctx.getEntityId()), clock)));
    return new Issues(sharding, askTimeout, Tracing.get(system));
  }

  /**
   * @param traceparent the request's trace context (null: none), which its fact keeps
   */
  public CompletionStage<Issue.Reported> report(
      UUID issueId, Email email, IssueContent content, String traceparent) {
    return tracing.traced(
        "Issue report",
        traceparent,
        tp ->
            ref(issueId)
                .askWithStatus(r -> new Issue.ReportIssue(email, content, tp, r), askTimeout),
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
        tp -> ref(issueId).askWithStatus(r -> new Issue.CloseIssue(tp, r), askTimeout),
        "issue.id",
        issueId.toString());
  }

  public CompletionStage<Issue.Summary> get(UUID issueId) {
    return ref(issueId).askWithStatus(Issue.GetIssue::new, askTimeout);
  }

  private EntityRef<Issue.Command> ref(UUID issueId) {
    return sharding.entityRefFor(IssueEntity.TYPE, issueId.toString());
  }
}
