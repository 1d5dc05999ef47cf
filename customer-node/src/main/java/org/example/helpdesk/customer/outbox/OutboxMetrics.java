package org.example.helpdesk.customer.outbox;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.example.helpdesk.customer.issue.IssueEntity;
import org.example.helpdesk.platform.db.SqlMetrics;
import org.example.helpdesk.platform.metrics.ProjectionLag;

/**
 * What an operator of the customer service watches of the outbox: how many issue changes the relay
 * has not handled yet and how old the oldest is (per tag, from the database, so any node tells the
 * same; read in the background), and how many entries the broker confirmed.
 */
public final class OutboxMetrics {

  private final Counter published;

  public OutboxMetrics(PrometheusRegistry registry, SqlMetrics sqlMetrics) {
    published =
        Counter.builder()
            .name("helpdesk_outbox_published_entries")
            .help("Outbox entries the broker confirmed")
            .register(registry);
    ProjectionLag.register(
        registry, sqlMetrics, OutboxRelay.NAME, IssueEntity.tags(), "changes", RELAY_LAG);
  }

  /** The relay's lag of a tag: (issue changes, seconds), see {@link ProjectionLag#register}. */
  public static final String RELAY_LAG =
      ProjectionLag.STORED_POSITION
          + "SELECT count(*), greatest(0, coalesce(extract(epoch FROM now()) - min(d.state_timestamp) / 1000.0, 0))"
          + " FROM durable_state d, stored WHERE d.tag = ? AND (d.tx_id, d.global_offset) > (stored.tx, stored.off)";

  void published(int entries) {
    published.inc(entries);
  }
}
