package org.example.helpdesk.backoffice.console;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The console's status strip, read from the node's own metrics (the same numbers {@code /metrics}
 * shows): inbox outcomes on this node, open dead letters and read-model lag of the cluster. The
 * gauges' values are read from the database in the background, so this runs no query.
 */
public final class StatusStrip {

  private final PrometheusRegistry registry;

  public StatusStrip(PrometheusRegistry registry) {
    this.registry = registry;
  }

  public CompletionStage<Map<String, Object>> read() {
    return CompletableFuture.completedFuture(scrape());
  }

  private Map<String, Object> scrape() {
    double processed = 0;
    double deadLettered = 0;
    double open = 0;
    double lagEvents = 0;
    double lagSeconds = 0;
    for (MetricSnapshot m :
        registry.scrape(
            name ->
                name.startsWith("helpdesk_inbox_messages")
                    || name.equals("helpdesk_dead_letters")
                    || name.startsWith("helpdesk_projection_lag"))) {
      String name = m.getMetadata().getName();
      if (m instanceof CounterSnapshot c && name.equals("helpdesk_inbox_messages")) {
        for (var p : c.getDataPoints()) {
          String outcome = p.getLabels().get("outcome");
          if ("processed".equals(outcome)) {
            processed += p.getValue();
          } else if ("dead_lettered".equals(outcome) || "parked".equals(outcome)) {
            deadLettered += p.getValue();
          }
        }
      } else if (m instanceof GaugeSnapshot g) {
        for (var p : g.getDataPoints()) {
          if (name.equals("helpdesk_dead_letters")) {
            open += p.getValue();
          } else if (name.equals("helpdesk_projection_lag_events")) {
            lagEvents += p.getValue();
          } else if (name.equals("helpdesk_projection_lag_seconds")) {
            lagSeconds = Math.max(lagSeconds, p.getValue());
          }
        }
      }
    }
    return Map.of(
        "processed", (long) processed,
        "deadLettered", (long) deadLettered,
        "openDeadLetters", (long) open,
        "lagEvents", (long) lagEvents,
        "lagEventsWord", (long) lagEvents == 1 ? "event" : "events",
        "lagSeconds", String.format(java.util.Locale.ROOT, "%.1f", lagSeconds));
  }
}
