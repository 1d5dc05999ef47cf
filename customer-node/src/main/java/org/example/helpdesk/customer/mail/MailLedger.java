package org.example.helpdesk.customer.mail;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.example.helpdesk.platform.db.PlannedEachTime;

/**
 * What the mailer has done: how far it got through each issue's entries ({@code mail_progress}),
 * and the mails a server refused for good ({@code mail_failures}), for an operator to see.
 */
final class MailLedger {

  /** A mail the server refused for good. */
  public record Failure(
      UUID issueId, long entryNumber, String recipient, int code, String reason, Instant at) {}

  private MailLedger() {}

  /** The last entry number dealt with, per issue; issues without a row have none. */
  static Map<String, Long> doneUpTo(Connection c, Collection<String> persistenceIds)
      throws SQLException {
    Map<String, Long> done = new HashMap<>();
    if (persistenceIds.isEmpty()) {
      return done;
    }
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT p.persistence_id, p.up_to_entry FROM unnest(?::text[]) AS wanted(id)"
                + " JOIN mail_progress p ON p.persistence_id = wanted.id")) {
      PlannedEachTime.mark(s);
      Array ids = c.createArrayOf("text", persistenceIds.toArray());
      s.setArray(1, ids);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          done.put(rs.getString(1), rs.getLong(2));
        }
      }
      ids.free();
    }
    return done;
  }

  static void done(Connection c, String persistenceId, long upToEntry) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "INSERT INTO mail_progress (persistence_id, up_to_entry) VALUES (?, ?)"
                + " ON CONFLICT (persistence_id) DO UPDATE"
                + " SET up_to_entry = greatest(mail_progress.up_to_entry, excluded.up_to_entry)")) {
      s.setString(1, persistenceId);
      s.setLong(2, upToEntry);
      s.executeUpdate();
    }
  }

  /** Keeps a refusal (once per notification) and moves past it, in one transaction. */
  static void failed(Connection c, String persistenceId, Failure failure) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "INSERT INTO mail_failures (issue_id, entry_number, recipient, code, reason, failed_at)"
                + " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (issue_id, entry_number) DO NOTHING")) {
      s.setObject(1, failure.issueId());
      s.setLong(2, failure.entryNumber());
      s.setString(3, failure.recipient());
      s.setInt(4, failure.code());
      s.setString(5, failure.reason());
      s.setTimestamp(6, Timestamp.from(failure.at()));
      s.executeUpdate();
    }
    done(c, persistenceId, failure.entryNumber());
  }

  /** The latest refusals, newest first. */
  static List<Failure> failures(Connection c, int limit) throws SQLException {
    List<Failure> failures = new ArrayList<>();
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT issue_id, entry_number, recipient, code, reason, failed_at FROM mail_failures"
                + " ORDER BY failed_at DESC, issue_id, entry_number LIMIT ?")) {
      s.setInt(1, limit);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          failures.add(
              new Failure(
                  rs.getObject(1, UUID.class),
                  rs.getLong(2),
                  rs.getString(3),
                  rs.getInt(4),
                  rs.getString(5),
                  rs.getTimestamp(6).toInstant()));
        }
      }
    }
    return failures;
  }
}
