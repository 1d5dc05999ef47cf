-- The outbox relay reads the issues in commit order (CommitOrderedFeed): every write stamps its row
-- with its transaction id (the store sets it on update, this default on insert). Rows written
-- before this migration all get the migration's own transaction, in global-offset order.
ALTER TABLE durable_state ADD COLUMN tx_id xid8 NOT NULL DEFAULT pg_current_xact_id();
CREATE INDEX durable_state_tag_tx_idx ON durable_state (tag, tx_id, global_offset);
-- pekko-persistence-jdbc's own queries are gone; their indexes only cost writes now
DROP INDEX durable_state_tag_offset_idx;
DROP INDEX state_tag_idx;
DROP INDEX state_global_offset_idx;

-- How far the relay has published each issue's entries, written once the broker confirmed them
-- (the issue itself is never written again for that).
CREATE TABLE outbox_published (
  persistence_id VARCHAR(255) PRIMARY KEY,
  up_to_entry BIGINT NOT NULL
);

-- The relay's offsets were global offsets: it reads the issues once more in the new order. Issues
-- written before this migration hold only their unpublished entries, so only those go out.
DELETE FROM pekko_projection_offset_store WHERE projection_name = 'outbox-relay';
