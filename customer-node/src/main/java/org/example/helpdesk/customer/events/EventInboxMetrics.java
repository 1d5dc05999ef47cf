package org.example.helpdesk.customer.events;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/** What an operator watches of the inbox of ticket events. */
public final class EventInboxMetrics {

  private final Counter recorded;
  private final Counter deadLettered;
  private final Counter retried;

  public EventInboxMetrics(PrometheusRegistry registry) {
    recorded =
        Counter.builder()
            .name("helpdesk_ticket_events_recorded")
            .help("Ticket events recorded on their issues (a step heard before included)")
            .register(registry);
    deadLettered =
        Counter.builder()
            .name("helpdesk_ticket_events_dead_lettered")
            .help("Ticket events kept as dead letters (GET /admin/dead-letters)")
            .register(registry);
    retried =
        Counter.builder()
            .name("helpdesk_ticket_events_retried")
            .help("Tries of ticket events that failed in a way that may pass, tried again")
            .register(registry);
  }

  void recorded() {
    recorded.inc();
  }

  void deadLettered() {
    deadLettered.inc();
  }

  void retried() {
    retried.inc();
  }
}
