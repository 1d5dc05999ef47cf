package org.example.helpdesk.customer.issue;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.example.helpdesk.platform.domain.ConflictException;
import org.example.helpdesk.platform.domain.NotFoundException;
import org.example.helpdesk.protocol.IssueContent;

/**
 * An issue a customer reported: its commands, the facts they record, its state and its rules,
 * nothing else. {@link IssueEntity} runs it, stores each fact in the issue's outbox with the trace
 * context of the request that caused it, and the outbox relay tells the backoffice of them.
 */
public final class Issue {

  private Issue() {}

  public sealed interface Command permits ReportIssue, CloseIssue {}

  public record ReportIssue(Email email, IssueContent content) implements Command {
    public ReportIssue {
      Objects.requireNonNull(email, "email is required");
      Objects.requireNonNull(content, "content is required");
    }
  }

  public record CloseIssue() implements Command {}

  /** What happened to an issue, and when. */
  public sealed interface Fact permits IssueWasReported, IssueWasClosed {
    Instant at();
  }

  public record IssueWasReported(UUID issueId, Email email, IssueContent content, Instant at)
      implements Fact {}

  public record IssueWasClosed(Instant at) implements Fact {}

  public enum Status {
    OPEN,
    CLOSED
  }

  public sealed interface State permits NoIssue, ReportedIssue {}

  /** Nothing reported under this id. */
  public record NoIssue() implements State {}

  public record ReportedIssue(
      UUID issueId,
      Email email,
      IssueContent content,
      Status status,
      Instant reportedAt,
      Instant closedAt)
      implements State {

    public Summary summary() {
      return new Summary(issueId, email, content, status, reportedAt, closedAt);
    }
  }

  /** An issue as its reporter sees it. */
  public record Summary(
      UUID issueId,
      Email email,
      IssueContent content,
      Status status,
      Instant reportedAt,
      Instant closedAt) {}

  /** The answer to a command: the issue, and whether this command reported it. */
  public record Reported(Summary issue, boolean newlyReported) {}

  /**
   * The facts a command records: none when it changes nothing (the same report again, a close of a
   * closed issue). A command the rules refuse throws its rejection.
   */
  public static List<Fact> decide(State state, Command command, UUID id, Instant now) {
    if (!(state instanceof ReportedIssue issue)) {
      if (command instanceof ReportIssue r) {
        return List.of(new IssueWasReported(id, r.email(), r.content(), now));
      }
      throw new NotFoundException("issue " + id + " does not exist");
    }
    if (command instanceof ReportIssue r
        && !(issue.email().equals(r.email()) && issue.content().equals(r.content()))) {
      throw new ConflictException("issue " + id + " was already reported with different data");
    }
    if (command instanceof CloseIssue && issue.status() == Status.OPEN) {
      return List.of(new IssueWasClosed(now));
    }
    return List.of();
  }

  /** The issue after a fact its rules recorded. */
  public static State evolve(State state, Fact fact) {
    if (fact instanceof IssueWasReported r) {
      return new ReportedIssue(r.issueId(), r.email(), r.content(), Status.OPEN, r.at(), null);
    }
    ReportedIssue issue = (ReportedIssue) state;
    return new ReportedIssue(
        issue.issueId(),
        issue.email(),
        issue.content(),
        Status.CLOSED,
        issue.reportedAt(),
        fact.at());
  }
}
