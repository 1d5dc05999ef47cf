-- The tickets projection reads the journal by tag in commit order (CommitOrderedFeed): every tag
-- row carries the transaction that wrote it and its event. Rows written before this migration all
-- get the migration's own transaction, in ordering order.
ALTER TABLE event_tag ADD COLUMN tx_id xid8 NOT NULL DEFAULT pg_current_xact_id();
CREATE INDEX event_tag_tag_tx_idx ON event_tag (tag, tx_id, event_id);

-- The projection's offset N (an ordering) becomes (this migration's transaction, N): every event
-- up to N was projected, and every event so far now carries this transaction.
UPDATE pekko_projection_offset_store
   SET current_offset = pg_current_xact_id()::text || ':' || current_offset, manifest = 'STR'
 WHERE projection_name = 'tickets' AND manifest = 'SEQ';
