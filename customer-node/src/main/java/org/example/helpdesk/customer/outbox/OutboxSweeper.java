package org.example.helpdesk.customer.outbox;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.ShardedDaemonProcess;
import org.apache.pekko.persistence.query.DurableStateChange;
import org.apache.pekko.persistence.query.Sequence;
import org.apache.pekko.persistence.query.UpdatedDurableState;
import org.apache.pekko.stream.javadsl.Sink;
import org.example.helpdesk.customer.issue.Issue;
import org.example.helpdesk.platform.db.Database;
import org.example.helpdesk.platform.projection.DurableStateChangesProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relay's safety net. The change stream delivers only an issue's latest revision and, when
 * writes commit out of order, can pass one by. So every so often each sweeper reads the issues of
 * its tag and delivers the entries still pending after a threshold.
 *
 * <p>It reads from a low-water mark: the offset before which no issue has pending entries and no
 * write can still appear (all settled for 10 s). Issues only ever move to higher offsets, so the
 * mark keeps the sweep short.
 */
public final class OutboxSweeper {

  private static final Logger log = LoggerFactory.getLogger(OutboxSweeper.class);

  public sealed interface Command permits Sweep, Swept, Stop {}

  enum Sweep implements Command {
    INSTANCE
  }

  public enum Stop implements Command {
    INSTANCE
  }

  record Swept(long lowWater, int delivered, Throwable failure) implements Command {}

  /** How often to sweep, and how old a pending entry must be before the sweep delivers it. */
  public record Settings(Duration interval, Duration threshold) {}

  private OutboxSweeper() {}

  public static void init(
      ActorSystem<?> system,
      Database database,
      OutboxDelivery delivery,
      Settings settings,
      OutboxMetrics metrics,
      Clock clock) {
    ShardedDaemonProcess.get(system)
        .init(
            Command.class,
            "outbox-sweeper",
            Issue.TAG_COUNT,
            i -> {
              String tag = "issue-" + i;
              return create(
                  tag,
                  new DurableStateChangesProvider<>(system, database, tag, Duration.ofSeconds(1), Duration.ZERO, 1000),
                  delivery,
                  settings,
                  metrics,
                  clock);
            },
            Stop.INSTANCE);
  }

  static Behavior<Command> create(
      String tag,
      DurableStateChangesProvider<Issue.State> store,
      OutboxDelivery delivery,
      Settings settings,
      OutboxMetrics metrics,
      Clock clock) {
    return Behaviors.withTimers(
        timers ->
            Behaviors.setup(
                context -> {
                  timers.startSingleTimer(Sweep.INSTANCE, settings.interval());
                  return new Object() {
                    Behavior<Command> waiting(long lowWater) {
                      return Behaviors.receive(Command.class)
                          .onMessageEquals(
                              Sweep.INSTANCE,
                              () -> {
                                context.pipeToSelf(
                                    sweep(tag, lowWater, store, delivery, settings.threshold(), metrics, clock, context.getSystem()),
                                    (swept, failure) -> failure == null ? swept : new Swept(lowWater, 0, failure));
                                return sweeping();
                              })
                          .onMessageEquals(Stop.INSTANCE, this::stop)
                          .build();
                    }

                    Behavior<Command> stop() {
                      metrics.forget(tag);
                      return Behaviors.stopped();
                    }

                    Behavior<Command> sweeping() {
                      return Behaviors.receive(Command.class)
                          .onMessage(
                              Swept.class,
                              swept -> {
                                if (swept.failure() != null) {
                                  log.warn("Outbox sweep of {} failed, next try in {}: {}", tag, settings.interval(), swept.failure().toString());
                                } else if (swept.delivered() > 0) {
                                  log.info("Outbox sweep of {} delivered the entries of {} issues the relay had not", tag, swept.delivered());
                                }
                                timers.startSingleTimer(Sweep.INSTANCE, settings.interval());
                                return waiting(swept.lowWater());
                              })
                          .onMessageEquals(Stop.INSTANCE, this::stop)
                          .build();
                    }
                  }.waiting(0L);
                }));
  }

  private static CompletionStage<Swept> sweep(
      String tag,
      long lowWater,
      DurableStateChangesProvider<Issue.State> store,
      OutboxDelivery delivery,
      Duration threshold,
      OutboxMetrics metrics,
      Clock clock,
      ActorSystem<?> system) {
    Instant now = clock.instant();
    Instant cutoff = now.minus(threshold);
    // a write still committing is at most this old: the low-water mark stays behind it
    Instant settled = now.minus(threshold.compareTo(SETTLE) < 0 ? threshold : SETTLE);
    return store
        .changes(lowWater, false)
        .runWith(Sink.fold(new Scan(lowWater, cutoff, settled), Scan::add), system)
        .thenCompose(
            scan -> {
              // every issue with pending entries lies past the low-water mark, so this is all of them
              metrics.swept(tag, scan.pendingEntries, scan.oldestPending);
              return delivery.deliver(scan.due).thenApply(done -> new Swept(scan.lowWater, scan.due.size(), null));
            });
  }

  /** Longer than any write takes to commit. */
  private static final Duration SETTLE = Duration.ofSeconds(10);

  /** What one pass over a tag found. */
  static final class Scan {
    final Instant cutoff;
    final Instant settled;
    final List<Issue.ReportedIssue> due = new ArrayList<>();
    long pendingEntries;
    Instant oldestPending;
    long lowWater;
    boolean advancing = true;

    Scan(long lowWater, Instant cutoff, Instant settled) {
      this.lowWater = lowWater;
      this.cutoff = cutoff;
      this.settled = settled;
    }

    Scan add(DurableStateChange<Issue.State> change) {
      if (!(change instanceof UpdatedDurableState<Issue.State> updated)) {
        return this;
      }
      boolean pending = updated.value() instanceof Issue.ReportedIssue issue && !issue.outbox().isEmpty();
      if (pending) {
        Issue.ReportedIssue issue = (Issue.ReportedIssue) updated.value();
        Instant oldest = issue.outbox().get(0).recordedAt();
        pendingEntries += issue.outbox().size();
        if (oldestPending == null || oldest.isBefore(oldestPending)) {
          oldestPending = oldest;
        }
        if (!oldest.isAfter(cutoff)) {
          due.add(issue);
        }
      }
      if (advancing) {
        if (pending || updated.timestamp() > settled.toEpochMilli()) {
          advancing = false;
        } else if (updated.offset() instanceof Sequence sequence) {
          lowWater = sequence.value();
        }
      }
      return this;
    }
  }
}
