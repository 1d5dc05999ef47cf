package org.example.helpdesk.customer.outbox;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.example.helpdesk.customer.issue.Issue;
import java.util.stream.IntStream;
import org.example.helpdesk.platform.metrics.ProjectionLag;

/**
 * What an operator of the customer service watches: outbox entries waiting to be published and
 * how old the oldest is (as the sweepers of this node last counted them, per tag: sum the nodes),
 * how far the relay is behind the issue changes, and how many entries were published.
 */
public final class OutboxMetrics {

  /** What a sweep of one tag counted. */
  record Pending(long entries, Instant oldest) {}

  private final Map<String, Pending> pendingByTag = new ConcurrentHashMap<>();
  private final Counter published;

  public OutboxMetrics(PrometheusRegistry registry, DataSource dataSource, Clock clock) {
    published =
        Counter.builder()
            .name("helpdesk_outbox_published_entries")
            .help("Outbox entries the broker confirmed")
            .register(registry);
    GaugeWithCallback.builder()
        .name("helpdesk_outbox_pending_entries")
        .help("Outbox entries not yet published, per tag swept on this node (at the last sweep)")
        .labelNames("tag")
        .callback(cb -> pendingByTag.forEach((tag, p) -> cb.call(p.entries(), tag)))
        .register(registry);
    GaugeWithCallback.builder()
        .name("helpdesk_outbox_oldest_pending_age_seconds")
        .help("Age of the oldest outbox entry not yet published, per tag swept on this node")
        .labelNames("tag")
        .callback(
            cb ->
                pendingByTag.forEach(
                    (tag, p) ->
                        cb.call(p.oldest() == null ? 0 : Duration.between(p.oldest(), clock.instant()).toMillis() / 1000.0, tag)))
        .register(registry);
    ProjectionLag.register(
        registry,
        dataSource,
        OutboxRelay.NAME,
        IntStream.range(0, Issue.TAG_COUNT).mapToObj(i -> "issue-" + i).toList(),
        "changes",
        "SELECT count(*), coalesce(extract(epoch FROM now()) - min(state_timestamp) / 1000.0, 0) "
            + "FROM durable_state WHERE tag = ? AND global_offset > "
            + ProjectionLag.STORED_OFFSET);
  }

  void published(int entries) {
    published.inc(entries);
  }

  void swept(String tag, long pendingEntries, Instant oldest) {
    pendingByTag.put(tag, new Pending(pendingEntries, oldest));
  }

  /** The tag's sweeper moved to another node: its figures are that node's to tell now. */
  void forget(String tag) {
    pendingByTag.remove(tag);
  }

}
