package org.example.helpdesk.backoffice.inbox;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * What the inbox does with messages, for whoever watches the node ({@code /metrics}, the console's
 * status strip): the inbox registers its own counter, so nothing outside it needs to know it.
 */
public final class InboxMetrics {

  private final Counter inbox;

  public InboxMetrics(PrometheusRegistry registry) {
    inbox =
        Counter.builder()
            .name("helpdesk_inbox_messages")
            .help(
                "Messages the inbox finished with, by outcome (processed, dead_lettered, parked, requeued)")
            .labelNames("outcome")
            .register(registry);
  }

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
