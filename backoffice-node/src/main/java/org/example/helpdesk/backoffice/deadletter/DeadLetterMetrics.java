package org.example.helpdesk.backoffice.deadletter;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.example.helpdesk.platform.db.SqlMetrics;

/** How many dead letters wait, for whoever watches the node: registered by the feature itself. */
public final class DeadLetterMetrics {

  private DeadLetterMetrics() {}

  public static void register(PrometheusRegistry registry, SqlMetrics sqlMetrics) {
    sqlMetrics.gauge(
        registry,
        "helpdesk_dead_letters",
        "Messages waiting in the dead-letter store",
        DeadLetterQueries.COUNT_OPEN);
  }
}
