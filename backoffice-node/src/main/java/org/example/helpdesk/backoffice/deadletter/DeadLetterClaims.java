package org.example.helpdesk.backoffice.deadletter;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import org.example.helpdesk.platform.db.Database;
import org.example.helpdesk.protocol.TextRules;

/**
 * What a replay or delete does to the {@code dead_letters} rows (see V6__dead_letters_parking.sql):
 * takes one for the length of a lease, and leaves it resolved, failed again, deleted, or the new
 * head of its ticket; takes its ticket's parked commands one by one, in order, under the ticket's
 * lock (see {@link DeadLetterRows}).
 */
public final class DeadLetterClaims {

  /** How long a replay's claim holds unless {@link DeadLetterTable#withLease} says otherwise. */
  public static final Duration DEFAULT_LEASE = Duration.ofSeconds(30);

  private final Database database;
  private final Clock clock;
  private final Duration lease;

  DeadLetterClaims(Database database, Clock clock, Duration lease) {
    this.database = database;
    this.clock = clock;
    this.lease = lease;
  }

  public Duration lease() {
    return lease;
  }

  /**
   * Takes a dead letter for replay: it must be a failed one (a parked one waits for its head), and
   * only one replay takes it, for the length of the lease (one whose lease ran out is failed again,
   * and taken).
   */
  public CompletionStage<Claim> claim(long id) {
    return database.transact(
        c -> {
          DeadLetterLeases.expire(c, id);
          Optional<DeadLetter> found = DeadLetterRows.find(c, id, Integer.MAX_VALUE);
          if (found.isEmpty() || !DeadLetterRows.isOpen(found.get().status())) {
            return new Claim.Missing();
          }
          DeadLetter d = found.get();
          if (d.status() != DeadLetter.Status.FAILED) {
            return new Claim.Busy(d);
          }
          try (PreparedStatement s =
              c.prepareStatement(
                  "UPDATE dead_letters SET status = 'replaying', lease_until = now() + ?::interval"
                      + " WHERE id = ? AND status = 'failed'")) {
            s.setString(1, lease.toMillis() + " milliseconds");
            s.setLong(2, id);
            return s.executeUpdate() == 1 ? new Claim.Taken(d) : new Claim.Busy(d);
          }
        });
  }

  /** What {@link #claim} found. */
  public sealed interface Claim {
    record Taken(DeadLetter deadLetter) implements Claim {}

    /** Being replayed, or parked behind another one. */
    record Busy(DeadLetter deadLetter) implements Claim {}

    record Missing() implements Claim {}
  }

  /** A replay applied it: it stays as a tombstone. */
  public CompletionStage<Boolean> resolved(long id) {
    return setStatus(id, "resolved", "'replaying'");
  }

  /** A replay failed again: it is the head of its ticket again, with the new error. */
  public CompletionStage<Boolean> failedAgain(long id, String error) {
    return database.run(c -> failedAgain(c, id, error));
  }

  /**
   * A dead letter being replayed failed: one more attempt, the new error, and it is its ticket's
   * head, waiting for nothing (one claimed from {@code failed} waited for nothing already; a
   * released parked one no longer waits for the head it was parked behind).
   */
  private boolean failedAgain(Connection c, long id, String error) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "UPDATE dead_letters SET status = 'failed', waits_for = NULL, attempts = attempts + 1, error = ?,"
                + " last_failed_at = ? WHERE id = ? AND status = 'replaying'")) {
      s.setString(1, TextRules.storable(error));
      s.setTimestamp(2, Timestamp.from(clock.instant()));
      s.setLong(3, id);
      return s.executeUpdate() > 0;
    }
  }

  /**
   * @return the dead letter it was, if there was an open one not being replayed
   */
  public CompletionStage<Optional<DeadLetter>> delete(long id) {
    return database.transact(
        c -> {
          DeadLetterLeases.expire(c, id);
          Optional<DeadLetter> found = DeadLetterRows.find(c, id, 0);
          if (found.isEmpty()
              || (found.get().status() != DeadLetter.Status.FAILED
                  && found.get().status() != DeadLetter.Status.PARKED)) {
            return Optional.<DeadLetter>empty();
          }
          try (PreparedStatement s =
              c.prepareStatement(
                  "UPDATE dead_letters SET status = 'deleted' WHERE id = ? AND status IN ('failed', 'parked')")) {
            s.setLong(1, id);
            return s.executeUpdate() == 1 ? found : Optional.<DeadLetter>empty();
          }
        });
  }

  /**
   * The next parked command of a ticket once nothing failed is ahead of it, taken for applying; or
   * empty when none is left — decided under the ticket's lock, so a command parked at the same
   * moment is either found here or not parked at all.
   */
  public CompletionStage<Optional<DeadLetter>> nextParked(UUID ticketId) {
    return database.transact(
        c -> {
          DeadLetterRows.lock(c, ticketId);
          Optional<DeadLetterRows.FirstOpen> first = DeadLetterRows.firstOpen(c, ticketId);
          if (first.isEmpty() || !"parked".equals(first.get().status())) {
            return Optional.<DeadLetter>empty(); // none left, or a failed one still ahead
          }
          long id = first.get().id();
          try (PreparedStatement take =
              c.prepareStatement(
                  "UPDATE dead_letters SET status = 'replaying', lease_until = now() + ?::interval"
                      + " WHERE id = ?")) {
            take.setString(1, lease.toMillis() + " milliseconds");
            take.setLong(2, id);
            take.executeUpdate();
          }
          return DeadLetterRows.find(c, id, Integer.MAX_VALUE);
        });
  }

  /** A released parked command failed: it is its ticket's head now, the rest waits for it. */
  public CompletionStage<Boolean> becameHead(
      long id, String messageId, UUID ticketId, String error) {
    return database.transact(
        c -> {
          failedAgain(c, id, error);
          try (PreparedStatement s =
              c.prepareStatement(
                  "UPDATE dead_letters SET waits_for = ? WHERE ticket_id = ? AND status = 'parked'")) {
            s.setString(1, messageId);
            s.setObject(2, ticketId);
            s.executeUpdate();
          }
          return true;
        });
  }

  private CompletionStage<Boolean> setStatus(long id, String status, String from) {
    return database.run(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "UPDATE dead_letters SET status = '"
                      + status
                      + "' WHERE id = ? AND status = "
                      + from)) {
            s.setLong(1, id);
            return s.executeUpdate() > 0;
          }
        });
  }
}
