-- Up Migration

-- Issue 14 item 5: a missed slot says why (`reason`), and a claim is a lease (`lease_until`,
-- renewed by the daemon whose run holds the slot): a claim whose lease ran out belongs to a dead
-- daemon, on any host, and any daemon takes it over.
ALTER TABLE scheduler_slot_runs ADD COLUMN reason text, ADD COLUMN lease_until timestamptz;
CREATE INDEX scheduler_slot_runs_lease ON scheduler_slot_runs (lease_until) WHERE status = 'started';
CREATE INDEX scheduler_slot_runs_missed ON scheduler_slot_runs (updated_at) WHERE status = 'missed';

-- Down Migration
DROP INDEX IF EXISTS scheduler_slot_runs_missed;
DROP INDEX IF EXISTS scheduler_slot_runs_lease;
ALTER TABLE scheduler_slot_runs DROP COLUMN IF EXISTS lease_until, DROP COLUMN IF EXISTS reason;
