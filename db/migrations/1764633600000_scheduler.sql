-- Up Migration

-- One row per alert the daemon raised about itself (a pipeline failure, a missed run), keyed by
-- what makes the episode unique. Several daemons share the database; whichever inserts the key
-- first sends the alert, the others see the conflict and stay quiet.
CREATE TABLE scheduler_alert_marks (
  mark_key   text PRIMARY KEY,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX scheduler_alert_marks_created_at ON scheduler_alert_marks (created_at);

-- Down Migration
DROP TABLE IF EXISTS scheduler_alert_marks;
