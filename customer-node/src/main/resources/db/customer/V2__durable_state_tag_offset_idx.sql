-- The relay and the sweep read the issues of one tag in global-offset order.
CREATE INDEX durable_state_tag_offset_idx ON durable_state (tag, global_offset);
