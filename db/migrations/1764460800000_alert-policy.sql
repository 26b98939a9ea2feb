-- Up Migration

-- The alert policy's bookkeeping on each workflow's row (db/alert-state.ts). `state` keeps its
-- three values so every existing reader stays valid: FLAPPING is `flapping_since IS NOT NULL`,
-- with `state` holding the underlying up/down meanwhile.
ALTER TABLE workflow_states
  ADD COLUMN workflow_name    text,
  ADD COLUMN workflow_type    text,
  ADD COLUMN priority         text CHECK (priority IN ('critical', 'high', 'medium', 'low')),
  ADD COLUMN tags             text[] NOT NULL DEFAULT '{}',
  -- Outage number: the outage's failure, reminders and recovery are keyed by it.
  ADD COLUMN episode          integer NOT NULL DEFAULT 0,
  ADD COLUMN down_since       timestamptz,
  ADD COLUMN last_reminder_at timestamptz,
  -- Channels that got the outage's first alert: reminders go to the same places.
  ADD COLUMN alert_channels   text[] NOT NULL DEFAULT '{}',
  -- An alert a maintenance window swallowed, owed when the window ends.
  ADD COLUMN muted_alert      text CHECK (muted_alert IN ('failure', 'recovery')),
  ADD COLUMN flapping_since   timestamptz,
  -- While flapping: the underlying state's last change. Otherwise: when it last stopped flapping
  -- (older changes no longer count towards flapping again).
  ADD COLUMN stable_since     timestamptz,
  ADD COLUMN flap_episode     integer NOT NULL DEFAULT 0,
  ADD COLUMN flaky_since      timestamptz,
  ADD COLUMN flaky_episode    integer NOT NULL DEFAULT 0,
  ADD COLUMN last_error       text,
  ADD COLUMN last_run_id      text;

-- The final outcome of each (run, test), in the order the policy applied them: the history the
-- rules read. Not workflow_executions, whose failed attempts may still be followed by a passing
-- retry. The unique key makes applying the same attempt twice a no-op.
CREATE TABLE alert_observations (
  seq          bigserial PRIMARY KEY,
  workflow_id  text NOT NULL,
  run_id       text NOT NULL,
  test_id      text NOT NULL,
  event        text NOT NULL CHECK (event IN ('passed', 'failed', 'flaky-pass')),
  at           timestamptz NOT NULL,
  error        text,
  UNIQUE (workflow_id, run_id, test_id)
);
CREATE INDEX alert_observations_workflow_idx ON alert_observations (workflow_id, seq DESC);
-- "Did anything in this run pass?": the target-unreachable rule.
CREATE INDEX alert_observations_run_idx ON alert_observations (run_id);

-- UP/DOWN changes, for flapping detection.
CREATE TABLE alert_state_changes (
  id           bigserial PRIMARY KEY,
  workflow_id  text NOT NULL,
  at           timestamptz NOT NULL,
  from_state   text NOT NULL,
  to_state     text NOT NULL
);
CREATE INDEX alert_state_changes_workflow_idx ON alert_state_changes (workflow_id, at DESC);

-- Every alert the policy decided, once: the unique key turns a second process deciding the same
-- transition into a no-op. DOWN alerts wait here ('held') for others of the same run or minute,
-- then leave together, folded into digests where a storm calls for it.
CREATE TABLE alert_events (
  id           bigserial PRIMARY KEY,
  -- '*' for alerts about several workflows (digests, target unreachable).
  workflow_id  text NOT NULL,
  kind         text NOT NULL,
  dedupe_key   text NOT NULL,
  run_id       text,
  status       text NOT NULL CHECK (status IN ('held', 'released', 'folded')),
  channels     text[] NOT NULL DEFAULT '{}',
  payload      jsonb NOT NULL,
  decided_at   timestamptz NOT NULL,
  release_at   timestamptz,
  released_at  timestamptz,
  UNIQUE (workflow_id, kind, dedupe_key)
);
CREATE INDEX alert_events_held_idx ON alert_events (release_at) WHERE status = 'held';
CREATE INDEX alert_events_decided_idx ON alert_events (decided_at);

-- One row per throttle decision. Counted under a per-channel advisory lock, so two processes
-- cannot both take the 10th slot of an hour; notification_logs is written after sending and
-- would let them.
CREATE TABLE alert_throttle_slots (
  id           bigserial PRIMARY KEY,
  channel      text NOT NULL,
  claimed_at   timestamptz NOT NULL,
  granted      boolean NOT NULL,
  kind         text,
  workflow_id  text
);
CREATE INDEX alert_throttle_slots_channel_idx ON alert_throttle_slots (channel, claimed_at) WHERE granted;
CREATE INDEX alert_throttle_slots_claimed_idx ON alert_throttle_slots (claimed_at);

-- Down Migration

DROP TABLE IF EXISTS alert_throttle_slots;
DROP TABLE IF EXISTS alert_events;
DROP TABLE IF EXISTS alert_state_changes;
DROP TABLE IF EXISTS alert_observations;
ALTER TABLE workflow_states
  DROP COLUMN IF EXISTS workflow_name,
  DROP COLUMN IF EXISTS workflow_type,
  DROP COLUMN IF EXISTS priority,
  DROP COLUMN IF EXISTS tags,
  DROP COLUMN IF EXISTS episode,
  DROP COLUMN IF EXISTS down_since,
  DROP COLUMN IF EXISTS last_reminder_at,
  DROP COLUMN IF EXISTS alert_channels,
  DROP COLUMN IF EXISTS muted_alert,
  DROP COLUMN IF EXISTS flapping_since,
  DROP COLUMN IF EXISTS stable_since,
  DROP COLUMN IF EXISTS flap_episode,
  DROP COLUMN IF EXISTS flaky_since,
  DROP COLUMN IF EXISTS flaky_episode,
  DROP COLUMN IF EXISTS last_error,
  DROP COLUMN IF EXISTS last_run_id;
