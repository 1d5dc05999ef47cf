package org.example.helpdesk.platform.changefeed;

import org.apache.pekko.actor.typed.ActorSystem;

/** The {@code durable_state} table as a feed: each entity's latest state, by tag. */
public final class DurableStateTable<T> extends SerializedTable<T> {

  public static final String TABLE = "durable_state";

  /** The feed query (see {@link CommitOrderedFeed.Table#sql()}). */
  public static final String FEED_SQL =
      "SELECT d.tx_id::text, d.global_offset, d.tx_id < h.horizon, d.persistence_id, d.revision, d.state_timestamp,"
          + " CASE WHEN d.tx_id < h.horizon THEN d.state_payload END, d.state_serial_id, d.state_serial_manifest"
          + " FROM (SELECT pg_snapshot_xmin(pg_current_snapshot()) AS horizon) h, durable_state d"
          + " WHERE d.tag = ? AND (d.tx_id, d.global_offset) > (?::xid8, ?)"
          + " ORDER BY d.tx_id, d.global_offset LIMIT ?";

  public DurableStateTable(ActorSystem<?> system, Class<T> type) {
    super(TABLE, FEED_SQL, system, type);
  }
}
