package org.example.helpdesk.platform.changefeed;

import java.util.List;
import java.util.function.BiFunction;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ShardedDaemonProcess;
import org.apache.pekko.projection.Projection;
import org.apache.pekko.projection.ProjectionBehavior;
import org.apache.pekko.projection.ProjectionId;
import org.apache.pekko.projection.javadsl.SourceProvider;
import org.example.helpdesk.platform.changefeed.CommitOrderedFeed.Change;

/**
 * A projection over a {@link CommitOrderedFeed} as the cluster runs it: one instance per tag, each
 * reading only its tag and storing its own offset, spread over the nodes by a sharded daemon
 * process (which keeps every instance running on some node, and moves it when a node leaves).
 */
public final class FeedProjections {

  private FeedProjections() {}

  /**
   * Starts the instances of a projection, one per tag of {@code feed}.
   *
   * @param daemonName the name of the sharded daemon process (it names the cluster's entities, so
   *     it must stay the same from one release to the next)
   * @param projectionName the projection's name: with the tag, the key of each instance's offset
   * @param instance builds one tag's instance from its id and its source of changes
   */
  public static <T> void initPerTag(
      ActorSystem<?> system,
      String daemonName,
      String projectionName,
      CommitOrderedFeed<T> feed,
      List<String> tags,
      BiFunction<ProjectionId, SourceProvider<String, Change<T>>, Projection<?>> instance) {
    ShardedDaemonProcess.get(system)
        .init(
            ProjectionBehavior.Command.class,
            daemonName,
            tags.size(),
            i ->
                ProjectionBehavior.create(
                    instance.apply(
                        ProjectionId.of(projectionName, tags.get(i)),
                        new FeedSourceProvider<>(feed, tags.get(i)))),
            ProjectionBehavior.stopMessage());
  }
}
