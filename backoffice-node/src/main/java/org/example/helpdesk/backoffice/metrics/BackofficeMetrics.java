package org.example.helpdesk.backoffice.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.example.helpdesk.backoffice.inbox.DeadLetterStore;
import org.example.helpdesk.backoffice.ticket.Ticket;
import org.example.helpdesk.backoffice.ticket.TicketProjection;
import org.example.helpdesk.platform.db.SqlMetrics;
import org.example.helpdesk.platform.metrics.ProjectionLag;

/**
 * What an operator of the backoffice watches: how far the tickets projection is behind the journal,
 * how many dead letters wait, and what the inbox does with messages.
 */
public final class BackofficeMetrics {

  private final Counter inbox;

  public BackofficeMetrics(PrometheusRegistry registry, SqlMetrics sqlMetrics) {
    inbox =
        Counter.builder()
            .name("helpdesk_inbox_messages")
            .help(
                "Messages the inbox finished with, by outcome (processed, dead_lettered, parked, requeued)")
            .labelNames("outcome")
            .register(registry);
    sqlMetrics.gauge(
        registry,
        "helpdesk_dead_letters",
        "Messages waiting in the dead-letter store",
        DeadLetterStore.COUNT_OPEN);
    ProjectionLag.register(
        registry, sqlMetrics, TicketProjection.NAME, Ticket.tags(), "events", TICKETS_LAG);
  }

  /**
   * The tickets projection's lag of a tag: (events, seconds), see {@link ProjectionLag#register}.
   */
  public static final String TICKETS_LAG =
      ProjectionLag.STORED_POSITION
          + "SELECT count(*), greatest(0, coalesce(extract(epoch FROM now()) - min(j.write_timestamp) / 1000.0, 0))"
          + " FROM event_tag t JOIN event_journal j ON j.ordering = t.event_id, stored"
          + " WHERE t.tag = ? AND (t.tx_id, t.event_id) > (stored.tx, stored.off)";

  public void processed() {
    inbox.labelValues("processed").inc();
  }

  public void deadLettered() {
    inbox.labelValues("dead_lettered").inc();
  }

  public void parked() {
    inbox.labelValues("parked").inc();
  }

  public void requeued() {
    inbox.labelValues("requeued").inc();
  }
}
