package org.example.helpdesk.platform.changefeed;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.javadsl.Source;
import org.example.helpdesk.platform.concurrent.Futures;
import org.example.helpdesk.platform.db.Database;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rows of one tag of a table, in an order in which nothing can ever appear behind a position
 * the reader has passed, without trusting any clock.
 *
 * <p>Every row carries the id of the transaction that wrote it last ({@code tx_id xid8}, set by the
 * row's default or by the writer to {@code pg_current_xact_id()}). A read takes, in the same
 * statement and so the same snapshot, {@code pg_snapshot_xmin(pg_current_snapshot())}: every
 * transaction below it has ended, and every transaction that writes from now on gets a higher id.
 * The feed returns only rows below that horizon, in (transaction, offset) order; so once it passed
 * a position, a row can only ever appear after it. An update moves a row to its new transaction,
 * later in the order: the feed delivers an entity's latest state, at least once.
 *
 * <p>A transaction that stays open holds the horizon back and delays the feed (never makes it skip
 * anything): {@link ChangeFeedMetrics} exposes how long. The feed reads when its tag's {@link
 * ChangeSignal} is raised (a {@code NOTIFY} from the table's trigger), again after a short backoff
 * while committed rows wait behind an open transaction, and every {@code fallbackPoll} otherwise,
 * in case a notification was lost.
 */
public final class CommitOrderedFeed<T> {

  private static final Logger log = LoggerFactory.getLogger(CommitOrderedFeed.class);

  /** One row: where it stands, whose state or event it is, and its value (null when unreadable). */
  public record Change<T>(
      FeedPosition position, String persistenceId, long revision, T value, long timestamp) {}

  /**
   * How to read a table. {@link #sql()} takes the parameters (tag, transaction as text, offset,
   * limit) and returns, in (transaction, offset) order, the columns: transaction as text, offset,
   * readable (below the horizon), persistence id, revision or sequence number, timestamp, and then
   * whatever {@link #decode} reads (only called for readable rows).
   */
  public interface Table<T> {
    /** The table's name, in logs and metrics. */
    String name();

    String sql();

    T decode(ResultSet row) throws Exception;
  }

  /**
   * @param batchSize rows read at once at most (what bounds the feed's memory)
   * @param minInterval reads start at least this far apart unless the last one was full: under load
   *     one read takes in the commits of several notifications
   * @param fallbackPoll how often it reads without being woken
   * @param heldBackMin first retry while committed rows wait behind an open transaction
   * @param heldBackMax the longest retry interval while they do
   */
  public record Settings(
      int batchSize,
      Duration minInterval,
      Duration fallbackPoll,
      Duration heldBackMin,
      Duration heldBackMax) {}

  private enum Pause {
    NONE,
    HELD_BACK,
    IDLE
  }

  /** Where the feed stands, how it waits, when its last read started ({@link System#nanoTime}). */
  private record Step(
      FeedPosition after,
      Pause pause,
      CompletableFuture<Void> signalled,
      Duration heldBack,
      long readAt) {}

  private record Batch<T>(List<Change<T>> changes, boolean full, boolean heldBack) {}

  private final ActorSystem<?> system;
  private final Database database;
  private final Table<T> table;
  private final ChangeSignal signal;
  private final Settings settings;
  private final ChangeFeedMetrics metrics;

  public CommitOrderedFeed(
      ActorSystem<?> system,
      Database database,
      Table<T> table,
      ChangeSignal signal,
      Settings settings,
      ChangeFeedMetrics metrics) {
    this.system = system;
    this.database = database;
    this.table = table;
    this.signal = signal;
    this.settings = settings;
    this.metrics = metrics;
  }

  /** Every change of the tag after the position, live: it never completes. */
  public Source<Change<T>, NotUsed> changes(String tag, FeedPosition after) {
    Step first =
        new Step(
            after, Pause.NONE, CompletableFuture.completedFuture(null), settings.heldBackMin(), 0);
    return Source.lazySource(
            () -> {
              AtomicReference<Step> state = new AtomicReference<>(first);
              // a wait still pending when the stream ends must not read once more after it
              AtomicBoolean ended = new AtomicBoolean();
              return Source.repeat(NotUsed.notUsed())
                  .mapAsync(
                      1,
                      tick ->
                          waitFor(state.get())
                              .thenCompose(
                                  ignored ->
                                      ended.get()
                                          ? new CompletableFuture<>()
                                          : next(tag, state.get()))
                              .thenApply(
                                  stepped -> {
                                    state.set(stepped.first());
                                    return stepped.second();
                                  }))
                  .watchTermination(
                      (mat, done) -> {
                        done.whenComplete((d, e) -> ended.set(true));
                        return mat;
                      });
            })
        .mapConcat(changes -> changes)
        .mapMaterializedValue(m -> NotUsed.notUsed());
  }

  private CompletionStage<Pair<Step, List<Change<T>>>> next(String tag, Step step) {
    // taken before reading: a notification during the read ends the next wait at once
    CompletableFuture<Void> signalled = signal.tag(tag).next();
    long readAt = System.nanoTime();
    return read(tag, step.after())
        .thenApply(
            batch -> {
              FeedPosition last =
                  batch.changes().isEmpty()
                      ? step.after()
                      : batch.changes().get(batch.changes().size() - 1).position();
              Pause pause =
                  batch.full() ? Pause.NONE : batch.heldBack() ? Pause.HELD_BACK : Pause.IDLE;
              Duration heldBack =
                  pause != Pause.HELD_BACK || !batch.changes().isEmpty()
                      ? settings.heldBackMin()
                      : min(step.heldBack().multipliedBy(2), settings.heldBackMax());
              log.debug(
                  "{} {} after {}: {} changes, then {}",
                  table.name(),
                  tag,
                  step.after(),
                  batch.changes().size(),
                  pause);
              return Pair.create(
                  new Step(last, pause, signalled, heldBack, readAt), batch.changes());
            });
  }

  private CompletionStage<?> waitFor(Step step) {
    if (step.pause() == Pause.NONE) {
      return CompletableFuture.completedFuture(null);
    }
    Duration timeout = step.pause() == Pause.HELD_BACK ? step.heldBack() : settings.fallbackPoll();
    return CompletableFuture.anyOf(step.signalled(), delay(timeout))
        .thenCompose(
            woken -> {
              long sinceRead = System.nanoTime() - step.readAt();
              Duration rest = settings.minInterval().minusNanos(sinceRead);
              return rest.isNegative() || rest.isZero()
                  ? CompletableFuture.completedFuture(null)
                  : delay(rest);
            });
  }

  private CompletableFuture<Void> delay(Duration duration) {
    return Futures.after(system, duration);
  }

  private CompletionStage<Batch<T>> read(String tag, FeedPosition after) {
    return database.run(
        c -> {
          try (PreparedStatement s = c.prepareStatement(table.sql())) {
            s.setString(1, tag);
            s.setString(2, Long.toString(after.transaction()));
            s.setLong(3, after.offset());
            s.setInt(4, settings.batchSize());
            try (ResultSet rs = s.executeQuery()) {
              List<Change<T>> changes = new ArrayList<>();
              int rows = 0;
              boolean heldBack = false;
              while (rs.next()) {
                rows++;
                if (!rs.getBoolean(3)) {
                  // committed, but an older transaction is still open: it and all after it wait
                  heldBack = true;
                  break;
                }
                changes.add(change(tag, rs));
              }
              return new Batch<>(changes, rows == settings.batchSize() && !heldBack, heldBack);
            }
          }
        });
  }

  private Change<T> change(String tag, ResultSet rs) throws SQLException {
    FeedPosition position = new FeedPosition(Long.parseLong(rs.getString(1)), rs.getLong(2));
    String persistenceId = rs.getString(4);
    long revision = rs.getLong(5);
    long timestamp = rs.getLong(6);
    T value;
    try {
      value = table.decode(rs);
    } catch (Exception e) {
      // one unreadable row must not stall its tag: it is left in place, named, counted, passed
      log.error(
          "Skipping a row of {} that cannot be read: {} revision {} at {} (tag {}): {}",
          table.name(),
          persistenceId,
          revision,
          position,
          tag,
          e.toString());
      metrics.unreadable(table.name(), tag);
      value = null;
    }
    return new Change<>(position, persistenceId, revision, value, timestamp);
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
