package org.example.helpdesk.backoffice.deadletter;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.example.helpdesk.platform.concurrent.Futures;
import org.example.helpdesk.platform.db.Database;
import org.example.helpdesk.platform.http.InvalidRequestException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replays or deletes every open dead letter that matches a {@link Filter}, one by one through
 * {@link DeadLetters} (so each keeps the guarantees of a single replay or delete), at most {@value
 * #MAX_PER_REQUEST} a request.
 *
 * <ul>
 *   <li>Replay takes the matching <em>failed</em> letters (the heads of their tickets; parked ones
 *       follow their head as with a single replay) in id order, so that a ticket's commands are
 *       applied in the order they arrived.
 *   <li>Delete takes the matching failed and parked letters in <em>descending</em> id order: the
 *       parked ones behind a head are gone before the head, so deleting the head releases (applies)
 *       only the ones the filter left out, in their order, never one the operator asked to delete.
 * </ul>
 *
 * A filter's {@code upToId} bounds it to the letters a preview counted: letters that arrive after
 * the preview are not touched by its confirmation.
 */
public final class BulkDeadLetters {

  private static final Logger log = LoggerFactory.getLogger(BulkDeadLetters.class);

  /**
   * Letters per request: one at a time a head with its parked command took about 75 ms (measured,
   * see docs/operator-levers.md), so 500 finish well within {@link #REQUEST_TIMEOUT}.
   */
  public static final int MAX_PER_REQUEST = 500;

  /** How long a bulk request may run (the server's default request timeout is 20 s). */
  public static final scala.concurrent.duration.FiniteDuration REQUEST_TIMEOUT =
      scala.concurrent.duration.Duration.create(2, java.util.concurrent.TimeUnit.MINUTES);

  public enum Action {
    REPLAY("'failed'"),
    DELETE("'failed', 'parked'");

    private final String statuses;

    Action(String statuses) {
      this.statuses = statuses;
    }

    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /**
   * Which open letters: each field given narrows it. {@code error} is a case-insensitive substring
   * of the error; {@code since} (inclusive) and {@code until} (exclusive) bound when it first
   * failed; {@code status} is {@code failed} or {@code parked}.
   */
  public record Filter(
      String type,
      String error,
      UUID ticketId,
      String status,
      Instant since,
      Instant until,
      Long upToId) {

    public Filter {
      if (status != null && !status.equals("failed") && !status.equals("parked")) {
        throw new InvalidRequestException("'status' must be failed or parked");
      }
      if (since != null && until != null && !since.isBefore(until)) {
        throw new InvalidRequestException("'since' must be before 'until'");
      }
      if (upToId != null && upToId < 1) {
        throw new InvalidRequestException("'upToId' must be a positive dead letter id");
      }
      type = blankToNull(type);
      error = blankToNull(error);
    }

    public Filter withUpToId(Long id) {
      return new Filter(type, error, ticketId, status, since, until, id);
    }

    private static String blankToNull(String s) {
      return s == null || s.isBlank() ? null : s;
    }
  }

  /**
   * What a bulk action found or did. A preview ({@code dryRun}) has only {@code matched} and {@code
   * upToId} (the highest id matched: give it back to act on exactly these). {@code remaining}: how
   * many match after it (beyond this request's share, and those that failed again). {@code
   * skipped}: letters that were no longer where the filter found them (being replayed, parked
   * behind a head that failed again, resolved meanwhile, or kept cut short). {@code stopped}: why
   * it stopped early.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Result(
      String action,
      boolean dryRun,
      long matched,
      Long upToId,
      Integer replayed,
      Integer releasedParked,
      Integer failedAgain,
      Integer deleted,
      Integer skipped,
      Long remaining,
      String stopped) {}

  private final DeadLetters deadLetters;
  private final Database database;

  public BulkDeadLetters(DeadLetters deadLetters, Database database) {
    this.deadLetters = deadLetters;
    this.database = database;
  }

  /** How many letters the action would take, and the highest id among them. */
  public CompletionStage<Result> preview(Action action, Filter filter) {
    return database.run(
        c -> {
          Query q = query(action, filter, "count(*), max(id)", "");
          try (PreparedStatement s = q.prepare(c);
              ResultSet rs = s.executeQuery()) {
            rs.next();
            long max = rs.getLong(2);
            Long upTo = rs.wasNull() ? null : max;
            return new Result(
                action.label(),
                true,
                rs.getLong(1),
                upTo,
                null,
                null,
                null,
                null,
                null,
                null,
                null);
          }
        });
  }

  /** Applies the action to the matching letters, one at a time. */
  public CompletionStage<Result> apply(Action action, Filter filter, String who, String trace) {
    return ids(action, filter)
        .thenCompose(
            ids -> {
              Tally tally = new Tally(action);
              return each(ids, 0, action, tally, trace)
                  // what still matches: the rest beyond this request's share, and those that
                  // failed again (unknown when it stopped: the database is not answering)
                  .thenCompose(
                      done ->
                          tally.stopped != null
                              ? CompletableFuture.<Long>completedFuture(null)
                              : preview(action, filter).thenApply(Result::matched))
                  .thenApply(
                      remaining -> {
                        Result r = tally.result(ids, remaining);
                        log.info(
                            "Bulk {} of dead letters by {}: {} matched {}, {}",
                            action.label(),
                            who,
                            ids.size(),
                            filter,
                            r);
                        return r;
                      });
            });
  }

  private CompletionStage<Void> each(
      List<Long> ids, int i, Action action, Tally tally, String trace) {
    if (i >= ids.size() || tally.stopped != null) {
      return CompletableFuture.completedFuture(null);
    }
    long id = ids.get(i);
    CompletionStage<Void> one =
        action == Action.REPLAY
            ? deadLetters.replay(id, Optional.empty(), trace).thenAccept(tally::replayed)
            : deadLetters.delete(id, trace).thenAccept(tally::deleted);
    return one.handle(
            (ok, failure) -> {
              if (failure != null) {
                tally.stopped =
                    "stopped at dead letter " + id + ": " + Futures.unwrap(failure).getMessage();
              }
              return null;
            })
        .thenCompose(x -> each(ids, i + 1, action, tally, trace));
  }

  /** The first {@value #MAX_PER_REQUEST} matching ids, in the order the action takes them. */
  private CompletionStage<List<Long>> ids(Action action, Filter filter) {
    return database.run(
        c -> {
          Query first = query(action, filter, "id", " ORDER BY id LIMIT " + MAX_PER_REQUEST);
          Query q =
              new Query(
                  "SELECT id FROM ("
                      + first.sql()
                      + ") m ORDER BY id"
                      + (action == Action.REPLAY ? "" : " DESC"),
                  first.params());
          List<Long> ids = new ArrayList<>();
          try (PreparedStatement s = q.prepare(c);
              ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
              ids.add(rs.getLong(1));
            }
          }
          return ids;
        });
  }

  /** A statement and its parameters. */
  private record Query(String sql, List<Object> params) {
    PreparedStatement prepare(Connection c) throws SQLException {
      PreparedStatement s = c.prepareStatement(sql);
      for (int i = 0; i < params.size(); i++) {
        s.setObject(i + 1, params.get(i));
      }
      return s;
    }
  }

  private static Query query(Action action, Filter f, String columns, String tail) {
    StringBuilder sql =
        new StringBuilder("SELECT ")
            .append(columns)
            .append(" FROM dead_letters WHERE status IN (")
            .append(action.statuses)
            .append(")");
    List<Object> params = new ArrayList<>();
    if (f.type() != null) {
      sql.append(" AND type = ?");
      params.add(f.type());
    }
    if (f.error() != null) {
      sql.append(" AND strpos(lower(error), lower(?)) > 0");
      params.add(f.error());
    }
    if (f.ticketId() != null) {
      sql.append(" AND ticket_id = ?");
      params.add(f.ticketId());
    }
    if (f.status() != null) {
      sql.append(" AND status = ?");
      params.add(f.status());
    }
    if (f.since() != null) {
      sql.append(" AND first_failed_at >= ?");
      params.add(Timestamp.from(f.since()));
    }
    if (f.until() != null) {
      sql.append(" AND first_failed_at < ?");
      params.add(Timestamp.from(f.until()));
    }
    if (f.upToId() != null) {
      sql.append(" AND id <= ?");
      params.add(f.upToId());
    }
    sql.append(tail);
    return new Query(sql.toString(), params);
  }

  /** Counts as the letters are done, one at a time (never concurrently). */
  private static final class Tally {
    private final Action action;
    private int replayed;
    private int released;
    private int failedAgain;
    private int deleted;
    private int skipped;
    private String stopped;

    Tally(Action action) {
      this.action = action;
    }

    void replayed(DeadLetters.Replayed r) {
      if (r instanceof DeadLetters.Replayed.Applied applied) {
        replayed++;
        released += applied.released();
      } else if (r instanceof DeadLetters.Replayed.FailedAgain) {
        failedAgain++;
      } else {
        skipped++;
      }
    }

    void deleted(Optional<DeadLetter> d) {
      if (d.isPresent()) {
        deleted++;
      } else {
        skipped++;
      }
    }

    Result result(List<Long> ids, Long remaining) {
      Long upTo = ids.stream().max(Long::compare).orElse(null);
      boolean replay = action == Action.REPLAY;
      return new Result(
          action.label(),
          false,
          ids.size(),
          upTo,
          replay ? replayed : null,
          replay ? released : null,
          replay ? failedAgain : null,
          replay ? null : deleted,
          skipped,
          remaining,
          stopped);
    }
  }
}
