package org.example.helpdesk.customer.issue;

import java.time.Clock;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.state.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.state.javadsl.DurableStateBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.state.javadsl.ReplyEffect;
import org.example.helpdesk.platform.domain.Entities;
import org.example.helpdesk.platform.domain.NotFoundException;
import org.example.helpdesk.platform.domain.Rejection;
import org.example.helpdesk.protocol.TraceContext;

/**
 * An {@link Issue} as a durable-state entity under Cluster Sharding. It takes each command in an
 * {@link Envelope}, lets the rules decide, and stores the issue with the facts they recorded in its
 * outbox, each beside the trace context of the envelope ({@link StoredIssue}): one write when
 * something happened, none otherwise. Facts happen at the time of its clock.
 */
public final class IssueEntity
    extends DurableStateBehaviorWithEnforcedReplies<IssueEntity.Message, StoredIssue> {

  public static final EntityTypeKey<Message> TYPE = EntityTypeKey.create(Message.class, "Issue");

  /** Issues are spread over this many tags, one outbox relay instance per tag. Fixed for good. */
  public static final int TAG_COUNT = 4;

  public sealed interface Message permits Envelope, Get, GetView {}

  /**
   * A command for the issue's rules, with the trace context of the request that sent it (kept with
   * the facts it records) and where the answer goes.
   */
  public record Envelope(
      Issue.Command command, TraceContext trace, ActorRef<StatusReply<Issue.Reported>> replyTo)
      implements Message {
    public Envelope {
      trace = trace == null ? TraceContext.none() : trace;
    }
  }

  public record Get(ActorRef<StatusReply<Issue.Summary>> replyTo) implements Message {}

  /** The issue with what happened to it, oldest first. */
  public record GetView(ActorRef<StatusReply<View>> replyTo) implements Message {}

  public record View(Issue.Summary issue, List<Timeline.Moment> timeline) {}

  /** The time the issue's facts happen at. */
  private final Clock clock;

  public static Behavior<Message> create(UUID issueId, Clock clock) {
    return new IssueEntity(Entities.persistenceId(TYPE, issueId), clock);
  }

  private IssueEntity(PersistenceId persistenceId, Clock clock) {
    super(persistenceId, Entities.RESTART_AFTER_STORE_FAILURE);
    this.clock = clock;
  }

  public static String tagFor(UUID issueId) {
    return tags().get(Math.floorMod(issueId.hashCode(), TAG_COUNT));
  }

  /** Every tag an issue can have, in order. */
  public static List<String> tags() {
    return IntStream.range(0, TAG_COUNT).mapToObj(i -> "issue-" + i).toList();
  }

  private UUID issueId() {
    return Entities.entityId(persistenceId());
  }

  @Override
  public String tag() {
    return tagFor(issueId());
  }

  @Override
  public StoredIssue emptyState() {
    return StoredIssue.NONE;
  }

  @Override
  public CommandHandlerWithReply<Message, StoredIssue> commandHandler() {
    return newCommandHandlerWithReplyBuilder()
        .forAnyState()
        .onCommand(Envelope.class, this::decide)
        .onCommand(Get.class, this::get)
        .onCommand(GetView.class, this::view)
        .build();
  }

  /** Stores what the rules record, if anything, and answers with the issue. */
  private ReplyEffect<StoredIssue> decide(StoredIssue stored, Envelope envelope) {
    List<Issue.Fact> facts;
    try {
      facts = Issue.decide(stored.state(), envelope.command(), issueId(), clock.instant());
    } catch (Rejection no) {
      return Effect().reply(envelope.replyTo(), StatusReply.error(no));
    }
    if (facts.isEmpty()) {
      return Effect().reply(envelope.replyTo(), answer(stored, false));
    }
    return Effect()
        .persist(stored.record(facts, envelope.trace()))
        .thenReply(envelope.replyTo(), next -> answer(next, stored.issue() == null));
  }

  private static StatusReply<Issue.Reported> answer(StoredIssue stored, boolean newlyReported) {
    return StatusReply.success(new Issue.Reported(stored.issue().summary(), newlyReported));
  }

  private ReplyEffect<StoredIssue> view(StoredIssue stored, GetView get) {
    return stored.issue() == null
        ? Effect()
            .reply(
                get.replyTo(),
                StatusReply.error(new NotFoundException("issue " + issueId() + " does not exist")))
        : Effect()
            .reply(
                get.replyTo(),
                StatusReply.success(
                    new View(
                        stored.issue().summary(),
                        Timeline.of(
                            stored.outbox().stream().map(StoredIssue.Entry::fact).toList()))));
  }

  private ReplyEffect<StoredIssue> get(StoredIssue stored, Get get) {
    return stored.issue() == null
        ? Effect()
            .reply(
                get.replyTo(),
                StatusReply.error(new NotFoundException("issue " + issueId() + " does not exist")))
        : Effect().reply(get.replyTo(), StatusReply.success(stored.issue().summary()));
  }
}
