package org.example.helpdesk.platform.db;

import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Metric values read from the database in the background, every {@code interval}, on a thread of
 * their own: a scrape reads the last values and runs no query, so a flood of scrapes costs the
 * database nothing and cannot crowd out the JDBC executor that the outbox relay and the inbox use.
 * The values are at most {@code interval} (plus a query) old.
 */
public final class SqlMetrics implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(SqlMetrics.class);

  private final DataSource dataSource;
  private final List<Sampled> sampled = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService thread;
  private final java.util.concurrent.atomic.AtomicLong queries =
      new java.util.concurrent.atomic.AtomicLong();

  /** A query and the first row it returned last (NaN before the first read and after a failure). */
  private static final class Sampled implements Supplier<double[]> {
    final String sql;
    final Object[] params;
    volatile double[] last = {Double.NaN, Double.NaN, Double.NaN};

    Sampled(String sql, Object[] params) {
      this.sql = sql;
      this.params = params;
    }

    @Override
    public double[] get() {
      return last;
    }
  }

  public SqlMetrics(DataSource dataSource, Duration interval, String name) {
    this.dataSource = dataSource;
    this.thread =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, name + "-sql-metrics");
              t.setDaemon(true);
              return t;
            });
    thread.scheduleWithFixedDelay(
        this::sampleAll, 0, Math.max(1, interval.toMillis()), TimeUnit.MILLISECONDS);
  }

  /** The first row of the query, as last read in the background. */
  public Supplier<double[]> row(String sql, Object... params) {
    Sampled s = new Sampled(sql, params.clone());
    sampled.add(s);
    thread.execute(() -> sample(s)); // a first value soon, not only at the next round
    return s;
  }

  /** A gauge whose value is the first number of the query's first row, as last read. */
  public void gauge(PrometheusRegistry registry, String name, String help, String sql) {
    Supplier<double[]> row = row(sql);
    GaugeWithCallback.builder()
        .name(name)
        .help(help)
        .callback(cb -> cb.call(row.get()[0]))
        .register(registry);
  }

  private void sampleAll() {
    sampled.forEach(this::sample);
  }

  private void sample(Sampled s) {
    queries.incrementAndGet();
    s.last = firstRow(dataSource, s.sql, s.params);
  }

  /** The queries one round runs. */
  public int queriesPerRound() {
    return sampled.size();
  }

  /** Queries run so far (whatever was scraped meanwhile). */
  public long queriesRun() {
    return queries.get();
  }

  @Override
  public void close() {
    thread.shutdownNow();
  }

  /** The numbers of the query's first row; NaN when the database does not answer. */
  public static double[] firstRow(DataSource dataSource, String sql, Object... params) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement(sql)) {
      s.setQueryTimeout(10);
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
    } catch (SQLException | RuntimeException e) {
      // a scrape during a database outage still answers, with NaN where it could not look
      log.debug("Metric query failed: {}", e.toString());
      double[] nan = new double[3];
      Arrays.fill(nan, Double.NaN);
      return nan;
    }
  }
}
