package org.example.helpdesk.customer.issue;

import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;

/** The Issue entities of the cluster, wherever their shards live. */
public final class Issues {

  private final ClusterSharding sharding;
  private final Duration askTimeout;

  private Issues(ClusterSharding sharding, Duration askTimeout) {
    this.sharding = sharding;
    this.askTimeout = askTimeout;
  }

  public static Issues init(ActorSystem<?> system, Clock clock, Duration askTimeout) {
    ClusterSharding sharding = ClusterSharding.get(system);
    sharding.init(Entity.of(Issue.ENTITY_TYPE, ctx -> Issue.create(UUID.fromString(ctx.getEntityId()), clock)));
    return new Issues(sharding, askTimeout);
  }

  public CompletionStage<Issue.Reported> report(UUID issueId, Email email, String content) {
    return ref(issueId).askWithStatus(r -> new Issue.ReportIssue(email, content, r), askTimeout);
  }

  public CompletionStage<Issue.Summary> close(UUID issueId) {
    return ref(issueId).askWithStatus(Issue.CloseIssue::new, askTimeout);
  }

  public CompletionStage<Issue.Summary> get(UUID issueId) {
    return ref(issueId).askWithStatus(Issue.GetIssue::new, askTimeout);
  }

  private EntityRef<Issue.Command> ref(UUID issueId) {
    return sharding.entityRefFor(Issue.ENTITY_TYPE, issueId.toString());
  }
}
