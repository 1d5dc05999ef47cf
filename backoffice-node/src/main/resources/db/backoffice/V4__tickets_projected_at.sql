-- When the projection wrote a ticket's row: end-to-end latency (report accepted -> ticket visible)
-- can be read from the table itself, without asking for each ticket.
ALTER TABLE tickets ADD COLUMN projected_at TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp();
CREATE INDEX tickets_projected_at_idx ON tickets (projected_at);
