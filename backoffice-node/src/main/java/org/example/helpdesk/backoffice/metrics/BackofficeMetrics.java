package org.example.helpdesk.backoffice.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import javax.sql.DataSource;
import org.example.helpdesk.backoffice.ticket.Ticket;
import org.example.helpdesk.backoffice.ticket.TicketProjection;
import org.example.helpdesk.platform.metrics.SqlMetrics;

/**
 * What an operator of the backoffice watches: how far the tickets projection is behind the
 * journal, how many dead letters wait, and what the inbox does with messages.
 */
public final class BackofficeMetrics {

  private final Counter inbox;

  public BackofficeMetrics(PrometheusRegistry registry, DataSource dataSource) {
    inbox =
        Counter.builder()
            .name("helpdesk_inbox_messages")
            .help("Messages the inbox finished with, by outcome (processed, dead_lettered, requeued)")
            .labelNames("outcome")
            .register(registry);
    GaugeWithCallback.builder()
        .name("helpdesk_dead_letters")
        .help("Messages waiting in the dead-letter store")
        .callback(cb -> cb.call(SqlMetrics.firstRow(dataSource, "SELECT count(*) FROM dead_letters")[0]))
        .register(registry);
    GaugeWithCallback.builder()
        .name("helpdesk_projection_lag_events")
        .help("Events of a tag the tickets projection has not applied yet")
        .labelNames("projection", "tag")
        .callback(cb -> forEachTag(dataSource, (tag, lag) -> cb.call(lag[0], TicketProjection.NAME, tag)))
        .register(registry);
    GaugeWithCallback.builder()
        .name("helpdesk_projection_lag_seconds")
        .help("Age of the oldest event of a tag the tickets projection has not applied yet")
        .labelNames("projection", "tag")
        .callback(cb -> forEachTag(dataSource, (tag, lag) -> cb.call(lag[1], TicketProjection.NAME, tag)))
        .register(registry);
  }

  public void processed() {
    inbox.labelValues("processed").inc();
  }

  public void deadLettered() {
    inbox.labelValues("dead_lettered").inc();
  }

  public void requeued() {
    inbox.labelValues("requeued").inc();
  }

  private interface TagLag {
    void accept(String tag, double[] lag);
  }

  private static void forEachTag(DataSource dataSource, TagLag each) {
    for (int i = 0; i < Ticket.TAG_COUNT; i++) {
      String tag = "ticket-" + i;
      each.accept(
          tag,
          SqlMetrics.firstRow(
              dataSource,
              "SELECT count(*), coalesce(extract(epoch FROM now()) - min(j.write_timestamp) / 1000.0, 0) "
                  + "FROM event_tag t JOIN event_journal j ON j.ordering = t.event_id "
                  + "WHERE t.tag = ? AND t.event_id > coalesce((SELECT current_offset::bigint "
                  + "FROM pekko_projection_offset_store WHERE projection_name = ? AND projection_key = ?), 0)",
              tag,
              TicketProjection.NAME,
              tag));
    }
  }

}
