package org.example.helpdesk.platform.changefeed;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.example.helpdesk.platform.db.SqlMetrics;

/**
 * What an operator watches of a node's change feeds: rows skipped because they could not be read,
 * and how far an open transaction holds every feed back.
 */
public final class ChangeFeedMetrics {

  private final Counter unreadable;

  public ChangeFeedMetrics(PrometheusRegistry registry, SqlMetrics sqlMetrics) {
    unreadable =
        Counter.builder()
            .name("helpdesk_change_feed_unreadable_rows")
            .help(
                "Rows a change feed passed because they could not be read (logged at ERROR, left in place)")
            .labelNames("table", "tag")
            .register(registry);
    sqlMetrics.gauge(
        registry,
        "helpdesk_change_feed_horizon_age_seconds",
        "Age of the oldest open writing transaction on the database server: feeds deliver only rows of"
            + " transactions older than it, so this is how long a later commit may wait (0 when none is open)",
        "SELECT coalesce(extract(epoch FROM now() - min(xact_start)), 0) FROM pg_stat_activity"
            + " WHERE backend_xid IS NOT NULL AND pid <> pg_backend_pid()");
  }

  void unreadable(String table, String tag) {
    unreadable.labelValues(table, tag).inc();
  }
}
