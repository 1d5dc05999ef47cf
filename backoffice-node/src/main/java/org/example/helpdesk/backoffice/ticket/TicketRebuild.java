package org.example.helpdesk.backoffice.ticket;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
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

  private final Database database;
  private final TicketRebuildTable table;
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
    this.table =
        new TicketRebuildTable(new EventTagTable<>(system, Recorded.type()), live, eventsRead);
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
        while (table.catchUp(c, tag, built, table.storedOffset(c, tag), batchSize) > 0) {}
      }

      step("pausing");
      List<String> before = pausedKeys();
      paused = live.keys().stream().filter(k -> !before.contains(k)).toList();
      live.pause(paused).toCompletableFuture().get(pauseTimeout.toMillis(), TimeUnit.MILLISECONDS);

      step("catching-up");
      for (String tag : live.keys()) {
        while (table.catchUp(c, tag, built, table.storedOffset(c, tag), batchSize) > 0) {}
      }

      step("swapping");
      long rows = table.swap(c, built);

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
      table.dropLeftover(c);
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
}
