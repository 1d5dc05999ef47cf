package org.example.helpdesk.backoffice.inbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import org.example.helpdesk.platform.db.Database;
import org.example.helpdesk.protocol.TextRules;

/**
 * The {@code dead_letters} table: messages that failed, the later commands of their tickets parked
 * behind them, and the tombstones of those replayed or deleted (see V6__dead_letters_parking.sql).
 * Whatever concerns one ticket's order — parking behind its head, and releasing what is parked —
 * takes the ticket's advisory lock, so a message is never parked behind a head already gone.
 */
public final class DeadLetterStore {

  /** Open dead letters, in listings and in the ticket's queue of them. */
  private static final String OPEN = "status IN ('failed', 'parked', 'replaying')";

  /** How much of a body larger than the inbox takes is kept. */
  public static final int KEPT_OF_OVERSIZED_BODY = 64 * 1024;

  /** How long a replay's claim holds unless {@link #withLease} says otherwise. */
  public static final Duration DEFAULT_LEASE = Duration.ofSeconds(30);

  private final Database database;
  private final Clock clock;
  private final int maxMessageBytes;
  private final Duration lease;

  /**
   * @param maxMessageBytes a larger body is kept cut to {@link #KEPT_OF_OVERSIZED_BODY} bytes (its
   *     size is kept)
   */
  public DeadLetterStore(Database database, Clock clock, int maxMessageBytes) {
    this(database, clock, maxMessageBytes, DEFAULT_LEASE);
  }

  private DeadLetterStore(Database database, Clock clock, int maxMessageBytes, Duration lease) {
    this.database = database;
    this.clock = clock;
    this.maxMessageBytes = maxMessageBytes;
    this.lease = lease;
  }

  /**
   * The same store whose claims are leases of this length: a dead letter not resolved in time is
   * what it was before again (see {@link DeadLetterLeases}). Longer than a replay takes (the
   * ticket's ask timeout and a few statements).
   */
  public DeadLetterStore withLease(Duration lease) {
    return new DeadLetterStore(database, clock, maxMessageBytes, lease);
  }

  public Duration lease() {
    return lease;
  }

  Database database() {
    return database;
  }

