-- Up Migration

-- One row per `playwright test` invocation.
CREATE TABLE monitor_runs (
  run_id      text PRIMARY KEY,
  trigger     text NOT NULL CHECK (trigger IN ('schedule', 'manual', 'ci')),
  grep        text,
  host        text NOT NULL,
  started_at  timestamptz NOT NULL,
  ended_at    timestamptz,
  status      text NOT NULL CHECK (status IN ('running', 'passed', 'failed', 'timedout', 'interrupted')),
  ci_url      text,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX monitor_runs_started_at_idx ON monitor_runs (started_at);

-- Raw tables are partitioned by UTC day of the attempt's start, so retention drops whole days
-- instead of deleting millions of rows. Child rows carry started_at to share the partitioning.
-- No foreign key to monitor_runs: an outbox replay may bring executions whose run row was lost,
-- and losing the executions would be worse than an orphan.
CREATE TABLE workflow_executions (
  id              bigserial NOT NULL,
  run_id          text NOT NULL,
  test_id         text NOT NULL,
  retry           integer NOT NULL CHECK (retry >= 0),
  workflow_id     text NOT NULL,
  name            text NOT NULL,
  type            text NOT NULL,
  priority        text NOT NULL CHECK (priority IN ('critical', 'high', 'medium', 'low')),
  status          text NOT NULL CHECK (status IN ('passed', 'failed', 'timedOut', 'skipped', 'interrupted')),
  outcome         text NOT NULL CHECK (outcome IN ('expected', 'unexpected', 'flaky', 'skipped')),
  started_at      timestamptz NOT NULL,
  duration_ms     integer NOT NULL CHECK (duration_ms >= 0),
  total_steps     integer NOT NULL DEFAULT 0,
  passed_steps    integer NOT NULL DEFAULT 0,
  failed_steps    integer NOT NULL DEFAULT 0,
  error           text,
  failed_step     text,
  trace_path      text,
  screenshot_path text,
  tags            text[] NOT NULL DEFAULT '{}',
  created_at      timestamptz NOT NULL DEFAULT now(),
  -- A partitioned table's unique key must contain the partition key. started_at is part of the
  -- immutable record, so a replay of the same attempt still collides here.
  PRIMARY KEY (run_id, test_id, retry, started_at)
) PARTITION BY RANGE (started_at);
-- Per-workflow history, stats and roll-ups read only this index (index-only scans).
CREATE INDEX workflow_executions_workflow_idx
  ON workflow_executions (workflow_id, started_at DESC) INCLUDE (id, status, outcome, duration_ms);
-- Cross-workflow windows (last 24 h, recent failures).
CREATE INDEX workflow_executions_started_idx
  ON workflow_executions (started_at) INCLUDE (workflow_id, status, outcome, duration_ms);
-- Few rows carry artifacts; retention looks them up without scanning every attempt.
CREATE INDEX workflow_executions_artifacts_idx
  ON workflow_executions (started_at)
  WHERE trace_path IS NOT NULL OR screenshot_path IS NOT NULL;

-- User steps only (category test.step).
CREATE TABLE workflow_steps (
  execution_id bigint NOT NULL,
  started_at   timestamptz NOT NULL,
  step_index   integer NOT NULL,
  title        text NOT NULL,
  duration_ms  integer NOT NULL,
  error        text,
  PRIMARY KEY (execution_id, step_index, started_at)
) PARTITION BY RANGE (started_at);

CREATE TABLE workflow_metrics (
  execution_id           bigint NOT NULL,
  started_at             timestamptz NOT NULL,
  workflow_id            text NOT NULL,
  run_id                 text NOT NULL,
  total_duration_ms      integer NOT NULL,
  api_response_time_ms   double precision,
  page_load_time_ms      double precision,
  ttfb_ms                double precision,
  dom_content_loaded_ms  double precision,
  lcp_ms                 double precision,
  cls                    double precision,
  memory_usage_mb        double precision,
  cpu_usage              double precision,
  performance_score      double precision,
  raw                    jsonb,
  PRIMARY KEY (execution_id, started_at)
) PARTITION BY RANGE (started_at);

CREATE TABLE system_health_checks (
  execution_id     bigint NOT NULL,
  started_at       timestamptz NOT NULL,
  workflow_id      text NOT NULL,
  run_id           text NOT NULL,
  healthy          boolean NOT NULL,
  status           text NOT NULL,
  response_time_ms integer NOT NULL,
  database_healthy boolean,
  api_healthy      boolean,
  cache_healthy    boolean,
  payload          jsonb,
  PRIMARY KEY (execution_id, started_at)
) PARTITION BY RANGE (started_at);

-- Read model kept by the ingest path: "latest state of every workflow" is one small scan,
-- whatever the history size.
CREATE TABLE workflow_last_executions (
  workflow_id   text PRIMARY KEY,
  execution_id  bigint NOT NULL,
  run_id        text NOT NULL,
  test_id       text NOT NULL,
  retry         integer NOT NULL,
  name          text NOT NULL,
  priority      text NOT NULL,
  status        text NOT NULL,
  outcome       text NOT NULL,
  started_at    timestamptz NOT NULL,
  duration_ms   integer NOT NULL,
  error         text,
  failed_step   text
);

CREATE TABLE notification_logs (
  id           bigserial PRIMARY KEY,
  created_at   timestamptz NOT NULL DEFAULT now(),
  channel      text NOT NULL,
  kind         text NOT NULL,
  priority     text CHECK (priority IN ('critical', 'high', 'medium', 'low')),
  workflow_id  text,
  run_id       text,
  title        text NOT NULL,
  message      text NOT NULL,
  sent         boolean NOT NULL,
  throttled    boolean NOT NULL DEFAULT false,
  error        text,
  status_code  integer,
  attempts     integer NOT NULL DEFAULT 0,
  latency_ms   integer NOT NULL DEFAULT 0
);
-- Throttle counting: sent messages per channel since a moment.
CREATE INDEX notification_logs_channel_created_idx ON notification_logs (channel, created_at);
CREATE INDEX notification_logs_created_idx ON notification_logs (created_at);

-- One row per workflow; the alert policy reads and updates it in one transaction.
CREATE TABLE workflow_states (
  workflow_id          text PRIMARY KEY,
  state                text NOT NULL DEFAULT 'up' CHECK (state IN ('up', 'down', 'degraded')),
  since                timestamptz NOT NULL DEFAULT now(),
  consecutive_failures integer NOT NULL DEFAULT 0,
  consecutive_passes   integer NOT NULL DEFAULT 0,
  last_alert_at        timestamptz,
  last_execution_at    timestamptz,
  details              jsonb NOT NULL DEFAULT '{}',
  updated_at           timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE monitoring_reports (
  id                  bigserial PRIMARY KEY,
  report_id           text NOT NULL UNIQUE,
  kind                text NOT NULL CHECK (kind IN ('hourly', 'daily')),
  created_at          timestamptz NOT NULL DEFAULT now(),
  period_start        timestamptz NOT NULL,
  period_end          timestamptz NOT NULL,
  total_executions    integer NOT NULL,
  passed_executions   integer NOT NULL,
  failed_executions   integer NOT NULL,
  flaky_executions    integer NOT NULL DEFAULT 0,
  success_rate        double precision NOT NULL,
  avg_duration_ms     double precision,
  p95_duration_ms     double precision,
  critical_issues     integer NOT NULL DEFAULT 0,
  success_rate_trend  double precision,
  performance_trend   double precision,
  error_rate_trend    double precision,
  recommendations     jsonb NOT NULL DEFAULT '[]',
  body                jsonb NOT NULL DEFAULT '{}',
  CHECK (period_end >= period_start)
);
CREATE INDEX monitoring_reports_period_idx ON monitoring_reports (period_start);

-- Long-term tier: cheap trends after raw rows are gone. Counts are per attempt.
CREATE TABLE workflow_hourly_aggregates (
  workflow_id      text NOT NULL,
  hour             timestamptz NOT NULL,
  runs             integer NOT NULL,
  passed           integer NOT NULL,
  failed           integer NOT NULL,
  flaky            integer NOT NULL,
  duration_avg_ms  double precision,
  duration_p50_ms  double precision,
  duration_p95_ms  double precision,
  duration_max_ms  integer,
  updated_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workflow_id, hour)
);
CREATE INDEX workflow_hourly_aggregates_hour_idx ON workflow_hourly_aggregates (hour);

-- Creates the daily partitions of every raw table for each UTC day in [p_from, p_to].
-- DDL cannot take bind parameters, so the product code calls this instead of building DDL.
CREATE FUNCTION monitor_ensure_day_partitions(p_from timestamptz, p_to timestamptz)
RETURNS integer LANGUAGE plpgsql AS $fn$
DECLARE
  d date;
  t text;
  part text;
  created integer := 0;
  locked boolean := false;
BEGIN
  IF p_to - p_from > interval '800 days' THEN
    RAISE EXCEPTION 'refusing to create partitions for more than 800 days (% .. %)', p_from, p_to;
  END IF;
  FOR d IN SELECT g::date FROM generate_series((p_from AT TIME ZONE 'UTC')::date,
                                               (p_to AT TIME ZONE 'UTC')::date, interval '1 day') g
  LOOP
    FOREACH t IN ARRAY ARRAY['workflow_executions', 'workflow_steps', 'workflow_metrics', 'system_health_checks']
    LOOP
      part := t || '_p' || to_char(d, 'YYYYMMDD');
      CONTINUE WHEN to_regclass(quote_ident(part)) IS NOT NULL;
      IF NOT locked THEN
        -- Two processes creating the same day would otherwise race in the catalog.
        PERFORM pg_advisory_xact_lock(hashtextextended('workflow-monitor:partitions', 0));
        locked := true;
        CONTINUE WHEN to_regclass(quote_ident(part)) IS NOT NULL;
      END IF;
      BEGIN
        EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES FROM (%L) TO (%L)',
          part, t, d::timestamp AT TIME ZONE 'UTC', (d + 1)::timestamp AT TIME ZONE 'UTC');
        created := created + 1;
      EXCEPTION WHEN duplicate_table THEN
        NULL;
      END;
    END LOOP;
  END LOOP;
  RETURN created;
