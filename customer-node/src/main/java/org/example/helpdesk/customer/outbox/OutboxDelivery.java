package org.example.helpdesk.customer.outbox;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.example.helpdesk.customer.issue.Issue;
import org.example.helpdesk.customer.issue.Issues;
import org.example.helpdesk.protocol.CommandMessage;

/**
 * Delivers the pending outbox entries of issues: publishes them, in order per issue, and once the
 * broker confirmed them tells each issue to drop them (without waiting: should that message get
 * lost, the sweep publishes the entries again). Shared by the relay and the sweep.
 */
public final class OutboxDelivery {

  private final CommandPublisher publisher;
  private final Issues issues;
  private final OutboxMetrics metrics;

  public OutboxDelivery(CommandPublisher publisher, Issues issues, OutboxMetrics metrics) {
    this.publisher = publisher;
    this.issues = issues;
    this.metrics = metrics;
  }

  /** Completes when the broker confirmed every entry. */
  public CompletionStage<Done> deliver(List<Issue.ReportedIssue> withPendingEntries) {
    List<CompletableFuture<Done>> marked = new ArrayList<>();
    for (Issue.ReportedIssue issue : withPendingEntries) {
      if (issue.outbox().isEmpty()) {
        continue;
      }
      // published back to back on one channel: the broker keeps an issue's entries in order
      List<CompletableFuture<Done>> confirms = new ArrayList<>();
      for (Issue.OutboxEntry entry : issue.outbox()) {
        confirms.add(
            publisher
                .publish(
                    CommandMessage.toBackoffice(
                        entry.command(), entry.messageId(), issue.issueId().toString(), entry.recordedAt()))
                .toCompletableFuture());
      }
      long upTo = issue.outbox().get(issue.outbox().size() - 1).number();
      int entries = issue.outbox().size();
      marked.add(
          CompletableFuture.allOf(confirms.toArray(CompletableFuture[]::new))
              .thenApply(
                  confirmed -> {
                    metrics.published(entries);
                    issues.tellOutboxPublished(issue.issueId(), upTo);
                    return Done.getInstance();
                  })
              .toCompletableFuture());
    }
    return CompletableFuture.allOf(marked.toArray(CompletableFuture[]::new)).thenApply(all -> Done.getInstance());
  }
}
