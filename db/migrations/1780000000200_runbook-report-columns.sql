-- Up Migration

-- The runbook's "Query database directly" SQL runs unchanged:
--   SELECT timestamp, success_rate, total_workflows, failed_workflows FROM monitoring_reports
--   ORDER BY timestamp DESC LIMIT 20;
-- Its names are generated from ours, so they can never disagree: timestamp is the end of the
-- report's period, total_workflows and failed_workflows count executions (attempts), and
-- success_rate stays our share, 0..1.
ALTER TABLE monitoring_reports
  ADD COLUMN "timestamp" timestamptz GENERATED ALWAYS AS (period_end) STORED,
  ADD COLUMN total_workflows integer GENERATED ALWAYS AS (total_executions) STORED,
  ADD COLUMN failed_workflows integer GENERATED ALWAYS AS (failed_executions) STORED;
CREATE INDEX monitoring_reports_timestamp_idx ON monitoring_reports ("timestamp" DESC);

-- Down Migration
DROP INDEX IF EXISTS monitoring_reports_timestamp_idx;
ALTER TABLE monitoring_reports DROP COLUMN IF EXISTS "timestamp", DROP COLUMN IF EXISTS total_workflows, DROP COLUMN IF EXISTS failed_workflows;
