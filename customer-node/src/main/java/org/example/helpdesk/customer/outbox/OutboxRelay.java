package org.example.helpdesk.customer.outbox;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import javax.sql.DataSource;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ShardedDaemonProcess;
import org.apache.pekko.persistence.query.DurableStateChange;
import org.apache.pekko.persistence.query.Offset;
import org.apache.pekko.persistence.query.UpdatedDurableState;
import org.apache.pekko.projection.ProjectionBehavior;
import org.apache.pekko.projection.ProjectionId;
import org.apache.pekko.projection.javadsl.GroupedProjection;
import org.apache.pekko.projection.javadsl.Handler;
import org.apache.pekko.projection.javadsl.SourceProvider;
import org.apache.pekko.projection.jdbc.javadsl.JdbcProjection;
import org.example.helpdesk.customer.issue.Issue;
import org.example.helpdesk.platform.db.Database;
import org.example.helpdesk.platform.db.PooledJdbcSession;
import org.example.helpdesk.platform.projection.DurableStateChangesProvider;

/**
 * Publishes the outbox entries of issues as they are written: a projection over the durable state
 * changes of the issues, one instance per tag, spread over the cluster by a sharded daemon
 * process. At least once: the offset is stored after the entries were confirmed and dropped.
 */
public final class OutboxRelay {

  public static final String NAME = "outbox-relay";

  private OutboxRelay() {}

  /** How often the relay looks for changes, how many it reads at once, how it groups them. */
  public record Settings(Duration pollInterval, Duration settle, int batchSize, int groupSize, Duration groupWithin) {}

  public static void init(ActorSystem<?> system, Database database, OutboxDelivery delivery, Settings settings) {
    ShardedDaemonProcess.get(system)
        .init(
            ProjectionBehavior.Command.class,
            NAME,
            Issue.TAG_COUNT,
            i -> {
              String tag = "issue-" + i;
              return ProjectionBehavior.create(
                  create(
                      system,
                      ProjectionId.of(NAME, tag),
                      new DurableStateChangesProvider<Issue.State>(
                          system, database, tag, settings.pollInterval(), settings.settle(), settings.batchSize()),
                      database.dataSource(),
                      delivery,
                      settings.groupSize(),
                      settings.groupWithin()));
            },
            ProjectionBehavior.stopMessage());
  }

  static GroupedProjection<Offset, DurableStateChange<Issue.State>> create(
      ActorSystem<?> system,
      ProjectionId id,
      SourceProvider<Offset, DurableStateChange<Issue.State>> changes,
      DataSource dataSource,
      OutboxDelivery delivery,
      int groupSize,
      Duration groupWithin) {
    return JdbcProjection.groupedWithinAsync(
            id, changes, () -> new PooledJdbcSession(dataSource), () -> new RelayHandler(delivery), system)
        .withGroup(groupSize, groupWithin);
  }

  static final class RelayHandler extends Handler<List<DurableStateChange<Issue.State>>> {
    private final OutboxDelivery delivery;

    RelayHandler(OutboxDelivery delivery) {
      this.delivery = delivery;
    }

    @Override
    public CompletionStage<Done> process(List<DurableStateChange<Issue.State>> changes) {
      return delivery.deliver(latestWithPendingEntries(changes));
    }
  }

  /**
   * The latest revision of each issue in the group, if it has entries to publish: a later revision
   * holds every entry of an earlier one that is not published yet.
   */
  static List<Issue.ReportedIssue> latestWithPendingEntries(List<DurableStateChange<Issue.State>> changes) {
    Map<String, UpdatedDurableState<Issue.State>> latest = new LinkedHashMap<>();
    for (DurableStateChange<Issue.State> change : changes) {
      if (change instanceof UpdatedDurableState<Issue.State> updated) {
        latest.merge(updated.persistenceId(), updated, (a, b) -> b.revision() >= a.revision() ? b : a);
      }
    }
    List<Issue.ReportedIssue> pending = new ArrayList<>();
    for (UpdatedDurableState<Issue.State> updated : latest.values()) {
      if (updated.value() instanceof Issue.ReportedIssue issue && !issue.outbox().isEmpty()) {
        pending.add(issue);
      }
    }
    return pending;
  }
}
