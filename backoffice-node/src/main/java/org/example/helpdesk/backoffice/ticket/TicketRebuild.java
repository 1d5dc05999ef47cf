package org.example.helpdesk.backoffice.ticket;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.typed.ActorSystem;
import org.example.helpdesk.platform.changefeed.EventTagTable;
import org.example.helpdesk.platform.changefeed.FeedPosition;
import org.example.helpdesk.platform.db.Database;
import org.example.helpdesk.platform.domain.ConflictException;
import org.example.helpdesk.platform.persistence.Recorded;
import org.example.helpdesk.platform.projection.admin.AdminProjection;
import org.example.helpdesk.platform.projection.admin.Rebuild;
import org.example.helpdesk.platform.projection.admin.RebuildStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds the {@code tickets} table from the journal while the API goes on reading the old one:
 *
 * <ol>
 *   <li><b>building</b>: a new table {@code tickets_rebuild} (same columns, constraints and
 *       indexes) is filled with every Ticket event, per tag in the feed's (transaction, event)
 *       order, with {@link TicketReadModel#apply} (the projection's own fold), in batches of {@code
 *       batchSize} events; each tag up to the offset the live projection has stored, read again
 *       before each batch;
 *   <li><b>pausing</b>: the live projection is paused ({@code ProjectionManagement}: each instance
 *       stops after its last transaction, so its offsets stop moving);
 *   <li><b>catching-up</b>: each tag of the new table is brought up to the live offset;
 *   <li><b>swapping</b>: in one transaction, with {@code tickets} locked, the new table is caught
 *       up once more (see below), the old table is dropped and the new one takes its name and its
 *       indexes' names; readers wait for the few milliseconds of the swap and then read the new
 *       table (PostgreSQL looks the name up again after the lock), never an empty or partial one;
 *   <li><b>resuming</b>: the instances this rebuild paused resume from their offsets, on the new
 *       table (an instance an operator had paused before stays paused).
 * </ol>
 *
 * <p><b>Why nothing the live projection applied is lost at the swap.</b> After the swap the table
 * is the fold of exactly the events up to each tag's stored offset, and the live projection goes on
 * from that offset: the two agree. This holds even if an instance kept running (a pause that did
 * not reach it): the swap transaction first takes {@code tickets} in ACCESS EXCLUSIVE mode, which
 * waits for every transaction of the projection that wrote rows (its rows and its offset commit
 * together), then the offset store in SHARE mode (which waits for one that stored an offset without
 * writing rows, and stops any other until the swap commits); only then does it read the offsets and
 * catch the new table up to them. The locks are taken in the order the projection takes them (rows,
 * then offset), so they cannot deadlock with it. The new table never runs ahead of an offset (every
 * read is bounded by the stored offset), and everything at or below a stored offset is committed
 * and below the feed's horizon, so a bounded read sees all of it.
 *
 * <p>One rebuild at a time in the whole cluster (a PostgreSQL advisory lock of the schema); if it
 * fails, {@code tickets_rebuild} is dropped, the live table is left as it was and the paused
 * instances are resumed. If the node dies in the middle, the projection may stay paused: {@code
 * POST /admin/projections/tickets/resume} resumes it, and the next rebuild replaces the leftover
 * table.
 */
public final class TicketRebuild implements Rebuild {

  private static final Logger log = LoggerFactory.getLogger(TicketRebuild.class);

  public static final String TABLE = "tickets_rebuild";

  /** The advisory lock of a rebuild: one per schema. */
  static final String LOCK_KEY = "hashtext(current_schema() || '.tickets-rebuild')";

  private static final String EVENTS =
      "SELECT t.tx_id::text, t.event_id, true, j.persistence_id, j.sequence_number,"
          + " coalesce(j.write_timestamp, 0), j.event_payload, j.event_ser_id, j.event_ser_manifest"
          + " FROM event_tag t JOIN event_journal j ON j.ordering = t.event_id"
          + " WHERE t.tag = ? AND (t.tx_id, t.event_id) > (?::xid8, ?) AND (t.tx_id, t.event_id) <= (?::xid8, ?)"
          + " ORDER BY t.tx_id, t.event_id LIMIT ?";

