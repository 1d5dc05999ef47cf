package org.example.helpdesk.customer.outbox;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.projection.ProjectionId;
import org.apache.pekko.projection.javadsl.GroupedProjection;
import org.apache.pekko.projection.javadsl.Handler;
import org.apache.pekko.projection.javadsl.SourceProvider;
import org.apache.pekko.projection.jdbc.javadsl.JdbcProjection;
import org.example.helpdesk.amqp.OutboundMessage;
import org.example.helpdesk.customer.issue.IssueEntity;
import org.example.helpdesk.customer.issue.StoredIssue;
import org.example.helpdesk.platform.changefeed.CommitOrderedFeed;
import org.example.helpdesk.platform.changefeed.CommitOrderedFeed.Change;
import org.example.helpdesk.platform.changefeed.FeedProjections;
import org.example.helpdesk.platform.db.Database;
import org.example.helpdesk.platform.db.PooledJdbcSession;
import org.example.helpdesk.platform.projection.admin.ProjectionObservations;
import org.example.helpdesk.platform.tracing.Tracing;
import org.example.helpdesk.protocol.AmqpTopology;
import org.example.helpdesk.protocol.DistributedCommand;
import org.example.helpdesk.protocol.DistributedCommands;

/**
 * Publishes the facts in the outboxes of issues, as the backoffice's commands, as they are written:
 * a projection over the issues' commit-ordered change feed, one instance per tag, spread over the
 * cluster by a sharded daemon process.
 *
 * <p>For each group of changes it publishes the facts each issue has not had published yet, all as
 * one unit (an issue's facts in order, back to back), waits until the broker confirmed all of them,
 * then records per issue how far it got ({@link OutboxProgress}), and only then stores its offset.
 * If anything fails, the projection publishes the group again from its offset: at least once, in
 * order, and the stable message ids make a repeat harmless.
 */
public final class OutboxRelay {

  public static final String NAME = "outbox-relay";

  private OutboxRelay() {}

  /** How changes are grouped into units. */
  public record Settings(int groupSize, Duration groupWithin) {}

  public static void init(
      ActorSystem<?> system,
      CommitOrderedFeed<StoredIssue> issues,
      Database database,
      CommandPublisher publisher,
      OutboxMetrics metrics,
      Settings settings) {
    FeedProjections.initPerTag(
        system,
        NAME,
        NAME,
        issues,
        IssueEntity.tags(),
        (id, changes) -> create(system, id, changes, database, publisher, metrics, settings));
  }

  static GroupedProjection<String, Change<StoredIssue>> create(
      ActorSystem<?> system,
      ProjectionId id,
      SourceProvider<String, Change<StoredIssue>> changes,
      Database database,
      CommandPublisher publisher,
      OutboxMetrics metrics,
      Settings settings) {
    return JdbcProjection.groupedWithinAsync(
            id,
            changes,
            () -> new PooledJdbcSession(database.dataSource()),
            () -> new RelayHandler(database, publisher, metrics, Tracing.get(system)),
            system)
        .withGroup(settings.groupSize(), settings.groupWithin())
        .withStatusObserver(ProjectionObservations.get(system).observer());
  }

  /**
   * Publishes a group and records the progress, each in a short transaction of its own: no
   * transaction stays open while the broker confirms (an open writing transaction would hold back
   * every commit-ordered feed on the database). The projection stores its offset afterwards; a
   * crash in between makes it read the group again, and the recorded progress keeps it from
   * publishing anything twice.
   */
  static final class RelayHandler extends Handler<List<Change<StoredIssue>>> {
    private final Database database;
    private final CommandPublisher publisher;
    private final OutboxMetrics metrics;
    private final Tracing tracing;

    RelayHandler(
        Database database, CommandPublisher publisher, OutboxMetrics metrics, Tracing tracing) {
      this.database = database;
      this.publisher = publisher;
      this.metrics = metrics;
      this.tracing = tracing;
    }

