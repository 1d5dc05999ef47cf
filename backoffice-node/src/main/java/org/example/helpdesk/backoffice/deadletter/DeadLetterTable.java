package org.example.helpdesk.backoffice.deadletter;

import java.time.Clock;
import java.time.Duration;
import org.example.helpdesk.backoffice.inbox.DeadLetterStore;
import org.example.helpdesk.platform.db.Database;

/**
 * The {@code dead_letters} table: messages that failed, the later commands of their tickets parked
 * behind them, and the tombstones of those replayed or deleted. Its parts by who uses them: {@link
 * #writes} (the inbox), {@link #queries} (pages, API, metrics), {@link #claims} (replays and
 * deletes).
 */
public final class DeadLetterTable {

  private final Database database;
  private final Clock clock;
  private final int maxMessageBytes;
  private final DeadLetterQueries queries;
  private final DeadLetterWrites writes;
  private final DeadLetterClaims claims;

  /**
   * @param maxMessageBytes a larger body is kept cut to {@link
   *     DeadLetterStore#KEPT_OF_OVERSIZED_BODY} bytes (its size is kept)
   */
  public DeadLetterTable(Database database, Clock clock, int maxMessageBytes) {
    this(database, clock, maxMessageBytes, DeadLetterClaims.DEFAULT_LEASE);
  }

  private DeadLetterTable(Database database, Clock clock, int maxMessageBytes, Duration lease) {
    this.database = database;
    this.clock = clock;
    this.maxMessageBytes = maxMessageBytes;
    this.queries = new DeadLetterQueries(database);
    this.writes = new DeadLetterWrites(database, clock, maxMessageBytes, queries);
    this.claims = new DeadLetterClaims(database, clock, lease);
  }

  /**
   * The same table whose claims are leases of this length: a dead letter not resolved in time is
   * what it was before again (see {@link DeadLetterLeases}). Longer than a replay takes (the
   * ticket's ask timeout and a few statements).
   */
  public DeadLetterTable withLease(Duration lease) {
    return new DeadLetterTable(database, clock, maxMessageBytes, lease);
  }

  /** What the inbox keeps here: it sees this as its {@link DeadLetterStore}. */
  public DeadLetterWrites writes() {
    return writes;
  }

  public DeadLetterQueries queries() {
    return queries;
  }

  public DeadLetterClaims claims() {
    return claims;
  }

  Database database() {
    return database;
  }
}