END
$fn$;

-- Drops every raw partition whose whole day ends at or before p_before; returns the dropped
-- days' row counts so retention can report them.
CREATE FUNCTION monitor_drop_day_partitions(p_before timestamptz)
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
    EXECUTE format('SELECT count(*) FROM %I', r.child_name) INTO n;
    EXECUTE format('DROP TABLE %I', r.child_name);
    table_name := r.parent_name;
    day := r.child_day;
    row_count := n;
    RETURN NEXT;
  END LOOP;
END
$fn$;

SELECT monitor_ensure_day_partitions(now() - interval '1 day', now() + interval '2 days');

-- Down Migration

DROP FUNCTION IF EXISTS monitor_drop_day_partitions(timestamptz);
DROP FUNCTION IF EXISTS monitor_ensure_day_partitions(timestamptz, timestamptz);
DROP TABLE IF EXISTS workflow_hourly_aggregates;
DROP TABLE IF EXISTS monitoring_reports;
DROP TABLE IF EXISTS workflow_states;
DROP TABLE IF EXISTS notification_logs;
DROP TABLE IF EXISTS workflow_last_executions;
DROP TABLE IF EXISTS system_health_checks;
DROP TABLE IF EXISTS workflow_metrics;
DROP TABLE IF EXISTS workflow_steps;
DROP TABLE IF EXISTS workflow_executions;
DROP TABLE IF EXISTS monitor_runs;
