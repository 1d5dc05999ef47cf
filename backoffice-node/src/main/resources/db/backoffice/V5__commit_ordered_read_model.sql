-- The tickets projection reads the journal by tag in commit order (CommitOrderedFeed): every tag
-- row carries the transaction that wrote it and its event. Rows written before this migration all
-- get the migration's own transaction, in ordering order.
ALTER TABLE event_tag ADD COLUMN tx_id xid8 NOT NULL DEFAULT pg_current_xact_id();
CREATE INDEX event_tag_tag_tx_idx ON event_tag (tag, tx_id, event_id);

-- A statement that wrote events wakes the projections (LISTEN "<schema>.event_tag"), the channel
-- cut to PostgreSQL's 63 bytes as ChangeNotifications.channel cuts it.
CREATE OR REPLACE FUNCTION notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify(left(TG_TABLE_SCHEMA || '.' || TG_TABLE_NAME, 63), '');
  RETURN NULL;
END
$$;
CREATE TRIGGER event_tag_changed AFTER INSERT ON event_tag
  FOR EACH STATEMENT EXECUTE FUNCTION notify_change();

-- The projection's offset N (an ordering) becomes (this migration's transaction, N): every event
-- up to N was projected, and every event so far now carries this transaction.
UPDATE pekko_projection_offset_store
   SET current_offset = pg_current_xact_id()::text || ':' || current_offset, manifest = 'STR'
 WHERE projection_name = 'tickets' AND manifest = 'SEQ';