  private static final String OFFSET =
      "SELECT current_offset FROM pekko_projection_offset_store WHERE projection_name = ? AND projection_key = ?";

  private final Database database;
  private final EventTagTable<Recorded<Ticket.Event>> events;
  private final AdminProjection live;
  private final Clock clock;
  private final Duration pauseTimeout;
  private final int batchSize;
  private final AtomicBoolean running = new AtomicBoolean();
  private final AtomicReference<RebuildStatus> status = new AtomicReference<>(RebuildStatus.IDLE);
  private final AtomicLong eventsRead = new AtomicLong();

  /**
   * @param live the live projection, paused and resumed around the swap
   * @param pauseTimeout how long pausing or resuming all its instances may take
   * @param batchSize events read and applied in one transaction while building
   */
  public TicketRebuild(
      ActorSystem<?> system,
      Database database,
      AdminProjection live,
      Clock clock,
      Duration pauseTimeout,
      int batchSize) {
    this.database = database;
    this.events = new EventTagTable<>(system, Recorded.type());
    this.live = live;
    this.clock = clock;
    this.pauseTimeout = pauseTimeout;
    this.batchSize = batchSize;
  }

  @Override
  public RebuildStatus status() {
    RebuildStatus s = status.get();
    return s.underWay()
        ? new RebuildStatus(s.state(), s.startedAt(), null, eventsRead.get(), null, null)
        : s;
  }

  @Override
  public CompletionStage<RebuildStatus> start() {
    if (!running.compareAndSet(false, true)) {
      return CompletableFuture.failedFuture(
          new ConflictException("a rebuild of the tickets read model is under way already"));
    }
    CompletableFuture<RebuildStatus> started = new CompletableFuture<>();
    Thread worker = new Thread(() -> run(started), "tickets-rebuild");
    worker.setDaemon(true);
    worker.start();
    return started;
  }

