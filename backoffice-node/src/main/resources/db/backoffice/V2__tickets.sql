-- The read model the tickets projection maintains (one row per ticket).
CREATE TABLE tickets (
  ticket_id UUID PRIMARY KEY,
  ticket_type VARCHAR(100) NOT NULL,
  description TEXT NOT NULL,
  status VARCHAR(16) NOT NULL CHECK (status IN ('awaiting', 'assigned', 'cancelled')),
  assignee VARCHAR(200),
  prepared_at TIMESTAMPTZ NOT NULL,
  updated_at TIMESTAMPTZ NOT NULL
);
-- "the last prepared tickets", all of them or those in one status
CREATE INDEX tickets_prepared_at_idx ON tickets (prepared_at DESC, ticket_id);
CREATE INDEX tickets_status_prepared_at_idx ON tickets (status, prepared_at DESC, ticket_id);
