-- Up Migration

-- The newest attempt id the cached window figures include. A reader recomputes when an attempt
-- was stored since (the id sequence moved on), so every window includes the latest executions.
ALTER TABLE workflow_window_stats ADD COLUMN through_execution_id bigint;

-- Down Migration
ALTER TABLE workflow_window_stats DROP COLUMN IF EXISTS through_execution_id;
