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
import org.example.helpdesk.platform.metrics.SqlMetrics;

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
    GaugeWithCallback.builder()
        .name("helpdesk_projection_lag_changes")
        .help("Issue changes of a tag the outbox relay has not handled yet")
        .labelNames("projection", "tag")
        .callback(cb -> forEachTag(dataSource, (tag, lag) -> cb.call(lag[0], OutboxRelay.NAME, tag)))
        .register(registry);
    GaugeWithCallback.builder()
        .name("helpdesk_projection_lag_seconds")
        .help("Age of the oldest issue change of a tag the outbox relay has not handled yet")
        .labelNames("projection", "tag")
        .callback(cb -> forEachTag(dataSource, (tag, lag) -> cb.call(lag[1], OutboxRelay.NAME, tag)))
        .register(registry);
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

  private interface TagLag {
    void accept(String tag, double[] lag);
  }

  private static void forEachTag(DataSource dataSource, TagLag each) {
    for (int i = 0; i < Issue.TAG_COUNT; i++) {
      String tag = "issue-" + i;
      each.accept(
          tag,
          SqlMetrics.firstRow(
              dataSource,
              "SELECT count(*), coalesce(extract(epoch FROM now()) - min(state_timestamp) / 1000.0, 0) "
                  + "FROM durable_state WHERE tag = ? AND global_offset > coalesce((SELECT current_offset::bigint "
                  + "FROM pekko_projection_offset_store WHERE projection_name = ? AND projection_key = ?), 0)",
              tag,
              OutboxRelay.NAME,
              tag));
    }
  }
}
