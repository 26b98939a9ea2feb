-- Up Migration

-- Cached per-workflow statistics over a sliding window (24 h for the dashboard): exact figures
-- from raw attempts, recomputed when older than the reader accepts, so the dashboard reads
-- 1,000 rows instead of aggregating a day of attempts on every request.
CREATE TABLE workflow_window_stats (
  window_hours     integer NOT NULL CHECK (window_hours > 0),
  workflow_id      text NOT NULL,
  computed_at      timestamptz NOT NULL,
  window_start     timestamptz NOT NULL,
  window_end       timestamptz NOT NULL,
  runs             integer NOT NULL,
  passed           integer NOT NULL,
  failed           integer NOT NULL,
  flaky            integer NOT NULL,
  success_rate     double precision,
  avg_duration_ms  double precision,
  p95_duration_ms  double precision,
  PRIMARY KEY (window_hours, workflow_id)
);

-- Every ingest batch updates these rows in place; free room in each page keeps the updates HOT
-- and the table a few pages long instead of bloating between vacuums.
ALTER TABLE workflow_last_executions SET (fillfactor = 30);

-- Row counts of a dropped day: counting a day of steps costs more than dropping it, so use the
-- planner's count once the partition has been analysed and count only never-analysed ones.
CREATE OR REPLACE FUNCTION monitor_drop_day_partitions(p_before timestamptz)
RETURNS TABLE (table_name text, day date, row_count bigint) LANGUAGE plpgsql AS $fn$
DECLARE
  r record;
  n bigint;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtextextended('workflow-monitor:partitions', 0));
  FOR r IN
    SELECT parent.relname AS parent_name, child.relname AS child_name,
           to_date(right(child.relname, 8), 'YYYYMMDD') AS child_day
    FROM pg_inherits i
    JOIN pg_class child ON child.oid = i.inhrelid
    JOIN pg_class parent ON parent.oid = i.inhparent
    JOIN pg_namespace ns ON ns.oid = parent.relnamespace AND ns.nspname = current_schema()
    WHERE parent.relname IN ('workflow_executions', 'workflow_steps', 'workflow_metrics', 'system_health_checks')
      AND child.relname ~ '_p[0-9]{8}$'
      AND child.relkind = 'r'
    ORDER BY child.relname
  LOOP
    CONTINUE WHEN ((r.child_day + 1)::timestamp AT TIME ZONE 'UTC') > p_before;
    -- Counting a day of steps would cost more than dropping it: use the planner's row count
    -- once the partition has been analysed, count only small never-analysed ones.
    SELECT c.reltuples::bigint INTO n FROM pg_class c WHERE c.relname = r.child_name
      AND c.relnamespace = current_schema()::regnamespace;
    IF n IS NULL OR n < 0 THEN
      EXECUTE format('SELECT count(*) FROM %I', r.child_name) INTO n;
    END IF;
    EXECUTE format('DROP TABLE %I', r.child_name);
    table_name := r.parent_name;
    day := r.child_day;
    row_count := n;
    RETURN NEXT;
  END LOOP;
END
$fn$;

-- Down Migration

DROP TABLE IF EXISTS workflow_window_stats;
ALTER TABLE workflow_last_executions RESET (fillfactor);
