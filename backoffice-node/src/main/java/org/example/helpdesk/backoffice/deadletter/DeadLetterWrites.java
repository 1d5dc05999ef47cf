package org.example.helpdesk.backoffice.deadletter;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import org.example.helpdesk.backoffice.inbox.DeadLetterStore;
import org.example.helpdesk.backoffice.inbox.InboundMessage;
import org.example.helpdesk.platform.db.Database;
import org.example.helpdesk.protocol.TextRules;

/**
 * What the inbox writes into the {@code dead_letters} table: a message it gave up on, and a command
 * parked behind its ticket's head. The inbox sees it as its {@link DeadLetterStore}.
 */
public final class DeadLetterWrites implements DeadLetterStore {

  private final Database database;
  private final Clock clock;
  private final int maxMessageBytes;
  private final DeadLetterQueries queries;

  /**
   * @param maxMessageBytes a larger body is kept cut to {@link #KEPT_OF_OVERSIZED_BODY} bytes (its
   *     size is kept)
   */
  DeadLetterWrites(Database database, Clock clock, int maxMessageBytes, DeadLetterQueries queries) {
    this.database = database;
    this.clock = clock;
    this.maxMessageBytes = maxMessageBytes;
    this.queries = queries;
  }

  @Override
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

  @Override
  public CompletionStage<Optional<String>> parkBehind(InboundMessage message, UUID ticketId) {
    return database.transact(
        c -> {
          DeadLetterRows.lock(c, ticketId);
          Optional<String> head =
              DeadLetterRows.firstOpen(c, ticketId).map(DeadLetterRows.FirstOpen::messageId);
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

  @Override
  public CompletionStage<Set<UUID>> ticketsWithOpenDeadLetters() {
    return queries.ticketsWithOpenDeadLetters();
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

  private static String truncate(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max);
  }
}
