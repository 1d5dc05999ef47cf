package org.example.helpdesk.platform.metrics;

import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.List;
import org.example.helpdesk.platform.db.SqlMetrics;

/**
 * How far a projection is behind what it reads, per tag, read from the database in the background
 * ({@link SqlMetrics}): how many changes or events it has not handled yet, and how old the oldest
 * of them is.
 */
public final class ProjectionLag {

  private ProjectionLag() {}

  /**
   * @param unit what the projection reads, in the metric's name ("changes", "events")
   * @param sql returns (count, age in seconds) for parameters (projection name, tag, tag); it
   *     starts with {@link #STORED_POSITION}
   */
  public static void register(
      PrometheusRegistry registry,
      SqlMetrics sqlMetrics,
      String projection,
      List<String> tags,
      String unit,
      String sql) {
    java.util.Map<String, java.util.function.Supplier<double[]>> rows =
        new java.util.LinkedHashMap<>();
    tags.forEach(tag -> rows.put(tag, sqlMetrics.row(sql, projection, tag, tag)));
    perTag(
        registry,
        "helpdesk_projection_lag_" + unit,
        "Items of a tag the projection has not handled yet",
        projection,
        rows,
        0);
    perTag(
        registry,
        "helpdesk_projection_lag_seconds",
        "Age of the oldest item of a tag the projection has not handled yet",
        projection,
        rows,
        1);
  }

  /** A gauge of one value per tag: a column of the row {@code sql} returns for the tag. */
  private static void perTag(
      PrometheusRegistry registry,
      String name,
      String help,
      String projection,
      java.util.Map<String, java.util.function.Supplier<double[]>> rows,
      int column) {
    GaugeWithCallback.builder()
        .name(name)
        .help(help)
        .labelNames("projection", "tag")
        .callback(cb -> rows.forEach((tag, row) -> cb.call(row.get()[column], projection, tag)))
        .register(registry);
  }

  /**
   * The feed position the projection stored for a tag (start of the feed if none), as the row
   * {@code stored(tx, off)}, for parameters (projection name, tag).
   */
  public static final String STORED_POSITION =
      "WITH stored AS (SELECT split_part(o, ':', 1)::xid8 AS tx, split_part(o, ':', 2)::bigint AS off FROM"
          + " (SELECT coalesce((SELECT current_offset FROM pekko_projection_offset_store"
          + " WHERE projection_name = ? AND projection_key = ?), '0:0') AS o) p) ";
}