  /**
   * Keeps a message that cannot succeed as its ticket's head. The same message failing again (a
   * redelivery) counts as another attempt, with this delivery's body, headers and error; one that
   * was replayed or deleted in the meantime is not brought back.
   *
   * @return whether it is kept
   */
  public CompletionStage<Boolean> record(InboundMessage message, UUID ticketId, String error) {
    return database.run(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "INSERT INTO dead_letters (message_id, type, body, body_size, headers, error, first_failed_at,"
                      + " last_failed_at, attempts, status, ticket_id, trace_id)"
                      + " VALUES (?, ?, ?, ?, ?::jsonb, ?, ?, ?, 1, 'failed', ?, ?)"
                      + " ON CONFLICT (message_id) DO UPDATE SET attempts = dead_letters.attempts + 1,"
                      + " body = EXCLUDED.body, body_size = EXCLUDED.body_size, headers = EXCLUDED.headers,"
                      + " type = EXCLUDED.type, error = EXCLUDED.error, last_failed_at = EXCLUDED.last_failed_at,"
                      + " trace_id = coalesce(EXCLUDED.trace_id, dead_letters.trace_id)"
                      + " WHERE dead_letters.status = 'failed'")) {
            bindMessage(s, message, error);
            s.setObject(9, ticketId);
            s.setString(10, message.traceId());
            return s.executeUpdate() > 0;
          }
        });
  }

  /**
   * Parks a command behind its ticket's open dead letters, if there are any: it is kept, and
   * applied when they are replayed or deleted.
   *
   * @return the message id it waits for, or empty when the ticket has no open dead letter (the
   *     command may be applied now)
   */
  public CompletionStage<Optional<String>> parkBehind(InboundMessage message, UUID ticketId) {
    return database.transact(
        c -> {
          lock(c, ticketId);
          Optional<String> head = head(c, ticketId);
          if (head.isEmpty()) {
            return head;
          }
          try (PreparedStatement s =
              c.prepareStatement(
                  "INSERT INTO dead_letters (message_id, type, body, body_size, headers, error, first_failed_at,"
                      + " last_failed_at, attempts, status, ticket_id, waits_for, trace_id)"
                      + " VALUES (?, ?, ?, ?, ?::jsonb, ?, ?, ?, 0, 'parked', ?, ?, ?)"
                      + " ON CONFLICT (message_id) DO NOTHING")) {
            bindMessage(
                s,
                message,
                "waits for "
                    + head.get()
                    + ", an earlier command of ticket "
                    + ticketId
                    + " that failed");
            s.setObject(9, ticketId);
            s.setString(10, head.get());
            s.setString(11, message.traceId());
            s.executeUpdate();
          }
          return head;
        });
  }

  /** Tickets that have open dead letters. */
  public CompletionStage<Set<UUID>> ticketsWithOpenDeadLetters() {
    return database.run(
        c -> {
          try (Statement s = c.createStatement();
              ResultSet rs =
                  s.executeQuery(
                      "SELECT DISTINCT ticket_id FROM dead_letters WHERE ticket_id IS NOT NULL AND "
                          + OPEN)) {
            Set<UUID> tickets = new HashSet<>();
            while (rs.next()) {
              tickets.add(rs.getObject(1, UUID.class));
            }
            return tickets;
          }
        });
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
          Optional<DeadLetter> found = find(c, id, Integer.MAX_VALUE);
          if (found.isEmpty() || !isOpen(found.get().status())) {
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
          Optional<DeadLetter> found = find(c, id, 0);
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
          lock(c, ticketId);
          Optional<FirstOpen> first = firstOpen(c, ticketId);
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
          return find(c, id, Integer.MAX_VALUE);
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

  public CompletionStage<List<DeadLetter>> list(int limit) {
    return database.run(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  select(PREVIEW_BYTES) + " WHERE " + OPEN + " ORDER BY id DESC LIMIT ?")) {
            s.setInt(1, limit);
            try (ResultSet rs = s.executeQuery()) {
              List<DeadLetter> letters = new ArrayList<>();
              while (rs.next()) {
                letters.add(deadLetter(rs));
              }
              return letters;
            }
          }
        });
  }

  /** An open dead letter (failed, parked or being replayed). */
  public CompletionStage<Optional<DeadLetter>> find(long id) {
    return database.run(c -> find(c, id, Integer.MAX_VALUE).filter(d -> isOpen(d.status())));
  }

  public CompletionStage<Long> count() {
    return database.run(
        c -> {
          try (Statement s = c.createStatement();
              ResultSet rs = s.executeQuery("SELECT count(*) FROM dead_letters WHERE " + OPEN)) {
            rs.next();
            return rs.getLong(1);
          }
        });
  }

  /** Listings show this much of each body. */
  public static final int PREVIEW_BYTES = 4096;

  /** The open dead letters' count, as SQL for the metrics. */
  public static final String COUNT_OPEN = "SELECT count(*) FROM dead_letters WHERE " + OPEN;

  private static boolean isOpen(DeadLetter.Status status) {
    return Arrays.asList(
            DeadLetter.Status.FAILED, DeadLetter.Status.PARKED, DeadLetter.Status.REPLAYING)
        .contains(status);
  }

  private void bindMessage(PreparedStatement s, InboundMessage message, String error)
      throws SQLException {
    Timestamp now = Timestamp.from(clock.instant());
    byte[] body = message.body();
    // what a broken message carries may be anything: the body is kept byte for byte, cut short
    // only when it is larger than the inbox takes
    byte[] kept =
        body.length <= maxMessageBytes ? body : Arrays.copyOf(body, KEPT_OF_OVERSIZED_BODY);
    s.setString(1, TextRules.storable(message.messageId()));
    s.setString(
        2, message.type() == null ? null : TextRules.storable(truncate(message.type(), 255)));
    s.setBytes(3, kept);
    s.setInt(4, body.length);
    s.setString(5, message.headersJson());
    s.setString(6, TextRules.storable(error));
    s.setTimestamp(7, now);
    s.setTimestamp(8, now);
  }

  private static void lock(Connection c, UUID ticketId) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement("SELECT pg_advisory_xact_lock(hashtextextended(?, 0))")) {
      s.setString(1, "dead-letters:" + ticketId);
      s.execute();
    }
  }

  /** The message id of the ticket's head: its first open dead letter, if it has one. */
  private static Optional<String> head(Connection c, UUID ticketId) throws SQLException {
    return firstOpen(c, ticketId).map(FirstOpen::messageId);
  }

  /** A ticket's first open dead letter, in arrival order. */
  private record FirstOpen(long id, String messageId, String status) {}

  private static Optional<FirstOpen> firstOpen(Connection c, UUID ticketId) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT id, message_id, status FROM dead_letters WHERE ticket_id = ? AND "
                + OPEN
                + " ORDER BY id LIMIT 1")) {
      s.setObject(1, ticketId);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next()
            ? Optional.of(new FirstOpen(rs.getLong(1), rs.getString(2), rs.getString(3)))
            : Optional.empty();
      }
    }
  }

  private static Optional<DeadLetter> find(Connection c, long id, int bodyBytes)
      throws SQLException {
    try (PreparedStatement s = c.prepareStatement(select(bodyBytes) + " WHERE id = ?")) {
      s.setLong(1, id);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? Optional.of(deadLetter(rs)) : Optional.empty();
      }
    }
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

  private static String select(int bodyBytes) {
    return "SELECT id, message_id, type, substring(body from 1 for "
        + Math.max(bodyBytes, 1)
        + ") AS body, "
        + "body_size, headers::text AS headers, error, first_failed_at, last_failed_at, attempts, status, ticket_id, waits_for, "
        + "trace_id FROM dead_letters";
  }

  private static DeadLetter deadLetter(ResultSet rs) throws SQLException {
    return new DeadLetter(
        rs.getLong("id"),
        rs.getString("message_id"),
        rs.getString("type"),
        rs.getBytes("body"),
        rs.getInt("body_size"),
        rs.getString("headers"),
        rs.getString("error"),
        rs.getTimestamp("first_failed_at").toInstant(),
        rs.getTimestamp("last_failed_at").toInstant(),
        rs.getInt("attempts"),
        DeadLetter.Status.of(rs.getString("status")),
        rs.getObject("ticket_id", UUID.class),
        rs.getString("waits_for"),
        rs.getString("trace_id"));
  }

  private static String truncate(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max);
  }
}
