package org.example.helpdesk.backoffice.inbox;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.example.helpdesk.platform.db.Database;
import org.example.helpdesk.protocol.TextRules;

/** The {@code dead_letters} table. */
public final class DeadLetterStore {

  private final Database database;
  private final Clock clock;

  public DeadLetterStore(Database database, Clock clock) {
    this.database = database;
    this.clock = clock;
  }

  /**
   * Keeps a message that cannot succeed. The same message failing again (a redelivery) counts as
   * another attempt of the same dead letter.
   */
  public CompletionStage<Done> record(InboundMessage message, String error) {
    return database.run(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "INSERT INTO dead_letters (message_id, type, body, headers, error, first_failed_at, last_failed_at, attempts) "
                      + "VALUES (?, ?, ?, ?::jsonb, ?, ?, ?, 1) "
                      + "ON CONFLICT (message_id) DO UPDATE SET attempts = dead_letters.attempts + 1, "
                      + "error = EXCLUDED.error, last_failed_at = EXCLUDED.last_failed_at")) {
            Timestamp now = Timestamp.from(clock.instant());
            // what a broken message carries may be anything; the body is kept byte for byte
            s.setString(1, TextRules.storable(message.messageId()));
            s.setString(2, message.type() == null ? null : TextRules.storable(truncate(message.type(), 255)));
            s.setBytes(3, message.body());
            s.setString(4, message.headersJson());
            s.setString(5, TextRules.storable(error));
            s.setTimestamp(6, now);
            s.setTimestamp(7, now);
            s.executeUpdate();
            return Done.getInstance();
          }
        });
  }

  public CompletionStage<List<DeadLetter>> list(int limit) {
    return database.run(
        c -> {
          try (PreparedStatement s = c.prepareStatement(select(PREVIEW_BYTES) + " ORDER BY id DESC LIMIT ?")) {
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

  public CompletionStage<Optional<DeadLetter>> find(long id) {
    return database.run(
        c -> {
          try (PreparedStatement s = c.prepareStatement(select(Integer.MAX_VALUE) + " WHERE id = ?")) {
            s.setLong(1, id);
            try (ResultSet rs = s.executeQuery()) {
              return rs.next() ? Optional.of(deadLetter(rs)) : Optional.empty();
            }
          }
        });
  }

  /** A replay failed again: the dead letter stays, with the new error. */
  public CompletionStage<Done> replayFailed(long id, String error) {
    return database.run(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "UPDATE dead_letters SET attempts = attempts + 1, error = ?, last_failed_at = ? WHERE id = ?")) {
            s.setString(1, TextRules.storable(error));
            s.setTimestamp(2, Timestamp.from(clock.instant()));
            s.setLong(3, id);
            s.executeUpdate();
            return Done.getInstance();
          }
        });
  }

  /** @return whether there was such a dead letter */
  public CompletionStage<Boolean> delete(long id) {
    return database.run(
        c -> {
          try (PreparedStatement s = c.prepareStatement("DELETE FROM dead_letters WHERE id = ?")) {
            s.setLong(1, id);
            return s.executeUpdate() > 0;
          }
        });
  }

  public CompletionStage<Long> count() {
    return database.run(
        c -> {
          try (Statement s = c.createStatement();
              ResultSet rs = s.executeQuery("SELECT count(*) FROM dead_letters")) {
            rs.next();
            return rs.getLong(1);
          }
        });
  }

  /** Listings show this much of each body. */
  public static final int PREVIEW_BYTES = 4096;

  private static String select(int bodyBytes) {
    return "SELECT id, message_id, type, substring(body from 1 for " + bodyBytes + ") AS body, "
        + "octet_length(body) AS body_size, headers::text AS headers, error, first_failed_at, last_failed_at, attempts "
        + "FROM dead_letters";
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
        rs.getInt("attempts"));
  }

  private static String truncate(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max);
  }
}