  private void run(CompletableFuture<RebuildStatus> started) {
    Connection c;
    try {
      c = database.dataSource().getConnection();
    } catch (SQLException e) {
      running.set(false);
      started.completeExceptionally(new Database.DatabaseException(e));
      return;
    } catch (RuntimeException e) {
      running.set(false);
      started.completeExceptionally(e);
      return;
    }
    boolean locked = false;
    List<String> paused = List.of();
    try {
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT pg_try_advisory_lock(" + LOCK_KEY + ")")) {
        rs.next();
        locked = rs.getBoolean(1);
      }
      if (!locked) {
        started.completeExceptionally(
            new ConflictException(
                "a rebuild of the tickets read model is under way already (on another node)"));
        return;
      }
      eventsRead.set(0);
      step("building");
      try (Statement s = c.createStatement()) {
        s.execute("DROP TABLE IF EXISTS " + TABLE);
        s.execute("CREATE TABLE " + TABLE + " (LIKE " + TicketReadModel.TABLE + " INCLUDING ALL)");
      }
      started.complete(status());
      log.info("Rebuilding the tickets read model into {}", TABLE);

      Map<String, FeedPosition> built = new HashMap<>();
      for (String tag : live.keys()) {
        built.put(tag, FeedPosition.START);
        // the live offset moves on meanwhile: read it again for each batch
        while (catchUp(c, tag, built, storedOffset(c, tag), batchSize) > 0) {}
      }

      step("pausing");
      List<String> before = pausedKeys();
      paused = live.keys().stream().filter(k -> !before.contains(k)).toList();
      live.pause(paused).toCompletableFuture().get(pauseTimeout.toMillis(), TimeUnit.MILLISECONDS);

      step("catching-up");
      for (String tag : live.keys()) {
        while (catchUp(c, tag, built, storedOffset(c, tag), batchSize) > 0) {}
      }

      step("swapping");
      long rows = swap(c, built);

      step("resuming");
      List<String> toResume = paused;
      paused = List.of();
      live.resume(toResume)
          .toCompletableFuture()
          .get(pauseTimeout.toMillis(), TimeUnit.MILLISECONDS);
      RebuildStatus s = status.get();
      status.set(
          new RebuildStatus("done", s.startedAt(), clock.instant(), eventsRead.get(), rows, null));
      log.info("Rebuilt the tickets read model: {} events, {} rows", eventsRead.get(), rows);
    } catch (Exception e) {
      Throwable cause =
          e instanceof java.util.concurrent.ExecutionException && e.getCause() != null
              ? e.getCause()
              : e;
      log.error("Rebuilding the tickets read model failed; the live table is unchanged", cause);
      RebuildStatus s = status.get();
      status.set(
          new RebuildStatus(
              "failed",
              s.startedAt(),
              clock.instant(),
              eventsRead.get(),
              null,
              String.valueOf(cause)));
      // (before it started: the caller answers 503 for the database, 409 for another rebuild)
      started.completeExceptionally(
          cause instanceof SQLException sql ? new Database.DatabaseException(sql) : cause);
      dropLeftover(c);
    } finally {
      if (!paused.isEmpty()) {
        try {
          live.resume(paused)
              .toCompletableFuture()
              .get(pauseTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
          log.error(
              "Could not resume the tickets projection ({}) after the rebuild: resume it with POST /admin/projections/tickets/resume",
              paused,
              e);
        }
      }
      if (locked) {
        // (a session lock stays with the pooled connection unless released)
        try (Statement s = c.createStatement()) {
          s.execute("SELECT pg_advisory_unlock(" + LOCK_KEY + ")");
        } catch (SQLException e) {
          log.warn("Could not release the rebuild's advisory lock: {}", e.toString());
        }
      }
      try {
        c.close();
      } catch (SQLException e) {
        log.debug("closing", e);
      }
      running.set(false);
    }
  }

  private void step(String state) {
    RebuildStatus s = status.get();
    status.set(
        new RebuildStatus(
            state,
            state.equals("building") ? clock.instant() : s.startedAt(),
            null,
            eventsRead.get(),
            null,
            null));
    log.info("Tickets rebuild: {} ({} events read)", state, eventsRead.get());
  }

