-- Up Migration

-- The dashboard overview's read model, fresh on every request (dashboard/queries.ts).
-- workflow_overview_changes counts the attempts stored per workflow: a statement trigger adds a
-- batch's count in the inserting transaction, so a reader sees the counter and the rows it counts
-- together (a later-committing lower id cannot slip past, as it could past a sequence value).
CREATE TABLE workflow_overview_changes (
  workflow_id text PRIMARY KEY,
  stored      bigint NOT NULL
);

CREATE FUNCTION workflow_overview_count_stored() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  -- Ordered by workflow_id, as the ingest statement locks workflow_last_executions: concurrent
  -- batches take these row locks in the same order.
  INSERT INTO workflow_overview_changes AS c (workflow_id, stored)
  SELECT workflow_id, count(*) FROM stored_rows GROUP BY workflow_id ORDER BY workflow_id
  ON CONFLICT (workflow_id) DO UPDATE SET stored = c.stored + EXCLUDED.stored;
  RETURN NULL;
END
$fn$;

CREATE TRIGGER workflow_overview_count_stored AFTER INSERT ON workflow_executions
  REFERENCING NEW TABLE AS stored_rows FOR EACH STATEMENT EXECUTE FUNCTION workflow_overview_count_stored();

-- One row per workflow: its 24 h and 7 d figures (runs by final attempt, exact p95) and its last
-- 50 attempts within 7 days, computed from raw rows when its counter moved (`stored` differs) or
-- when an attempt it counts leaves a window (`expires_at`). Every other workflow's row is read
-- as it is: a request recomputes what changed, not the whole history.
CREATE TABLE workflow_overview (
  workflow_id    text PRIMARY KEY,
  stored         bigint NOT NULL,
  computed_at    timestamptz NOT NULL,
  expires_at     timestamptz,
  runs_24h       integer NOT NULL,
  passed_24h     integer NOT NULL,
  flaky_24h      integer NOT NULL,
  p95_ms_24h     double precision,
  runs_7d        integer NOT NULL,
  passed_7d      integer NOT NULL,
  -- [[id, started_at epoch ms, duration ms, status], ...], oldest first.
  beats          jsonb NOT NULL DEFAULT '[]'
);

-- The few retries, with what the read model needs to find the attempts they supersede (by the
-- primary key), so a workflow's 7 days are read from workflow_executions_workflow_idx alone.
CREATE INDEX workflow_executions_retries_idx ON workflow_executions (workflow_id, started_at)
  INCLUDE (id, run_id, test_id, retry, status) WHERE retry > 0;

-- Workflows with history before this migration are computed on the first read.
INSERT INTO workflow_overview_changes (workflow_id, stored)
SELECT workflow_id, 1 FROM workflow_last_executions ON CONFLICT DO NOTHING;

-- Down Migration
DROP INDEX IF EXISTS workflow_executions_retries_idx;
DROP TRIGGER IF EXISTS workflow_overview_count_stored ON workflow_executions;
DROP FUNCTION IF EXISTS workflow_overview_count_stored();
DROP TABLE IF EXISTS workflow_overview;
DROP TABLE IF EXISTS workflow_overview_changes;
