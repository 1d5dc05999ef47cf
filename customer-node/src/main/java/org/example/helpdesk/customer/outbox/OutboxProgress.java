package org.example.helpdesk.customer.outbox;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.example.helpdesk.platform.db.PlannedEachTime;

/**
 * How far the relay has published each issue's outbox entries ({@code outbox_published}), read and
 * written inside the relay's transaction, the one that also stores its offset.
 */
final class OutboxProgress {

  private OutboxProgress() {}

  /** The last entry number published, per issue; issues without a row have none published. */
  static Map<String, Long> publishedUpTo(Connection connection, Collection<String> persistenceIds)
      throws SQLException {
    Map<String, Long> published = new HashMap<>();
    if (persistenceIds.isEmpty()) {
      return published;
    }
    try (PreparedStatement s =
        connection.prepareStatement(
            "SELECT p.persistence_id, p.up_to_entry FROM unnest(?::text[]) AS wanted(id)"
                + " JOIN outbox_published p ON p.persistence_id = wanted.id")) {
      PlannedEachTime.mark(s);
      Array ids = connection.createArrayOf("text", persistenceIds.toArray());
      s.setArray(1, ids);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          published.put(rs.getString(1), rs.getLong(2));
        }
      }
      ids.free();
    }
    return published;
  }

  /** Records how far each issue is published, all in one statement; returns how many issues. */
  static int record(Connection connection, Map<String, Long> upToEntry) throws SQLException {
    if (upToEntry.isEmpty()) {
      return 0;
    }
    try (PreparedStatement s =
        connection.prepareStatement(
            "INSERT INTO outbox_published (persistence_id, up_to_entry) SELECT * FROM unnest(?::text[], ?::bigint[])"
                + " ON CONFLICT (persistence_id) DO UPDATE"
                + " SET up_to_entry = greatest(outbox_published.up_to_entry, excluded.up_to_entry)")) {
      s.setArray(1, connection.createArrayOf("text", upToEntry.keySet().toArray()));
      s.setArray(2, connection.createArrayOf("bigint", upToEntry.values().toArray()));
      s.executeUpdate();
    }
    return upToEntry.size();
  }
}
