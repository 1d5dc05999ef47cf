package org.example.helpdesk.customer.issue;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.example.helpdesk.platform.domain.ConflictException;
import org.example.helpdesk.platform.domain.NotFoundException;
import org.example.helpdesk.protocol.IssueContent;
import org.example.helpdesk.protocol.SupportReply;

/**
 * An issue a customer reported: its commands, the facts they record, its state and its rules,
 * nothing else. {@link IssueEntity} runs it, stores each fact in the issue's outbox with the trace
 * context of the request that caused it, and the outbox relay tells the backoffice of them.
 */
public final class Issue {

  private Issue() {}

  public sealed interface Command permits ReportIssue, CloseIssue, RecordTicketProgress {}

  public record ReportIssue(Email email, IssueContent content) implements Command {
    public ReportIssue {
      Objects.requireNonNull(email, "email is required");
      Objects.requireNonNull(content, "content is required");
    }
  }

  public record CloseIssue() implements Command {}

  /**
   * What the backoffice says happened to the issue's ticket, numbered in the ticket's history
   * ({@code sequence}, with gaps: not every step concerns the customer). {@code reply}: support's
   * words when the step is {@link TicketStep#ANSWERED}, else null.
   */
  public record RecordTicketProgress(long sequence, TicketStep step, Instant at, SupportReply reply)
      implements Command {
    public RecordTicketProgress {
      Objects.requireNonNull(step, "step is required");
      Objects.requireNonNull(at, "at is required");
      if ((step == TicketStep.ANSWERED) != (reply != null)) {
        throw new IllegalArgumentException("a reply comes with an answer, and only with one");
      }
    }
  }

  /** What can happen to an issue's ticket that its reporter hears of. */
  public enum TicketStep {
    PREPARED,
    ASSIGNED,
    ANSWERED,
    CANCELLED
  }

  /** How far support got with an issue, as its reporter sees it. */
  public enum Progress {
    /** Reported, not yet taken on by the backoffice. */
    REPORTED,
    /** The backoffice made a ticket of it. */
    RECEIVED,
    /** An agent works on it. */
    ASSIGNED,
    /** An employee closed its ticket. */
    CLOSED_BY_SUPPORT
  }

  /** What the reporter is told by mail. */
  public enum Notification {
    AGENT_ASSIGNED,
    SUPPORT_REPLIED,
    CLOSED_BY_SUPPORT
  }

  /** What happened to an issue, and when. */
  public sealed interface Fact
      permits IssueWasReported, IssueWasClosed, TicketProgressed, NotificationWasQueued {
    Instant at();
  }

  public record IssueWasReported(UUID issueId, Email email, IssueContent content, Instant at)
      implements Fact {}

  public record IssueWasClosed(Instant at) implements Fact {}

  /** A step of the issue's ticket; {@code at}: when it happened in the backoffice. */
  public record TicketProgressed(long sequence, TicketStep step, Instant at, SupportReply reply)
      implements Fact {}

  /** The reporter is to be told by mail; {@code reply}: what support wrote, if that is the news. */
  public record NotificationWasQueued(Notification about, SupportReply reply, Instant at)
      implements Fact {}

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
      Instant closedAt,
      Progress progress,
      long lastTicketSequence)
      implements State {

    public Summary summary() {
      return new Summary(issueId, email, content, status, reportedAt, closedAt, progress);
    }

    ReportedIssue with(Status status, Instant closedAt, Progress progress, long sequence) {
      return new ReportedIssue(
          issueId, email, content, status, reportedAt, closedAt, progress, sequence);
    }

    /** Support's progress moves on, never back; its close closes an open issue. */
    ReportedIssue after(TicketProgressed t) {
      return switch (t.step()) {
        case PREPARED ->
            with(
                status,
                closedAt,
                progress == Progress.REPORTED ? Progress.RECEIVED : progress,
                t.sequence());
        case ASSIGNED ->
            with(
                status,
                closedAt,
                progress == Progress.CLOSED_BY_SUPPORT ? progress : Progress.ASSIGNED,
                t.sequence());
        case ANSWERED -> with(status, closedAt, progress, t.sequence());
        case CANCELLED ->
            status == Status.OPEN
                ? with(Status.CLOSED, t.at(), Progress.CLOSED_BY_SUPPORT, t.sequence())
                : with(status, closedAt, progress, t.sequence());
      };
    }
  }

  /** An issue as its reporter sees it. */
  public record Summary(
      UUID issueId,
      Email email,
      IssueContent content,
      Status status,
      Instant reportedAt,
      Instant closedAt,
      Progress progress) {}

  /** The answer to a command: the issue, and whether this command reported it. */
  public record Reported(Summary issue, boolean newlyReported) {}

  /**
   * The facts a command records: none when it changes nothing (the same report again, a close of a
   * closed issue, a ticket step heard before). A command the rules refuse throws its rejection.
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
    if (command instanceof RecordTicketProgress p && p.sequence() > issue.lastTicketSequence()) {
      return heard(issue, p, now);
    }
    return List.of();
  }

  /** A new step of the ticket, and the mail it is worth while the issue is open. */
  private static List<Fact> heard(ReportedIssue issue, RecordTicketProgress p, Instant now) {
    Fact step = new TicketProgressed(p.sequence(), p.step(), p.at(), p.reply());
    boolean open = issue.status() == Status.OPEN;
    Notification news =
        switch (p.step()) {
          case PREPARED -> null;
          case ASSIGNED ->
              open && issue.progress() != Progress.ASSIGNED ? Notification.AGENT_ASSIGNED : null;
          case ANSWERED -> Notification.SUPPORT_REPLIED;
          case CANCELLED -> open ? Notification.CLOSED_BY_SUPPORT : null;
        };
    return news == null
        ? List.of(step)
        : List.of(step, new NotificationWasQueued(news, p.reply(), now));
  }

  /** The issue after a fact its rules recorded. */
  public static State evolve(State state, Fact fact) {
    if (fact instanceof IssueWasReported r) {
      return new ReportedIssue(
          r.issueId(), r.email(), r.content(), Status.OPEN, r.at(), null, Progress.REPORTED, 0);
    }
    ReportedIssue issue = (ReportedIssue) state;
    if (fact instanceof IssueWasClosed c) {
      return issue.with(Status.CLOSED, c.at(), issue.progress(), issue.lastTicketSequence());
    }
    return fact instanceof TicketProgressed t ? issue.after(t) : issue;
  }
}
