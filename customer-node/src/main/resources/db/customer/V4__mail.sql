-- The mailer (issue notifications by SMTP): how far it got through each issue's outbox entries,
-- recorded after each mail the server accepted, so that a mail is sent once when a server that was
-- down comes back (a try whose outcome was unknown may repeat it, with the same Message-ID).
CREATE TABLE mail_progress (
  persistence_id VARCHAR(255) PRIMARY KEY,
  up_to_entry BIGINT NOT NULL
);

-- Mails the server refused for good (5xx), for an operator to see (GET /admin/mail/failures).
CREATE TABLE mail_failures (
  issue_id UUID NOT NULL,
  entry_number BIGINT NOT NULL,
  recipient VARCHAR(320) NOT NULL,
  code INT NOT NULL,
  reason VARCHAR(1000) NOT NULL,
  failed_at TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (issue_id, entry_number)
);
CREATE INDEX mail_failures_failed_at_idx ON mail_failures (failed_at DESC);