    @Override
    public CompletionStage<Done> process(List<Change<StoredIssue>> changes) {
      Map<String, Change<StoredIssue>> latest = latestWithEntries(changes);
      if (latest.isEmpty()) {
        return CompletableFuture.completedFuture(Done.getInstance());
      }
      List<String> seenBefore = seenBefore(latest);
      CompletionStage<Map<String, Long>> published =
          seenBefore.isEmpty()
              ? CompletableFuture.completedFuture(Map.of())
              : database.run(c -> OutboxProgress.publishedUpTo(c, seenBefore));
      return published.thenCompose(
          upTo -> {
            List<OutboundMessage> unit = new ArrayList<>();
            List<Span> spans = new ArrayList<>();
            Map<String, Long> progress = new LinkedHashMap<>();
            latest.forEach(
                (persistenceId, change) -> {
                  StoredIssue issue = change.value();
                  UUID issueId = issue.issue().issueId();
                  List<StoredIssue.Entry> entries =
                      issue.entriesAfter(upTo.getOrDefault(persistenceId, 0L));
                  for (StoredIssue.Entry entry : entries) {
                    if (!BackofficeCommands.isForBackoffice(issueId, entry)) {
                      continue; // passed over; the progress below moves past it all the same
                    }
                    Map<String, Object> headers =
                        tracing.enabled() ? publishSpan(issueId, entry, spans) : null;
                    unit.add(BackofficeCommands.message(issueId, entry, headers));
                  }
                  if (!entries.isEmpty()) {
                    progress.put(persistenceId, entries.get(entries.size() - 1).number());
                  }
                });
            return publisher
                .publish(unit)
                .whenComplete((confirmed, failure) -> ended(spans, failure))
                .thenCompose(
                    confirmed -> database.transact(c -> OutboxProgress.record(c, progress)))
                .thenApply(
                    recorded -> {
                      metrics.published(unit.size());
                      return Done.getInstance();
                    });
          });
    }

    /**
     * Starts the span of a fact's publishing, a child of the request that caused the fact (a new
     * trace if it kept none), with the time it waited in the outbox as an attribute and as a span
     * of its own; returns the message headers that carry the span on to the backoffice.
     */
    private Map<String, Object> publishSpan(
        UUID issueId, StoredIssue.Entry entry, List<Span> spans) {
      Context parent = Tracing.contextOf(entry.trace().traceparent(), null);
      Instant recordedAt = entry.fact().at();
      Instant now = Instant.now();
      long waitedMs = Math.max(0, Duration.between(recordedAt, now).toMillis());
      String messageId = BackofficeCommands.messageId(issueId, entry);
      DistributedCommand command =
          BackofficeCommands.commandFor(issueId, entry.fact()).orElseThrow();
      tracing
          .spanBuilder("outbox wait", parent, SpanKind.INTERNAL, "messaging.message.id", messageId)
          .setStartTimestamp(recordedAt)
          .startSpan()
          .end(now);
      Span span =
          tracing
              .spanBuilder(
                  "outbox publish",
                  parent,
                  SpanKind.PRODUCER,
                  "messaging.system",
                  "rabbitmq",
                  "messaging.operation.type",
                  "publish",
                  "messaging.destination.name",
                  AmqpTopology.COMMANDS_EXCHANGE,
                  "messaging.message.id",
                  messageId,
                  "command.name",
                  DistributedCommands.nameOf(command),
                  "ticket.id",
                  command.ticketId().toString())
              .setAttribute("outbox.wait_ms", waitedMs)
              .setStartTimestamp(now)
              .startSpan();
      spans.add(span);
      Map<String, Object> headers = new HashMap<>(2);
      Tracing.inject(parent.with(span), headers);
      return headers;
    }

    /** The publish spans end when the broker confirmed their unit, or it failed. */
    private static void ended(List<Span> spans, Throwable failure) {
      for (Span span : spans) {
        if (failure != null) {
          Tracing.failed(span, failure);
        }
        span.end();
      }
    }
  }

  /**
   * The latest revision of each issue of the group that has entries: a later revision holds every
   * entry of an earlier one. Unreadable rows (logged by the feed) have no value and are passed.
   */
  public static Map<String, Change<StoredIssue>> latestWithEntries(
      List<Change<StoredIssue>> changes) {
    Map<String, Change<StoredIssue>> latest = new LinkedHashMap<>();
    for (Change<StoredIssue> change : changes) {
      if (change.value() != null && !change.value().outbox().isEmpty()) {
        latest.merge(
            change.persistenceId(), change, (a, b) -> b.revision() >= a.revision() ? b : a);
      }
    }
    return latest;
  }

  /**
   * Issues the relay may have published something of before: a first revision was never in the feed
   * before (a group that published it and then failed recorded nothing), so its progress is 0
   * without asking.
   */
  private static List<String> seenBefore(Map<String, Change<StoredIssue>> latest) {
    return latest.values().stream()
        .filter(c -> c.revision() > 1)
        .map(Change::persistenceId)
        .toList();
  }
}
