-- What happened to a dead letter: 'failed' (the head of its ticket, replayable), 'parked' (a later
-- command of the same ticket, waiting behind the head so that it is never applied out of order),
-- 'replaying', and the tombstones 'resolved' (replayed successfully) and 'deleted': a row is never
-- removed, so a late record of an earlier failure of the same message cannot bring it back.
ALTER TABLE dead_letters ADD COLUMN status VARCHAR(16) NOT NULL DEFAULT 'failed'
  CHECK (status IN ('failed', 'parked', 'replaying', 'resolved', 'deleted'));
-- the ticket the command is for, when the message was a readable command
ALTER TABLE dead_letters ADD COLUMN ticket_id UUID;
-- a parked message waits for this message (its ticket's head)
ALTER TABLE dead_letters ADD COLUMN waits_for VARCHAR(255);
-- the size of the body as it arrived (a body larger than the inbox takes is kept cut short)
ALTER TABLE dead_letters ADD COLUMN body_size INT;
UPDATE dead_letters SET body_size = octet_length(body);
ALTER TABLE dead_letters ALTER COLUMN body_size SET NOT NULL;
CREATE INDEX dead_letters_open_by_ticket_idx ON dead_letters (ticket_id, id)
  WHERE status IN ('failed', 'parked', 'replaying');
