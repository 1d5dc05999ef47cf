-- Ticket events (queue customer_service) the Customer Service cannot record as they are: an
-- unknown type, a malformed body, an issue it does not know, one larger than it takes, or an event
-- held back behind an earlier dead letter of the same issue. Kept for an operator to list, replay
-- (a row is deleted once its replay is recorded) or delete: GET/POST/DELETE /admin/dead-letters.
CREATE TABLE event_dead_letters (
  id BIGSERIAL PRIMARY KEY,
  -- the AMQP message-id (<ticketId>:<sequence>), or a digest of type and body when it had none
  message_id VARCHAR(255) NOT NULL UNIQUE,
  type VARCHAR(255),
  -- the issue the event is about, when its body names one
  issue_id UUID,
  -- byte for byte; only the start of a body larger than the inbox takes (body_size: its size)
  body BYTEA NOT NULL,
  body_size INT NOT NULL,
  headers JSONB NOT NULL,
  -- why it was kept (the first failure)
  reason TEXT NOT NULL,
  -- each failed replay, oldest first: [{"at": ..., "reason": ...}]
  replay_failures JSONB NOT NULL DEFAULT '[]',
  first_failed_at TIMESTAMPTZ NOT NULL,
  last_failed_at TIMESTAMPTZ NOT NULL,
  -- deliveries that failed (a redelivery of the same message counts again)
  attempts INT NOT NULL
);
-- an issue's dead letters in arrival order: the later events of an issue wait behind its first
CREATE INDEX event_dead_letters_issue_idx ON event_dead_letters (issue_id, id)
  WHERE issue_id IS NOT NULL;
