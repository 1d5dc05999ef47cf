package org.example.helpdesk.platform.changefeed;

import com.typesafe.config.Config;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.apache.pekko.actor.typed.ActorSystem;
import org.example.helpdesk.platform.db.Database;
import org.example.helpdesk.platform.db.SqlMetrics;

/**
 * A node's change feeds: the tables it follows in commit order, the one connection that listens for
 * their writes, and their metrics. Settings: {@code helpdesk.change-feed}.
 */
public final class ChangeFeeds implements AutoCloseable {

  private final ActorSystem<?> system;
  private final Database database;
  private final ChangeNotifications notifications;
  private final ChangeFeedMetrics metrics;
  private final Config settings;

  private ChangeFeeds(
      ActorSystem<?> system,
      Database database,
      PrometheusRegistry registry,
      SqlMetrics sqlMetrics,
      Config settings,
      String... tables) {
    this.system = system;
    this.database = database;
    this.settings = settings;
    this.notifications = ChangeNotifications.start(database.settings(), system.name(), tables);
    this.metrics = new ChangeFeedMetrics(registry, sqlMetrics);
  }

  /** Follows these tables of the node's schema (each needs the {@code notify_change} trigger). */
  public static ChangeFeeds start(
      ActorSystem<?> system,
      Database database,
      PrometheusRegistry registry,
      SqlMetrics sqlMetrics,
      Config settings,
      String... tables) {
    return new ChangeFeeds(system, database, registry, sqlMetrics, settings, tables);
  }

  /** The feed of one of the followed tables, reading at most {@code batchSize} rows at once. */
  public <T> CommitOrderedFeed<T> feed(CommitOrderedFeed.Table<T> table, int batchSize) {
    return new CommitOrderedFeed<>(
        system,
        database,
        table,
        notifications.signal(table.name()),
        new CommitOrderedFeed.Settings(
            batchSize,
            settings.getDuration("min-interval"),
            settings.getDuration("fallback-poll"),
            settings.getDuration("held-back-min"),
            settings.getDuration("held-back-max")),
        metrics);
  }

  /** Raised when a transaction that notified on this table's channel commits. */
  public ChangeSignal signal(String table) {
    return notifications.signal(table);
  }

  @Override
  public void close() {
    notifications.close();
  }
}
