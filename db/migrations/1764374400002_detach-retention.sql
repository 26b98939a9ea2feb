-- Up Migration

-- Retention in two steps: detach the old days (a catalog change, so the live tables are locked
-- for milliseconds), then drop the detached tables, whose file removal can take a while on some
-- disks but no longer blocks ingestion or the dashboard. Detached tables are renamed *_retired
-- so a late row for that day can still get a fresh partition, and a cleanup that died between
-- the steps leaves something the next one finds.
CREATE FUNCTION monitor_detach_day_partitions(p_before timestamptz)
RETURNS TABLE (table_name text, day date, row_count bigint, retired_name text) LANGUAGE plpgsql AS $fn$
DECLARE
  r record;
  n bigint;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtextextended('workflow-monitor:partitions', 0));
  FOR r IN
    SELECT parent.relname AS parent_name, child.relname AS child_name, child.reltuples AS estimate,
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
    -- Counting a day of steps would cost more than dropping it: the planner's count once the
    -- partition has been analysed, an exact count only for small never-analysed ones.
    n := r.estimate::bigint;
    IF n < 0 THEN
      EXECUTE format('SELECT count(*) FROM %I', r.child_name) INTO n;
    END IF;
    EXECUTE format('ALTER TABLE %I DETACH PARTITION %I', r.parent_name, r.child_name);
    EXECUTE format('ALTER TABLE %I RENAME TO %I', r.child_name, r.child_name || '_retired');
    table_name := r.parent_name;
    day := r.child_day;
    row_count := n;
    retired_name := r.child_name || '_retired';
    RETURN NEXT;
  END LOOP;
END
$fn$;

-- Down Migration

DROP FUNCTION IF EXISTS monitor_detach_day_partitions(timestamptz);
