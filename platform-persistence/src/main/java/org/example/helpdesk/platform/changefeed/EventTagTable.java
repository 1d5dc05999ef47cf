package org.example.helpdesk.platform.changefeed;

import org.apache.pekko.actor.typed.ActorSystem;

/**
 * The events of pekko-persistence-jdbc's journal as a feed, by tag: its {@code event_tag} rows
 * carry the writing transaction (they are inserted in the same transaction as their events).
 */
public final class EventTagTable<T> extends SerializedTable<T> {

  public static final String TABLE = "event_tag";

  private static final String SQL =
      "SELECT t.tx_id::text, t.event_id, t.tx_id < h.horizon, j.persistence_id, j.sequence_number,"
          + " coalesce(j.write_timestamp, 0), CASE WHEN t.tx_id < h.horizon THEN j.event_payload END,"
          + " j.event_ser_id, j.event_ser_manifest"
          + " FROM (SELECT pg_snapshot_xmin(pg_current_snapshot()) AS horizon) h, event_tag t"
          + " JOIN event_journal j ON j.ordering = t.event_id"
          + " WHERE t.tag = ? AND (t.tx_id, t.event_id) > (?::xid8, ?)"
          + " ORDER BY t.tx_id, t.event_id LIMIT ?";

  public EventTagTable(ActorSystem<?> system, Class<T> type) {
    super(TABLE, SQL, system, type);
  }
}
