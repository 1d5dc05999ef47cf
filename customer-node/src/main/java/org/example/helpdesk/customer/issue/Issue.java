package org.example.helpdesk.customer.issue;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.stream.IntStream;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.pattern.StatusReply;
import org.example.helpdesk.platform.domain.ConflictException;
import org.example.helpdesk.platform.domain.NotFoundException;
import org.example.helpdesk.protocol.IssueContent;

/**
 * An issue a customer reported, stored as one document: its commands, facts, state and rules. What
 * happened to it (reported, closed) is written into the same document, as numbered facts in its
 * outbox, in the same write as the change itself; the outbox relay tells the backoffice of them.
 * {@link IssueEntity} runs it.
 */
public final class Issue {

  /** Issues are spread over this many tags, one outbox relay instance per tag. Fixed for good. */
  public static final int TAG_COUNT = 4;

  private Issue() {}

  public static String tagFor(UUID issueId) {
    return tags().get(Math.floorMod(issueId.hashCode(), TAG_COUNT));
  }

  /** Every tag an issue can have, in order. */
  public static List<String> tags() {
    return IntStream.range(0, TAG_COUNT).mapToObj(i -> "issue-" + i).toList();
  }

  // ---- commands (traceparent: the W3C trace context of the request, or null) -----------------

  public sealed interface Command permits ReportIssue, CloseIssue, GetIssue {}

  public record ReportIssue(
      Email email,
      IssueContent content,
      String traceparent,
      ActorRef<StatusReply<Reported>> replyTo)
      implements Command {
    public ReportIssue {
      Objects.requireNonNull(email, "email is required");
      Objects.requireNonNull(content, "content is required");
    }
  }

  public record CloseIssue(String traceparent, ActorRef<StatusReply<Summary>> replyTo)
      implements Command {}

  public record GetIssue(ActorRef<StatusReply<Summary>> replyTo) implements Command {}

  // ---- facts: what happened, numbered, with the trace context of the request that caused it ----

  @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "fact")
  @JsonSubTypes({
    @JsonSubTypes.Type(value = IssueWasReported.class, name = "reported"),
    @JsonSubTypes.Type(value = IssueWasClosed.class, name = "closed")
  })
  public sealed interface Fact permits IssueWasReported, IssueWasClosed {
    long number();

    Instant recordedAt();

    String traceparent();
  }

  public record IssueWasReported(
      long number, IssueContent content, Instant recordedAt, String traceparent) implements Fact {}

  public record IssueWasClosed(long number, Instant recordedAt, String traceparent)
      implements Fact {}

  // ---- state and replies ----------------------------------------------------------------------

  public enum Status {
    OPEN,
    CLOSED
  }

  public sealed interface State permits NoIssue, ReportedIssue {}

  /** Nothing reported under this id. */
  public record NoIssue() implements State {}

  /** {@code outbox}: every fact, in order; the last is numbered {@code lastEntryNumber}. */
  public record ReportedIssue(
      UUID issueId,
      Email email,
      IssueContent content,
      Status status,
      Instant reportedAt,
      Instant closedAt,
      List<Fact> outbox,
      long lastEntryNumber)
      implements State {

    public ReportedIssue {
      outbox = List.copyOf(outbox);
    }

    Summary summary() {
      return new Summary(issueId, email, content, status, reportedAt, closedAt);
    }

    ReportedIssue closed(Instant at, String traceparent) {
      List<Fact> facts = new ArrayList<>(outbox);
      facts.add(new IssueWasClosed(lastEntryNumber + 1, at, traceparent));
      return new ReportedIssue(
          issueId, email, content, Status.CLOSED, reportedAt, at, facts, lastEntryNumber + 1);
    }

    /** The facts after this number, in order. */
    public List<Fact> factsAfter(long number) {
      return outbox.stream().filter(f -> f.number() > number).toList();
    }
  }

  public record Summary(
      UUID issueId,
      Email email,
      IssueContent content,
      Status status,
      Instant reportedAt,
      Instant closedAt) {}

  /** The answer to a report: the issue, and whether this report created it. */
  public record Reported(Summary issue, boolean newlyReported) {}

  // ---- rules ----------------------------------------------------------------------------------

  /**
   * What a command makes of an issue: the issue to store, or the same state when it changes nothing
   * (the same report again, a close of a closed issue, a get). A command the rules refuse throws
   * its rejection.
   */
  static State decide(State state, Command command, UUID id, Instant now) {
    if (!(state instanceof ReportedIssue issue)) {
      if (command instanceof ReportIssue r) {
        Fact reported = new IssueWasReported(1, r.content(), now, r.traceparent());
        return new ReportedIssue(
            id, r.email(), r.content(), Status.OPEN, now, null, List.of(reported), 1);
      }
      throw new NotFoundException("issue " + id + " does not exist");
    }
    if (command instanceof ReportIssue r
        && !(issue.email().equals(r.email()) && issue.content().equals(r.content()))) {
      throw new ConflictException("issue " + id + " was already reported with different data");
    }
    if (command instanceof CloseIssue c && issue.status() == Status.OPEN) {
      return issue.closed(now, c.traceparent());
    }
    return issue;
  }
}
