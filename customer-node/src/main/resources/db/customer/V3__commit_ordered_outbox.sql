-- The outbox relay reads the issues in commit order (CommitOrderedFeed): every write stamps its row
-- with its transaction id (the store sets it on update, this default on insert). Rows written
-- before this migration all get the migration's own transaction, in global-offset order.
ALTER TABLE durable_state ADD COLUMN tx_id xid8 NOT NULL DEFAULT pg_current_xact_id();
CREATE INDEX durable_state_tag_tx_idx ON durable_state (tag, tx_id, global_offset);
-- pekko-persistence-jdbc's own queries are gone; their indexes only cost writes now
DROP INDEX durable_state_tag_offset_idx;
DROP INDEX state_tag_idx;
DROP INDEX state_global_offset_idx;

-- A statement that wrote issues wakes the relays (LISTEN "<schema>.durable_state"). The channel
-- is cut to PostgreSQL's 63 bytes, as ChangeNotifications.channel cuts it.
CREATE OR REPLACE FUNCTION notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify(left(TG_TABLE_SCHEMA || '.' || TG_TABLE_NAME, 63), '');
  RETURN NULL;
END
$$;
CREATE TRIGGER durable_state_changed AFTER INSERT OR UPDATE ON durable_state
  FOR EACH STATEMENT EXECUTE FUNCTION notify_change();

-- How far the relay has published each issue's entries, written in the transaction that stores
-- its offset (the issue itself is never written again for that).
CREATE TABLE outbox_published (
  persistence_id VARCHAR(255) PRIMARY KEY,
  up_to_entry BIGINT NOT NULL
);

-- The relay's offsets were global offsets: it reads the issues once more in the new order. Issues
-- written before this migration hold only their unpublished entries, so only those go out.
DELETE FROM pekko_projection_offset_store WHERE projection_name = 'outbox-relay';
