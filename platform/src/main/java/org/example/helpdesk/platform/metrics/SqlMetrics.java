package org.example.helpdesk.platform.metrics;

import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Metric values read from the database when scraped. */
public final class SqlMetrics {

  private static final Logger log = LoggerFactory.getLogger(SqlMetrics.class);

  private SqlMetrics() {}

  /** A gauge whose value, read when scraped, is the first number of the query's first row. */
  public static void gauge(
      PrometheusRegistry registry, String name, String help, DataSource dataSource, String sql) {
    GaugeWithCallback.builder()
        .name(name)
        .help(help)
        .callback(cb -> cb.call(firstRow(dataSource, sql)[0]))
        .register(registry);
  }

  /** The numbers of the query's first row; NaN when the database does not answer. */
  public static double[] firstRow(DataSource dataSource, String sql, Object... params) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        s.setObject(i + 1, params[i]);
      }
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        double[] row = new double[rs.getMetaData().getColumnCount()];
        for (int i = 0; i < row.length; i++) {
          row[i] = rs.getDouble(i + 1);
        }
        return row;
      }
    } catch (SQLException e) {
      // a scrape during a database outage still answers, with NaN where it could not look
      log.debug("Metric query failed: {}", e.toString());
      return new double[] {Double.NaN, Double.NaN, Double.NaN};
    }
  }
}