  /**
   * Applies the tag's events after where the new table stands, up to {@code upTo}, at most {@code
   * limit} of them, in one transaction; returns how many it read.
   */
  private int catchUp(
      Connection c, String tag, Map<String, FeedPosition> built, FeedPosition upTo, int limit)
      throws Exception {
    FeedPosition after = built.get(tag);
    if (after.compareTo(upTo) >= 0) {
      return 0;
    }
    boolean autoCommit = c.getAutoCommit();
    List<Ticket.Event> batch = new ArrayList<>();
    FeedPosition last = after;
    int read = 0;
    try (PreparedStatement s = c.prepareStatement(EVENTS)) {
      s.setString(1, tag);
      s.setString(2, Long.toString(after.transaction()));
      s.setLong(3, after.offset());
      s.setString(4, Long.toString(upTo.transaction()));
      s.setLong(5, upTo.offset());
      s.setInt(6, limit);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          read++;
          last = new FeedPosition(Long.parseLong(rs.getString(1)), rs.getLong(2));
          try {
            batch.add(events.decode(rs).event());
          } catch (Exception e) {
            // as the live projection does (CommitOrderedFeed): an unreadable event is passed
            log.error(
                "Rebuild skips an event that cannot be read: {} {} at {} (tag {}): {}",
                rs.getString(4),
                rs.getLong(5),
                last,
                tag,
                e.toString());
          }
        }
      }
    }
    if (autoCommit) {
      c.setAutoCommit(false);
    }
    try {
      TicketReadModel.apply(c, batch, TABLE);
      if (autoCommit) {
        c.commit();
      }
    } catch (SQLException | RuntimeException e) {
      if (autoCommit) {
        c.rollback();
      }
      throw e;
    } finally {
      if (autoCommit) {
        c.setAutoCommit(true);
      }
    }
    built.put(tag, last);
    eventsRead.addAndGet(read);
    return read;
  }

  private FeedPosition storedOffset(Connection c, String tag) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(OFFSET)) {
      s.setString(1, live.name());
      s.setString(2, tag);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? FeedPosition.parse(rs.getString(1)) : FeedPosition.START;
      }
    }
  }

  private List<String> pausedKeys() throws Exception {
    return live
        .instances()
        .toCompletableFuture()
        .get(pauseTimeout.toMillis(), TimeUnit.MILLISECONDS)
        .stream()
        .filter(i -> i.state().equals("paused"))
        .map(AdminProjection.Instance::key)
        .toList();
  }

  /** The swap, in one transaction (see the class comment); returns the rows of the new table. */
  private long swap(Connection c, Map<String, FeedPosition> built) throws Exception {
    c.setAutoCommit(false);
    try (Statement s = c.createStatement()) {
      // readers queue behind the lock: bound how long they can be made to wait for it
      s.execute("SET LOCAL lock_timeout = '10s'");
      s.execute("LOCK TABLE " + TicketReadModel.TABLE + " IN ACCESS EXCLUSIVE MODE");
      s.execute("LOCK TABLE pekko_projection_offset_store IN SHARE MODE");
      for (String tag : live.keys()) {
        FeedPosition upTo = storedOffset(c, tag);
        while (catchUp(c, tag, built, upTo, Integer.MAX_VALUE) > 0) {}
      }
      Map<String, String> oldNames = new HashMap<>();
      indexes(c, TicketReadModel.TABLE)
          .forEach((name, definition) -> oldNames.put(definition, name));
      Map<String, String> newIndexes = indexes(c, TABLE);
      s.execute("DROP TABLE " + TicketReadModel.TABLE);
      for (Map.Entry<String, String> index : newIndexes.entrySet()) {
        String name = oldNames.get(index.getValue());
        if (name != null) {
          // (renaming a primary key's index renames its constraint too)
          s.execute("ALTER INDEX " + quote(index.getKey()) + " RENAME TO " + quote(name));
        }
      }
      s.execute("ALTER TABLE " + TABLE + " RENAME TO " + TicketReadModel.TABLE);
      TicketReadModel.notifyChanged(c);
      long rows;
      try (ResultSet rs = s.executeQuery("SELECT count(*) FROM " + TicketReadModel.TABLE)) {
        rs.next();
        rows = rs.getLong(1);
      }
      c.commit();
      return rows;
    } catch (Exception e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(true);
    }
  }

  /** A table's indexes, by name, each with its definition without its name and table. */
  private static Map<String, String> indexes(Connection c, String table) throws SQLException {
    Map<String, String> indexes = new LinkedHashMap<>();
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT i.relname, pg_get_indexdef(x.indexrelid) FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid"
                + " WHERE x.indrelid = (current_schema() || '.' || ?)::regclass ORDER BY i.relname")) {
      s.setString(1, table);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          indexes.put(
              rs.getString(1), rs.getString(2).replaceFirst("INDEX \\S+ ON \\S+ ", "INDEX ON "));
        }
      }
    }
    return indexes;
  }

  private static String quote(String identifier) {
    return "\"" + identifier.replace("\"", "\"\"") + "\"";
  }

  private void dropLeftover(Connection c) {
    try (Statement s = c.createStatement()) {
      if (!c.getAutoCommit()) {
        c.rollback();
        c.setAutoCommit(true);
      }
      s.execute("DROP TABLE IF EXISTS " + TABLE);
    } catch (SQLException e) {
      log.warn("Could not drop {} after the failed rebuild: {}", TABLE, e.toString());
    }
  }
}
