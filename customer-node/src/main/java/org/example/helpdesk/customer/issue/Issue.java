package org.example.helpdesk.customer.issue;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.stream.IntStream;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.state.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.state.javadsl.DurableStateBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.state.javadsl.ReplyEffect;
import org.example.helpdesk.platform.domain.ConflictException;
import org.example.helpdesk.platform.domain.NotFoundException;
import org.example.helpdesk.protocol.IssueContent;

/**
 * An issue a customer reported, stored as one document. What happened to it (reported, closed) is
 * written into the same document, as numbered facts in its outbox, in the same write as the change
 * itself; the outbox relay tells the backoffice of them.
 */
public final class Issue
    extends DurableStateBehaviorWithEnforcedReplies<Issue.Command, Issue.State> {

  public static final EntityTypeKey<Command> ENTITY_TYPE =
      EntityTypeKey.create(Command.class, "Issue");

  /** Issues are spread over this many tags, one outbox relay instance per tag. Fixed for good. */
  public static final int TAG_COUNT = 4;

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

  /**
   * {@code outbox}: every fact of the issue, in order; the last one numbered {@code
   * lastEntryNumber}.
   */
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

  // ---- behaviour ------------------------------------------------------------------------------

  private final UUID issueId;
  private final Clock clock;

  private Issue(UUID issueId, Clock clock) {
    super(
        PersistenceId.of(ENTITY_TYPE.name(), issueId.toString()),
        SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(5), 0.1));
    this.issueId = issueId;
    this.clock = clock;
  }

  public static Behavior<Command> create(UUID issueId, Clock clock) {
    return new Issue(issueId, clock);
  }

  public static String tagFor(UUID issueId) {
    return tags().get(Math.floorMod(issueId.hashCode(), TAG_COUNT));
  }

  /** Every tag an issue can have, in order. */
  public static List<String> tags() {
    return IntStream.range(0, TAG_COUNT).mapToObj(i -> "issue-" + i).toList();
  }

  @Override
  public String tag() {
    return tagFor(issueId);
  }

  @Override
  public State emptyState() {
    return new NoIssue();
  }

  @Override
  public CommandHandlerWithReply<Command, State> commandHandler() {
    var builder = newCommandHandlerWithReplyBuilder();
    builder
        .forStateType(NoIssue.class)
        .onCommand(ReportIssue.class, this::report)
        .onCommand(CloseIssue.class, c -> Effect().reply(c.replyTo(), notFound()))
        .onCommand(GetIssue.class, c -> Effect().reply(c.replyTo(), notFound()));
    builder
        .forStateType(ReportedIssue.class)
        .onCommand(ReportIssue.class, this::reportAgain)
        .onCommand(CloseIssue.class, this::close)
        .onCommand(
            GetIssue.class,
            (state, c) -> Effect().reply(c.replyTo(), StatusReply.success(state.summary())));
    return builder.build();
  }

  private ReplyEffect<State> report(ReportIssue command) {
    Instant now = clock.instant();
    Fact reported = new IssueWasReported(1, command.content(), now, command.traceparent());
    return Effect()
        .persist(
            new ReportedIssue(
                issueId,
                command.email(),
                command.content(),
                Status.OPEN,
                now,
                null,
                List.of(reported),
                1))
        .thenReply(
            command.replyTo(),
            s -> StatusReply.success(new Reported(((ReportedIssue) s).summary(), true)));
  }

  /** The same report again changes nothing; a different one under the same id is a conflict. */
  private ReplyEffect<State> reportAgain(ReportedIssue state, ReportIssue command) {
    if (state.email().equals(command.email()) && state.content().equals(command.content())) {
      return Effect()
          .reply(command.replyTo(), StatusReply.success(new Reported(state.summary(), false)));
    }
    return Effect()
        .reply(
            command.replyTo(),
            StatusReply.error(
                new ConflictException(
                    "issue " + issueId + " was already reported with different data")));
  }

  private ReplyEffect<State> close(ReportedIssue state, CloseIssue command) {
    if (state.status() == Status.CLOSED) {
      return Effect().reply(command.replyTo(), StatusReply.success(state.summary()));
    }
    return Effect()
        .persist(state.closed(clock.instant(), command.traceparent()))
        .thenReply(command.replyTo(), s -> StatusReply.success(((ReportedIssue) s).summary()));
  }

  private <T> StatusReply<T> notFound() {
    return StatusReply.error(new NotFoundException("issue " + issueId + " does not exist"));
  }
}
