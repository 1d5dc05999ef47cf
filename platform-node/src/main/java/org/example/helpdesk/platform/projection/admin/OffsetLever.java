package org.example.helpdesk.platform.projection.admin;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.projection.internal.OffsetSerialization$;
import org.example.helpdesk.platform.changefeed.FeedPosition;
import org.example.helpdesk.platform.db.Database;
import org.example.helpdesk.platform.domain.ConflictException;
import org.example.helpdesk.platform.domain.NotFoundException;
import org.example.helpdesk.platform.http.InvalidRequestException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves the stored offset of one paused projection instance: to a given feed position, past the
 * next {@code skip} changes of its tag, or to the head of its tag. The instance must be paused (its
 * stored flag is locked while the offset is written, so a resume waits for the change and then
 * starts from the new offset); every move is logged with who made it, from where and to where.
 *
 * <p>"Skip" counts only changes of committed transactions (below the snapshot's horizon, as the
 * feed reads them): a change of a transaction still open is never jumped over, so skipping never
 * loses a change that was not there yet. The head is the last such change.
 */
public final class OffsetLever {

  private static final Logger log = LoggerFactory.getLogger(OffsetLever.class);

  /** The most changes one request skips. */
  public static final int MAX_SKIP = 10_000;

  /**
   * The feed a projection reads: its table, the column of a row's offset within it (the transaction
   * is {@code tx_id}, the tag {@code tag}, as in {@code event_tag} and {@code durable_state}).
   */
  public record Feed(String table, String offsetColumn) {
    public static final Feed EVENT_TAG = new Feed("event_tag", "event_id");
    public static final Feed DURABLE_STATE = new Feed("durable_state", "global_offset");
  }

  /**
   * A move: the instance's {@code key} and exactly one of {@code offset} (a feed position {@code
   * "<transaction>:<offset>"}), {@code skip} (1 to {@value #MAX_SKIP}) or {@code toHead: true}.
   */
  public record Move(String key, String offset, Integer skip, Boolean toHead) {}

  /**
   * A move made: {@code from} is null when nothing was stored before; {@code skipped}, the changes
   * passed over, is there for a skip and a move to the head.
   */
  public record Moved(
      String name,
      String key,
      String from,
      String to,
      @JsonInclude(JsonInclude.Include.NON_NULL) Long skipped,
      String by,
      String how) {}

  private final Database database;
  private final Feed feed;
  private final Clock clock;

  public OffsetLever(Database database, Feed feed, Clock clock) {
    this.database = database;
    this.feed = feed;
    this.clock = clock;
  }

  /** Checks the move's shape (400 when it is wrong) and makes it. */
  public CompletionStage<Moved> move(AdminProjection projection, Move move, String by) {
    String how;
    try {
      how = validate(projection, move);
    } catch (RuntimeException e) {
      return java.util.concurrent.CompletableFuture.failedFuture(e);
    }
    return database
        .transact(c -> move(c, projection.name(), move, how, by))
        .thenApply(
            moved -> {
              log.info(
                  "Offset of projection {} instance {} moved by {} ({}): from {} to {}",
                  moved.name(),
                  moved.key(),
                  by,
                  how,
                  moved.from() == null ? "nothing stored" : moved.from(),
                  moved.to());
              return moved;
            });
  }

  private static String validate(AdminProjection projection, Move move) {
    if (move == null || move.key() == null || move.key().isBlank()) {
      throw new InvalidRequestException("'key' is required: the instance whose offset to move");
    }
    int given =
        (move.offset() != null ? 1 : 0)
            + (move.skip() != null ? 1 : 0)
            + (Boolean.TRUE.equals(move.toHead()) ? 1 : 0);
    if (given != 1 || Boolean.FALSE.equals(move.toHead())) {
      throw new InvalidRequestException(
          "give exactly one of 'offset' (\"<transaction>:<offset>\"), 'skip' (a number of"
              + " changes) or 'toHead': true");
    }
    if (!projection.keys().contains(move.key())) {
      throw new NotFoundException(
          "projection '"
              + projection.name()
              + "' has no instance '"
              + shorten(move.key())
              + "' (it has: "
              + String.join(", ", projection.keys())
              + ")");
    }
    if (move.offset() != null) {
      try {
        FeedPosition.parse(move.offset());
      } catch (IllegalArgumentException e) {
        throw new InvalidRequestException(
            "'offset' must be a feed position \"<transaction>:<offset>\", not '"
                + shorten(move.offset())
                + "'");
      }
      return "set";
    }
    if (move.skip() != null) {
      if (move.skip() < 1 || move.skip() > MAX_SKIP) {
        throw new InvalidRequestException("'skip' must be from 1 to " + MAX_SKIP);
      }
      return "skip " + move.skip();
    }
    return "to head";
  }

