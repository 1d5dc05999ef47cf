package org.example.helpdesk.backoffice.deadletter;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.actor.Cancellable;
import org.apache.pekko.actor.typed.ActorSystem;
import org.example.helpdesk.platform.db.Database;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * No dead letter stays taken for good. A replay's claim, and the release of a parked command, is a
 * lease ({@link DeadLetterTable#withLease}): if the node dies or the database goes away before it
 * is resolved, the lease runs out and the dead letter is what it was before, failed or parked. A
 * replay or delete of it then works again, and this keeper, every {@code every}, releases the
 * parked commands of tickets whose head is gone (a release that did not finish), until that
 * succeeds: later commands of such a ticket are never parked for good.
 */
public final class DeadLetterLeases {

  private static final Logger log = LoggerFactory.getLogger(DeadLetterLeases.class);

  /** The lease of a row in 'replaying' ran out (or it has none, from before leases): undo it. */
  private static final String EXPIRE =
      "UPDATE dead_letters SET status = CASE WHEN waits_for IS NULL THEN 'failed' ELSE 'parked' END,"
          + " lease_until = NULL WHERE status = 'replaying'"
          + " AND (lease_until IS NULL OR lease_until < now())";

  private final DeadLetters deadLetters;
  private final Database database;
  private final Set<UUID> releasing = ConcurrentHashMap.newKeySet();
  private final Cancellable schedule;

  private DeadLetterLeases(DeadLetters deadLetters, ActorSystem<?> system, Duration every) {
    this.deadLetters = deadLetters;
    this.database = deadLetters.store().database();
    this.schedule =
        system
            .scheduler()
            .scheduleWithFixedDelay(every, every, this::keep, system.executionContext());
  }

  /**
   * Starts keeping the leases of these dead letters, every {@code every}; stops with the system.
   */
  public static DeadLetterLeases start(
      DeadLetters deadLetters, ActorSystem<?> system, Duration every) {
    return new DeadLetterLeases(deadLetters, system, every);
  }

  public void stop() {
    schedule.cancel();
  }

  /** One round: leases that ran out are undone, unfinished releases are taken up again. */
  public CompletionStage<Integer> keep() {
    return expire()
        .thenCompose(expired -> ticketsToRelease())
        .thenCompose(
            tickets -> {
              CompletableFuture<Integer> all = CompletableFuture.completedFuture(0);
              for (UUID ticket : tickets) {
                if (!releasing.add(ticket)) {
                  continue; // this node releases it already
                }
                all =
                    all.thenCompose(
                        n ->
                            deadLetters
                                .release(ticket)
                                .whenComplete((r, e) -> releasing.remove(ticket))
                                .handle((released, e) -> n + (e == null ? released : 0)));
              }
              return all;
            })
        .whenComplete(
            (released, failure) -> {
              if (failure != null) {
                log.debug("Dead-letter leases not kept this round: {}", failure.toString());
              } else if (released > 0) {
                log.info("Released {} parked command(s) whose release had not finished", released);
              }
            });
  }

  /** The dead letter's lease, if it ran out, is undone (in the caller's transaction). */
  static void expire(Connection c, long id) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(EXPIRE + " AND id = ?")) {
      s.setLong(1, id);
      s.executeUpdate();
    }
  }

  /** Every lease that ran out is undone; how many. */
  CompletionStage<Integer> expire() {
    return database.run(
        c -> {
          try (Statement s = c.createStatement()) {
            return s.executeUpdate(EXPIRE);
          }
        });
  }

  /**
   * Tickets whose first open dead letter is a parked command: its head was replayed or deleted but
   * the release of what waited behind it did not finish.
   */
  CompletionStage<Set<UUID>> ticketsToRelease() {
    return database.run(
        c -> {
          try (Statement s = c.createStatement();
              ResultSet rs =
                  s.executeQuery(
                      "SELECT DISTINCT ON (ticket_id) ticket_id, status FROM dead_letters"
                          + " WHERE ticket_id IS NOT NULL"
                          + " AND status IN ('failed', 'parked', 'replaying')"
                          + " ORDER BY ticket_id, id")) {
            Set<UUID> tickets = new HashSet<>();
            while (rs.next()) {
              if ("parked".equals(rs.getString(2))) {
                tickets.add(rs.getObject(1, UUID.class));
              }
            }
            return tickets;
          }
        });
  }
}
