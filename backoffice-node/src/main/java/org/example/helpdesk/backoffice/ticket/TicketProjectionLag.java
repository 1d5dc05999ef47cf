package org.example.helpdesk.backoffice.ticket;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.example.helpdesk.platform.db.SqlMetrics;
import org.example.helpdesk.platform.metrics.ProjectionLag;

/** How far the tickets projection is behind the journal: registered by the ticket feature. */
public final class TicketProjectionLag {

  private TicketProjectionLag() {}

  /**
   * The tickets projection's lag of a tag: (events, seconds), see {@link ProjectionLag#register}.
   */
  public static final String SQL =
      ProjectionLag.STORED_POSITION
          + "SELECT count(*), greatest(0, coalesce(extract(epoch FROM now()) - min(j.write_timestamp) / 1000.0, 0))"
          + " FROM event_tag t JOIN event_journal j ON j.ordering = t.event_id, stored"
          + " WHERE t.tag = ? AND (t.tx_id, t.event_id) > (stored.tx, stored.off)";

  public static void register(PrometheusRegistry registry, SqlMetrics sqlMetrics) {
    ProjectionLag.register(
        registry, sqlMetrics, TicketProjection.NAME, TicketTags.all(), "events", SQL);
  }
}
