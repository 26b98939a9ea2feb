-- Up Migration

-- Issue 16, locations. Every row a run writes records where it ran (MONITOR_LOCATION of the
-- process; `local` for every row written before, and by a process that names none).
ALTER TABLE monitor_runs ADD COLUMN location text NOT NULL DEFAULT 'local';
-- Partitioned: the column reaches every partition, and the partitions made later.
ALTER TABLE workflow_executions ADD COLUMN location text NOT NULL DEFAULT 'local';
ALTER TABLE workflow_steps ADD COLUMN location text NOT NULL DEFAULT 'local';
ALTER TABLE workflow_metrics ADD COLUMN location text NOT NULL DEFAULT 'local';
ALTER TABLE system_health_checks ADD COLUMN location text NOT NULL DEFAULT 'local';
ALTER TABLE notification_logs ADD COLUMN location text NOT NULL DEFAULT 'local';
ALTER TABLE alert_observations ADD COLUMN location text NOT NULL DEFAULT 'local';

-- One slot of a workflow runs once per location: the claim's key gains the location.
ALTER TABLE scheduler_slot_runs ADD COLUMN location text NOT NULL DEFAULT 'local';
ALTER TABLE scheduler_slot_runs DROP CONSTRAINT scheduler_slot_runs_pkey;
ALTER TABLE scheduler_slot_runs ADD PRIMARY KEY (workflow_id, slot_at, location);

-- Each daemon's row (capacity, deleted when it stops cleanly) says where it is and what it runs.
ALTER TABLE scheduler_daemons ADD COLUMN location text NOT NULL DEFAULT 'local', ADD COLUMN version text;
CREATE INDEX scheduler_daemons_location ON scheduler_daemons (location, seen_at);

-- The runner registry: one row per location ever seen, kept when its daemons stop (a stopped
-- location is one that alerts). `seen_at`: the last heartbeat of any of its daemons;
-- `interval_ms`: the shortest schedule interval of its workflows, as its last daemon saw it (it
-- is offline when silent for two of them); `offline`: the episode flag, flipped in one statement
-- so that one daemon sends the "runner offline" alert, and one its recovery.
CREATE TABLE monitor_locations (
  location      text PRIMARY KEY,
  first_seen_at timestamptz NOT NULL DEFAULT now(),
  seen_at       timestamptz NOT NULL DEFAULT now(),
  host          text,
  version       text,
  interval_ms   bigint,
  offline       boolean NOT NULL DEFAULT false,
  offline_since timestamptz
);

-- Down Migration
DROP TABLE IF EXISTS monitor_locations;
DROP INDEX IF EXISTS scheduler_daemons_location;
ALTER TABLE scheduler_daemons DROP COLUMN IF EXISTS version, DROP COLUMN IF EXISTS location;
DELETE FROM scheduler_slot_runs a USING scheduler_slot_runs b
  WHERE a.workflow_id = b.workflow_id AND a.slot_at = b.slot_at AND a.location > b.location;
ALTER TABLE scheduler_slot_runs DROP CONSTRAINT scheduler_slot_runs_pkey;
ALTER TABLE scheduler_slot_runs ADD PRIMARY KEY (workflow_id, slot_at);
ALTER TABLE scheduler_slot_runs DROP COLUMN IF EXISTS location;
ALTER TABLE alert_observations DROP COLUMN IF EXISTS location;
ALTER TABLE notification_logs DROP COLUMN IF EXISTS location;
ALTER TABLE system_health_checks DROP COLUMN IF EXISTS location;
ALTER TABLE workflow_metrics DROP COLUMN IF EXISTS location;
ALTER TABLE workflow_steps DROP COLUMN IF EXISTS location;
ALTER TABLE workflow_executions DROP COLUMN IF EXISTS location;
ALTER TABLE monitor_runs DROP COLUMN IF EXISTS location;
