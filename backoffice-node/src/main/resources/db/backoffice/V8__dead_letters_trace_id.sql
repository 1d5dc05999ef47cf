-- the W3C trace id (32 hex digits) of the message that failed, or was parked: the trace of its
-- consume in the backoffice, which continues the customer's request when the message carried its
-- traceparent; NULL for messages kept before it was stored, or with no trace context at all
ALTER TABLE dead_letters ADD COLUMN trace_id VARCHAR(32);
