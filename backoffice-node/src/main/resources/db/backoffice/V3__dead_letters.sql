-- Messages that can never succeed as they are: kept for an operator to read, replay or delete.
CREATE TABLE dead_letters (
  id BIGSERIAL PRIMARY KEY,
  -- the AMQP message-id, or a digest of type and body when the message had none
  message_id VARCHAR(255) NOT NULL UNIQUE,
  type VARCHAR(255),
  body BYTEA NOT NULL,
  headers JSONB NOT NULL,
  error TEXT NOT NULL,
  first_failed_at TIMESTAMPTZ NOT NULL,
  last_failed_at TIMESTAMPTZ NOT NULL,
  attempts INT NOT NULL
);
