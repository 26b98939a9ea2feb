-- Up Migration

-- Why a failed attempt failed (reporters/cause.ts, a closed set), the evidence line that decided
-- it, and the evidence the fixture recorded (bounded, secrets-free; failures only).
ALTER TABLE workflow_executions
  ADD COLUMN cause text CHECK (cause IN ('page-crash', 'http-error', 'network', 'element-missing',
    'content-mismatch', 'timeout', 'unhealthy', 'unknown')),
  ADD COLUMN cause_line text,
  ADD COLUMN evidence jsonb;
-- Failures by cause over a window (reports, the dashboard); few rows carry a cause.
CREATE INDEX workflow_executions_cause_idx
  ON workflow_executions (started_at) INCLUDE (workflow_id, cause)
  WHERE cause IS NOT NULL;

-- Down Migration
DROP INDEX IF EXISTS workflow_executions_cause_idx;
ALTER TABLE workflow_executions DROP COLUMN IF EXISTS evidence, DROP COLUMN IF EXISTS cause_line, DROP COLUMN IF EXISTS cause;
