package org.example.helpdesk.backoffice.ticket;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.example.helpdesk.platform.changefeed.EventTagTable;
import org.example.helpdesk.platform.changefeed.FeedPosition;
import org.example.helpdesk.platform.persistence.Recorded;
import org.example.helpdesk.platform.projection.admin.AdminProjection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SQL of a {@link TicketRebuild}: filling {@code tickets_rebuild} from the journal, tag by tag
 * up to the live projection's stored offsets, and the swap that puts it in the place of {@code
 * tickets} (why nothing is lost there: see {@link TicketRebuild}). The rebuild decides when; this
 * does it, on the rebuild's one connection.
 */
final class TicketRebuildTable {

  private static final Logger log = LoggerFactory.getLogger(TicketRebuild.class);

  private static final String EVENTS =
      "SELECT t.tx_id::text, t.event_id, true, j.persistence_id, j.sequence_number,"
          + " coalesce(j.write_timestamp, 0), j.event_payload, j.event_ser_id, j.event_ser_manifest"
          + " FROM event_tag t JOIN event_journal j ON j.ordering = t.event_id"
          + " WHERE t.tag = ? AND (t.tx_id, t.event_id) > (?::xid8, ?) AND (t.tx_id, t.event_id) <= (?::xid8, ?)"
          + " ORDER BY t.tx_id, t.event_id LIMIT ?";

  private static final String OFFSET =
      "SELECT current_offset FROM pekko_projection_offset_store WHERE projection_name = ? AND projection_key = ?";

  private final EventTagTable<Recorded<Ticket.Event>> events;
  private final AdminProjection live;
  private final AtomicLong eventsRead;

  /**
   * @param eventsRead counts the events read, for the rebuild's status
   */
  TicketRebuildTable(
      EventTagTable<Recorded<Ticket.Event>> events, AdminProjection live, AtomicLong eventsRead) {
    this.events = events;
    this.live = live;
    this.eventsRead = eventsRead;
  }

  /**
   * Applies the tag's events after where the new table stands, up to {@code upTo}, at most {@code
   * limit} of them, in one transaction; returns how many it read.
   */
  int catchUp(
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
      TicketReadModel.apply(c, batch, TicketRebuild.TABLE);
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

  FeedPosition storedOffset(Connection c, String tag) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(OFFSET)) {
      s.setString(1, live.name());
      s.setString(2, tag);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? FeedPosition.parse(rs.getString(1)) : FeedPosition.START;
      }
    }
  }

  /** The swap, in one transaction (see the class comment); returns the rows of the new table. */
  long swap(Connection c, Map<String, FeedPosition> built) throws Exception {
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
      Map<String, String> newIndexes = indexes(c, TicketRebuild.TABLE);
      s.execute("DROP TABLE " + TicketReadModel.TABLE);
      for (Map.Entry<String, String> index : newIndexes.entrySet()) {
        String name = oldNames.get(index.getValue());
        if (name != null) {
          // (renaming a primary key's index renames its constraint too)
          s.execute("ALTER INDEX " + quote(index.getKey()) + " RENAME TO " + quote(name));
        }
      }
      s.execute("ALTER TABLE " + TicketRebuild.TABLE + " RENAME TO " + TicketReadModel.TABLE);
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

  void dropLeftover(Connection c) {
    try (Statement s = c.createStatement()) {
      if (!c.getAutoCommit()) {
        c.rollback();
        c.setAutoCommit(true);
      }
      s.execute("DROP TABLE IF EXISTS " + TicketRebuild.TABLE);
    } catch (SQLException e) {
      log.warn("Could not drop {} after the failed rebuild: {}", TicketRebuild.TABLE, e.toString());
    }
  }
}
