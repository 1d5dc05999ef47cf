package org.example.helpdesk.backoffice.deadletter;

import static org.example.helpdesk.backoffice.deadletter.DeadLetterRows.OPEN;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import org.example.helpdesk.platform.db.Database;

/** What the pages, the API and the metrics read of the open dead letters; it changes nothing. */
public final class DeadLetterQueries {

  /** Listings show this much of each body. */
  public static final int PREVIEW_BYTES = 4096;

  /** The open dead letters' count, as SQL for the metrics. */
  public static final String COUNT_OPEN = "SELECT count(*) FROM dead_letters WHERE " + OPEN;

  private final Database database;

  public DeadLetterQueries(Database database) {
    this.database = database;
  }

  public CompletionStage<List<DeadLetter>> list(int limit) {
    return database.run(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  DeadLetterRows.select(PREVIEW_BYTES)
                      + " WHERE "
                      + OPEN
                      + " ORDER BY id DESC LIMIT ?")) {
            s.setInt(1, limit);
            try (ResultSet rs = s.executeQuery()) {
              List<DeadLetter> letters = new ArrayList<>();
              while (rs.next()) {
                letters.add(DeadLetterRows.deadLetter(rs));
              }
              return letters;
            }
          }
        });
  }

  /** An open dead letter (failed, parked or being replayed). */
  public CompletionStage<Optional<DeadLetter>> find(long id) {
    return database.run(
        c ->
            DeadLetterRows.find(c, id, Integer.MAX_VALUE)
                .filter(d -> DeadLetterRows.isOpen(d.status())));
  }

  public CompletionStage<Long> count() {
    return database.run(
        c -> {
          try (Statement s = c.createStatement();
              ResultSet rs = s.executeQuery(COUNT_OPEN)) {
            rs.next();
            return rs.getLong(1);
          }
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
}