  private Moved move(Connection c, String name, Move move, String how, String by)
      throws SQLException {
    String key = move.key();
    if (!pausedAndLocked(c, name, key)) {
      throw new ConflictException(
          "instance "
              + key
              + " of projection "
              + name
              + " is not paused: pause the projection first (POST /admin/projections/"
              + name
              + "/pause)");
    }
    Optional<FeedPosition> stored = stored(c, name, key);
    FeedPosition from = stored.orElse(FeedPosition.START);
    FeedPosition to;
    Long skipped = null;
    if (move.offset() != null) {
      to = FeedPosition.parse(move.offset());
    } else {
      Skip found = move.skip() != null ? nth(c, key, from, move.skip()) : head(c, key, from);
      to = found.position();
      skipped = found.count();
    }
    write(c, name, key, to);
    return new Moved(
        name,
        key,
        stored.map(FeedPosition::toString).orElse(null),
        to.toString(),
        skipped,
        by,
        how);
  }

  /** Whether the instance is paused, locking its flag until the transaction ends. */
  private static boolean pausedAndLocked(Connection c, String name, String key)
      throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT paused FROM pekko_projection_management"
                + " WHERE projection_name = ? AND projection_key = ? FOR UPDATE")) {
      s.setString(1, name);
      s.setString(2, key);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() && rs.getBoolean(1);
      }
    }
  }

  private static Optional<FeedPosition> stored(Connection c, String name, String key)
      throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT current_offset FROM pekko_projection_offset_store"
                + " WHERE projection_name = ? AND projection_key = ? FOR UPDATE")) {
      s.setString(1, name);
      s.setString(2, key);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? Optional.of(FeedPosition.parse(rs.getString(1))) : Optional.empty();
      }
    }
  }

  /** Where the move lands, and how many committed changes it passes over. */
  private record Skip(FeedPosition position, long count) {}

  /**
   * The position of the {@code n}th committed change after {@code from} (or of the last one, when
   * there are fewer), stopping before any change of a transaction still open.
   */
  private Skip nth(Connection c, String tag, FeedPosition from, int n) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT f.tx_id::text, f."
                + feed.offsetColumn()
                + ", f.tx_id < h.horizon FROM (SELECT pg_snapshot_xmin(pg_current_snapshot()) AS horizon) h, "
                + feed.table()
                + " f WHERE f.tag = ? AND (f.tx_id, f."
                + feed.offsetColumn()
                + ") > (?::xid8, ?) ORDER BY f.tx_id, f."
                + feed.offsetColumn()
                + " LIMIT ?")) {
      bind(s, tag, from);
      s.setInt(4, n);
      FeedPosition at = from;
      long count = 0;
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next() && rs.getBoolean(3)) {
          at = new FeedPosition(Long.parseLong(rs.getString(1)), rs.getLong(2));
          count++;
        }
      }
      return new Skip(at, count);
    }
  }

  /** The last committed change of the tag after {@code from}, and how many there are. */
  private Skip head(Connection c, String tag, FeedPosition from) throws SQLException {
    String after =
        " FROM (SELECT pg_snapshot_xmin(pg_current_snapshot()) AS horizon) h, "
            + feed.table()
            + " f WHERE f.tag = ? AND (f.tx_id, f."
            + feed.offsetColumn()
            + ") > (?::xid8, ?) AND f.tx_id < h.horizon";
    long count;
    try (PreparedStatement s = c.prepareStatement("SELECT count(*)" + after)) {
      bind(s, tag, from);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        count = rs.getLong(1);
      }
    }
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT f.tx_id::text, f."
                + feed.offsetColumn()
                + after
                + " ORDER BY f.tx_id DESC, f."
                + feed.offsetColumn()
                + " DESC LIMIT 1")) {
      bind(s, tag, from);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next()
            ? new Skip(new FeedPosition(Long.parseLong(rs.getString(1)), rs.getLong(2)), count)
            : new Skip(from, 0);
      }
    }
  }

  private static void bind(PreparedStatement s, String tag, FeedPosition from) throws SQLException {
    s.setString(1, tag);
    s.setString(2, Long.toString(from.transaction()));
    s.setLong(3, from.offset());
  }

  /** Stores the offset as pekko-projection-jdbc does for a String offset. */
  private void write(Connection c, String name, String key, FeedPosition to) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "INSERT INTO pekko_projection_offset_store (projection_name, projection_key,"
                + " current_offset, manifest, mergeable, last_updated) VALUES (?, ?, ?, ?, false, ?)"
                + " ON CONFLICT (projection_name, projection_key) DO UPDATE SET"
                + " current_offset = EXCLUDED.current_offset, manifest = EXCLUDED.manifest,"
                + " mergeable = false, last_updated = EXCLUDED.last_updated")) {
      s.setString(1, name);
      s.setString(2, key);
      s.setString(3, to.toString());
      s.setString(4, OffsetSerialization$.MODULE$.StringManifest());
      s.setLong(5, clock.millis());
      s.executeUpdate();
    }
  }

  private static String shorten(String raw) {
    return raw.length() <= 64 ? raw : raw.substring(0, 64) + "…";
  }
}
