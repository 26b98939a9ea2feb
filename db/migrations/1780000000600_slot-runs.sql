-- Up Migration

-- One row per (workflow, slot) the daemon ran or refused to run: the run that holds the slot,
-- so a slot whose execution exists (stored, or spooled in the outbox) is never run again, and a
-- slot that comes back after its successor started is recorded as missed instead of run out of
-- order. host and pid tell a restarted daemon which slots its dead predecessor left running.
CREATE TABLE scheduler_slot_runs (
  workflow_id text NOT NULL,
  slot_at     timestamptz NOT NULL,
  run_id      text,
  status      text NOT NULL CHECK (status IN ('started', 'done', 'missed')),
  job_id      text,
  host        text,
  pid         integer,
  -- The run's own process (its run guard): it may outlive a SIGKILLed daemon for a while.
  run_pid     integer,
  updated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workflow_id, slot_at)
);
CREATE INDEX scheduler_slot_runs_started ON scheduler_slot_runs (host, status) WHERE status = 'started';
CREATE INDEX scheduler_slot_runs_updated_at ON scheduler_slot_runs (updated_at);

-- Down Migration
DROP TABLE IF EXISTS scheduler_slot_runs;
