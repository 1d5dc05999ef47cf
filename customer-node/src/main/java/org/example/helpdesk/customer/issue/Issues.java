package org.example.helpdesk.customer.issue;

import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;

/** The Issue entities of the cluster, wherever their shards live. */
public final class Issues {

  private final ClusterSharding sharding;
  private final Duration askTimeout;
  private final ActorRef<StatusReply<Done>> ignoreReplies;

  private Issues(ClusterSharding sharding, Duration askTimeout, ActorRef<StatusReply<Done>> ignoreReplies) {
    this.sharding = sharding;
    this.askTimeout = askTimeout;
    this.ignoreReplies = ignoreReplies;
  }

  public static Issues init(ActorSystem<?> system, Clock clock, Duration askTimeout) {
    ClusterSharding sharding = ClusterSharding.get(system);
    sharding.init(Entity.of(Issue.ENTITY_TYPE, ctx -> Issue.create(UUID.fromString(ctx.getEntityId()), clock)));
    return new Issues(sharding, askTimeout, system.ignoreRef());
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

  public CompletionStage<Done> markOutboxPublished(UUID issueId, long upToEntry) {
    return ref(issueId).askWithStatus(r -> new Issue.MarkOutboxPublished(upToEntry, r), askTimeout);
  }

  /**
   * Tells the issue, without waiting, that its entries up to {@code upToEntry} are published. If
   * the message is lost, the entries stay pending and the sweep publishes them again: a duplicate,
   * which the backoffice ignores.
   */
  public void tellOutboxPublished(UUID issueId, long upToEntry) {
    ref(issueId).tell(new Issue.MarkOutboxPublished(upToEntry, ignoreReplies));
  }

  private EntityRef<Issue.Command> ref(UUID issueId) {
    return sharding.entityRefFor(Issue.ENTITY_TYPE, issueId.toString());
  }
}
