package org.example.helpdesk.customer.events;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
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

/** The {@code event_dead_letters} table: the ticket events the inbox could not record. */
public final class EventDeadLetters {

  /** How much of a body larger than the inbox takes is kept (its full size is kept too). */
  static final int KEPT_OF_OVERSIZED_BODY = 64 * 1024;

  private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule());
  private static final TypeReference<List<EventDeadLetter.ReplayFailure>> FAILURES =
      new TypeReference<>() {};
  private static final String COLUMNS =
      "id, message_id, type, issue_id, body, body_size, headers::text, reason,"
          + " replay_failures::text, first_failed_at, last_failed_at, attempts";

  private final Database database;
  private final Clock clock;
  private final int maxMessageBytes;

  /**
   * @param maxMessageBytes a larger body is kept cut to {@value #KEPT_OF_OVERSIZED_BODY} bytes
   */
  public EventDeadLetters(Database database, Clock clock, int maxMessageBytes) {
    this.database = database;
    this.clock = clock;
    this.maxMessageBytes = maxMessageBytes;
  }

  /**
   * Keeps a message the inbox gives up on. The same message failing again (a redelivery) counts as
   * another attempt, with this delivery's reason.
   */
  CompletionStage<Void> record(EventMessage message, UUID issueId, String reason) {
    return database.run(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "INSERT INTO event_dead_letters (message_id, type, issue_id, body, body_size,"
                      + " headers, reason, first_failed_at, last_failed_at, attempts)"
                      + " VALUES (?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, 1)"
                      + " ON CONFLICT (message_id) DO UPDATE"
                      + " SET attempts = event_dead_letters.attempts + 1,"
                      + " reason = EXCLUDED.reason, last_failed_at = EXCLUDED.last_failed_at")) {
            Timestamp now = Timestamp.from(clock.instant());
            byte[] body = message.body();
            // what a broken message carries may be anything: kept byte for byte, cut short only
            // when it is larger than the inbox takes
            byte[] kept =
                body.length <= maxMessageBytes
                    ? body
                    : Arrays.copyOf(body, Math.min(body.length, KEPT_OF_OVERSIZED_BODY));
            s.setString(1, message.messageId());
            s.setString(
                2,
                message.type() == null
                    ? null
                    : TextRules.storable(
                        message.type().length() > 255
                            ? message.type().substring(0, 255)
                            : message.type()));
            s.setObject(3, issueId);
            s.setBytes(4, kept);
            s.setInt(5, body.length);
            s.setString(6, message.headersJson());
            s.setString(7, TextRules.storable(reason));
            s.setTimestamp(8, now);
            s.setTimestamp(9, now);
            s.executeUpdate();
          }
          return null;
        });
  }

  /** The issues that have dead letters now. */
  CompletionStage<Set<UUID>> issues() {
    return database.run(
        c -> {
          Set<UUID> issues = new HashSet<>();
          try (PreparedStatement s =
                  c.prepareStatement(
                      "SELECT DISTINCT issue_id FROM event_dead_letters WHERE issue_id IS NOT NULL");
              ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
              issues.add(rs.getObject(1, UUID.class));
            }
          }
          return issues;
        });
  }

  /**
   * The message id of the issue's first dead letter other than this message (a redelivery of a
   * message kept already is not held behind itself), if it has one.
   */
  CompletionStage<Optional<String>> firstOf(UUID issueId, String messageId) {
    return database.run(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT message_id FROM event_dead_letters WHERE issue_id = ?"
                      + " AND message_id <> ? ORDER BY id LIMIT 1")) {
            s.setObject(1, issueId);
            s.setString(2, messageId);
            try (ResultSet rs = s.executeQuery()) {
              return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
          }
        });
  }

  /** The message id of a dead letter of the same issue kept before this one, if any. */
  public CompletionStage<Optional<String>> earlierOf(EventDeadLetter letter) {
    if (letter.issueId() == null) {
      return database.run(c -> Optional.empty());
    }
    return database.run(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT message_id FROM event_dead_letters WHERE issue_id = ? AND id < ?"
                      + " ORDER BY id LIMIT 1")) {
            s.setObject(1, letter.issueId());
            s.setLong(2, letter.id());
            try (ResultSet rs = s.executeQuery()) {
              return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
          }
        });
  }

  /** The oldest dead letters first, at most {@code limit}, after the id {@code after}. */
  public CompletionStage<List<EventDeadLetter>> list(long after, int limit) {
    return database.run(
        c -> {
          List<EventDeadLetter> letters = new ArrayList<>();
          try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT "
                      + COLUMNS
                      + " FROM event_dead_letters WHERE id > ? ORDER BY id LIMIT ?")) {
            s.setLong(1, after);
            s.setInt(2, limit);
            try (ResultSet rs = s.executeQuery()) {
              while (rs.next()) {
                letters.add(read(rs));
              }
            }
          }
          return letters;
        });
  }

  public CompletionStage<Optional<EventDeadLetter>> get(long id) {
    return database.run(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement("SELECT " + COLUMNS + " FROM event_dead_letters WHERE id = ?")) {
            s.setLong(1, id);
            try (ResultSet rs = s.executeQuery()) {
              return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
          }
        });
  }

  /** Removes a dead letter (replayed, or given up by the operator); whether there was one. */
  public CompletionStage<Boolean> delete(long id) {
    return database.run(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement("DELETE FROM event_dead_letters WHERE id = ?")) {
            s.setLong(1, id);
            return s.executeUpdate() > 0;
          }
        });
  }

  /** Adds a failed replay to the dead letter's reasons; the first reason stays. */
  public CompletionStage<Void> replayFailed(long id, String reason) {
    return database.run(
        c -> {
          ArrayNode failure = JSON.createArrayNode();
          failure
              .addObject()
              .put("at", clock.instant().toString())
              .put("reason", TextRules.storable(reason));
          try (PreparedStatement s =
              c.prepareStatement(
                  "UPDATE event_dead_letters SET replay_failures = replay_failures || ?::jsonb"
                      + " WHERE id = ?")) {
            s.setString(1, failure.toString());
            s.setLong(2, id);
            s.executeUpdate();
          }
          return null;
        });
  }

  private static EventDeadLetter read(ResultSet rs) throws SQLException {
    List<EventDeadLetter.ReplayFailure> failures;
    try {
      failures = JSON.readValue(rs.getString(9), FAILURES);
    } catch (java.io.IOException e) {
      throw new SQLException("unreadable replay_failures of dead letter " + rs.getLong(1), e);
    }
    return new EventDeadLetter(
        rs.getLong(1),
        rs.getString(2),
        rs.getString(3),
        rs.getObject(4, UUID.class),
        rs.getBytes(5),
        rs.getInt(6),
        rs.getString(7),
        rs.getString(8),
        failures,
        rs.getTimestamp(10).toInstant(),
        rs.getTimestamp(11).toInstant(),
        rs.getInt(12));
  }
}
