package org.example.helpdesk.platform.metrics;

import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.List;
import javax.sql.DataSource;

/**
 * How far a projection is behind what it reads, per tag, read from the database when scraped: how
 * many changes or events it has not handled yet, and how old the oldest of them is.
 */
public final class ProjectionLag {

  private ProjectionLag() {}

  /**
   * @param unit what the projection reads, in the metric's name ("changes", "events")
   * @param sql returns (count, age in seconds) for parameters (tag, projection name, tag)
   */
  public static void register(
      PrometheusRegistry registry, DataSource dataSource, String projection, List<String> tags, String unit, String sql) {
    GaugeWithCallback.builder()
        .name("helpdesk_projection_lag_" + unit)
        .help("Items of a tag the projection has not handled yet")
        .labelNames("projection", "tag")
        .callback(cb -> tags.forEach(tag -> cb.call(SqlMetrics.firstRow(dataSource, sql, tag, projection, tag)[0], projection, tag)))
        .register(registry);
    GaugeWithCallback.builder()
        .name("helpdesk_projection_lag_seconds")
        .help("Age of the oldest item of a tag the projection has not handled yet")
        .labelNames("projection", "tag")
        .callback(cb -> tags.forEach(tag -> cb.call(SqlMetrics.firstRow(dataSource, sql, tag, projection, tag)[1], projection, tag)))
        .register(registry);
  }

  /** The offset the projection stored for a tag, as SQL for the queries above. */
  public static final String STORED_OFFSET =
      "coalesce((SELECT current_offset::bigint FROM pekko_projection_offset_store "
          + "WHERE projection_name = ? AND projection_key = ?), 0)";
}
