package org.example.helpdesk.backoffice.deadletter;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Optional;
import java.util.UUID;

/**
 * The SQL the dead-letter store's parts share: which rows are open, how a row reads as a {@link
 * DeadLetter}, a ticket's first open one, and the ticket's lock. Whatever concerns one ticket's
 * order — parking behind its head, and releasing what is parked — takes that lock, so a message is
 * never parked behind a head already gone.
 */
final class DeadLetterRows {

  private DeadLetterRows() {}

  /** Open dead letters, in listings and in the ticket's queue of them. */
  static final String OPEN = "status IN ('failed', 'parked', 'replaying')";

  static boolean isOpen(DeadLetter.Status status) {
    return Arrays.asList(
            DeadLetter.Status.FAILED, DeadLetter.Status.PARKED, DeadLetter.Status.REPLAYING)
        .contains(status);
  }

  static void lock(Connection c, UUID ticketId) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement("SELECT pg_advisory_xact_lock(hashtextextended(?, 0))")) {
      s.setString(1, "dead-letters:" + ticketId);
      s.execute();
    }
  }

  /** A ticket's first open dead letter, in arrival order. */
  record FirstOpen(long id, String messageId, String status) {}

  static Optional<FirstOpen> firstOpen(Connection c, UUID ticketId) throws SQLException {
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

  /**
   * @param bodyBytes how much of the body to read
   */
  static Optional<DeadLetter> find(Connection c, long id, int bodyBytes) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(select(bodyBytes) + " WHERE id = ?")) {
      s.setLong(1, id);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? Optional.of(deadLetter(rs)) : Optional.empty();
      }
    }
  }

  static String select(int bodyBytes) {
    return "SELECT id, message_id, type, substring(body from 1 for "
        + Math.max(bodyBytes, 1)
        + ") AS body, "
        + "body_size, headers::text AS headers, error, first_failed_at, last_failed_at, attempts, status, ticket_id, waits_for, "
        + "trace_id FROM dead_letters";
  }

  static DeadLetter deadLetter(ResultSet rs) throws SQLException {
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
}
