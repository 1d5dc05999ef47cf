package org.example.helpdesk.backoffice.events;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.example.helpdesk.backoffice.ticket.TicketProjectionLag;
import org.example.helpdesk.backoffice.ticket.TicketTags;
import org.example.helpdesk.platform.db.SqlMetrics;

/**
 * What an operator watches of the events' relay: how many Ticket events it has not handled yet and
 * how old the oldest is, per tag (from the database, so any node tells the same; read in the
 * background), and how many messages the broker confirmed. Names of their own, not the read model's
 * {@code helpdesk_projection_lag_*}: the console's status strip and the benchmark sum those as the
 * read model's lag.
 */
public final class TicketEventRelayMetrics {

  private final Counter published;

  public TicketEventRelayMetrics(PrometheusRegistry registry, SqlMetrics sqlMetrics) {
    published =
        Counter.builder()
            .name("helpdesk_ticket_events_published")
            .help("Ticket events for customers the broker confirmed (repeats included)")
            .register(registry);
    Map<String, Supplier<double[]>> rows = new LinkedHashMap<>();
    for (String tag : TicketTags.all()) {
      rows.put(tag, sqlMetrics.row(TicketProjectionLag.SQL, TicketEventRelay.NAME, tag, tag));
    }
    perTag(
        registry,
        "helpdesk_ticket_events_relay_lag_events",
        "Ticket events of a tag the events' relay has not handled yet",
        rows,
        0);
    perTag(
        registry,
        "helpdesk_ticket_events_relay_lag_seconds",
        "Age of the oldest Ticket event of a tag the events' relay has not handled yet",
        rows,
        1);
  }

  void published(int messages) {
    published.inc(messages);
  }

  private static void perTag(
      PrometheusRegistry registry,
      String name,
      String help,
      Map<String, Supplier<double[]>> rows,
      int column) {
    GaugeWithCallback.builder()
        .name(name)
        .help(help)
        .labelNames("tag")
        .callback(cb -> rows.forEach((tag, row) -> cb.call(row.get()[column], tag)))
        .register(registry);
  }
}
