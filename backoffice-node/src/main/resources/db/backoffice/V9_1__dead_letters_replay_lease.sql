-- A replay's claim (and the release of a parked command) is a lease: a row in 'replaying' whose
-- lease has run out -- the node died, or the database went away, between the claim and its
-- resolution -- is what it was before again: 'failed' (waits for nothing) or 'parked' (waits for
-- its head). NULL for rows claimed before leases existed: those count as run out.
ALTER TABLE dead_letters ADD COLUMN lease_until TIMESTAMPTZ;
