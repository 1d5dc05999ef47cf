package org.example.helpdesk.customer.issue;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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
import org.example.helpdesk.platform.domain.InvalidCommandInputException;
import org.example.helpdesk.platform.domain.NotFoundException;
import org.example.helpdesk.protocol.CancelTicket;
import org.example.helpdesk.protocol.DistributedCommand;
import org.example.helpdesk.protocol.DistributedCommands;
import org.example.helpdesk.protocol.PrepareTicket;
import org.example.helpdesk.protocol.TextRules;

/**
 * An issue a customer reported, stored as one document. What the backoffice must hear of it is
 * written into the same document, as numbered outbox entries, in the same write as the change
 * itself; the outbox relay publishes them and keeps its own record of how far it got, so that an
 * issue is written once per report and once per close.
 */
public final class Issue
    extends DurableStateBehaviorWithEnforcedReplies<Issue.Command, Issue.State> {

  public static final EntityTypeKey<Command> ENTITY_TYPE =
      EntityTypeKey.create(Command.class, "Issue");

  /** Issues are spread over this many tags, one outbox relay instance per tag. Fixed for good. */
  public static final int TAG_COUNT = 4;

  public static final int MAX_CONTENT_LENGTH = 10_000;
  public static final String TICKET_TYPE = "customer-issue";

  // ---- commands -------------------------------------------------------------------------------

  public sealed interface Command permits ReportIssue, CloseIssue, GetIssue {}

  /**
   * {@code traceparent}: the W3C trace context of the request, kept with the outbox entry; may be
   * null.
   */
  public record ReportIssue(
      Email email, String content, String traceparent, ActorRef<StatusReply<Reported>> replyTo)
      implements Command {

    public ReportIssue(Email email, String content, ActorRef<StatusReply<Reported>> replyTo) {
      this(email, content, null, replyTo);
    }
  }

  /**
   * {@code traceparent}: the W3C trace context of the request, kept with the outbox entry; may be
   * null.
   */
  public record CloseIssue(String traceparent, ActorRef<StatusReply<Summary>> replyTo)
      implements Command {

    public CloseIssue(ActorRef<StatusReply<Summary>> replyTo) {
      this(null, replyTo);
    }
  }

  public record GetIssue(ActorRef<StatusReply<Summary>> replyTo) implements Command {}

  // ---- replies --------------------------------------------------------------------------------

  public enum Status {
    OPEN,
    CLOSED
  }

  public record Summary(
      UUID issueId,
      Email email,
      String content,
      Status status,
      Instant reportedAt,
      Instant closedAt) {}

  /** The answer to a report: the issue, and whether this report created it. */
  public record Reported(Summary issue, boolean newlyReported) {}

  // ---- state ----------------------------------------------------------------------------------

  public sealed interface State permits NoIssue, ReportedIssue {}

  /** Nothing reported under this id. */
  public record NoIssue() implements State {}

  public record ReportedIssue(
      UUID issueId,
      Email email,
      String content,
      Status status,
      Instant reportedAt,
      Instant closedAt,
      List<OutboxEntry> outbox,
      long lastEntryNumber)
      implements State {

    public ReportedIssue {
      outbox = List.copyOf(outbox);
    }

    Summary summary() {
      return new Summary(issueId, email, content, status, reportedAt, closedAt);
    }

    ReportedIssue closed(Instant at, String traceparent) {
      long next = lastEntryNumber + 1;
      List<OutboxEntry> entries = new ArrayList<>(outbox);
      entries.add(new OutboxEntry(next, new CancelTicket(issueId), at, traceparent));
      return new ReportedIssue(
          issueId, email, content, Status.CLOSED, reportedAt, at, entries, next);
    }

    /** The entries after this number, in order. */
    public List<OutboxEntry> entriesAfter(long number) {
      return outbox.stream().filter(e -> e.number() > number).toList();
    }
  }

  /**
   * A distributed command waiting to be published. Its message id is stable, so that a re-publish
   * is recognisably the same command. {@code traceparent}: the W3C trace context of the request
   * that caused it, which its publishing continues; null when there was none (or in entries
   * recorded before it was kept).
   */
  public record OutboxEntry(
      long number,
      @JsonTypeInfo(
              use = JsonTypeInfo.Id.NAME,
              include = JsonTypeInfo.As.PROPERTY,
              property = "commandName")
          @JsonSubTypes({
            @JsonSubTypes.Type(
                value = PrepareTicket.class,
                name = DistributedCommands.PREPARE_TICKET),
            @JsonSubTypes.Type(value = CancelTicket.class, name = DistributedCommands.CANCEL_TICKET)
          })
          DistributedCommand command,
      Instant recordedAt,
      @JsonInclude(JsonInclude.Include.NON_NULL) String traceparent) {

    public OutboxEntry(long number, DistributedCommand command, Instant recordedAt) {
      this(number, command, recordedAt, null);
    }

    public String messageId() {
      return command.ticketId() + ":" + number;
    }
  }

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
    return tag(Math.floorMod(issueId.hashCode(), TAG_COUNT));
  }

  /** Every tag an issue can have, in order. */
  public static List<String> tags() {
    return IntStream.range(0, TAG_COUNT).mapToObj(Issue::tag).toList();
  }

  private static String tag(int i) {
    return "issue-" + i;
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
    String problem = problemWithContent(command.content());
    if (problem != null || command.email() == null) {
      return Effect()
          .reply(
              command.replyTo(),
              StatusReply.error(
                  new InvalidCommandInputException(
                      problem != null ? problem : "email is required")));
    }
    Instant now = clock.instant();
    OutboxEntry prepareTicket =
        new OutboxEntry(
            1,
            new PrepareTicket(issueId, TICKET_TYPE, command.content()),
            now,
            command.traceparent());
    ReportedIssue reported =
        new ReportedIssue(
            issueId,
            command.email(),
            command.content(),
            Status.OPEN,
            now,
            null,
            List.of(prepareTicket),
            1);
    return Effect()
        .persist(reported)
        .thenReply(
            command.replyTo(),
            s -> StatusReply.success(new Reported(((ReportedIssue) s).summary(), true)));
  }

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

  /** Why this content cannot be an issue's content, or null when it can. */
  public static String problemWithContent(String content) {
    if (content == null || TextRules.isBlank(content)) {
      return "content must not be blank";
    }
    if (content.length() > MAX_CONTENT_LENGTH) {
      return "content must be at most " + MAX_CONTENT_LENGTH + " characters";
    }
    return TextRules.problem("content", content);
  }
}
