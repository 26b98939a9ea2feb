// The baseline: the same data in plain tables without partitions, with the indexes a competent
// first version would have (the attempt's key, per workflow by time, by time, children by their
// attempt and by time), written one row per INSERT and queried straight from raw rows; and its
// caches, materialized views refreshed by whoever reads them stale, to compare with ours.
import { sql, type DatabasePool } from 'slonik';
import { z } from 'zod';
import type { ExecutionRecord } from '../../core/records.ts';

const any = z.object({}).passthrough();

export async function createNaiveTables(pool: DatabasePool): Promise<void> {
  await pool.query(sql.unsafe`CREATE TABLE naive_executions AS SELECT * FROM workflow_executions WITH NO DATA`);
  await pool.query(sql.unsafe`CREATE TABLE naive_steps AS SELECT * FROM workflow_steps WITH NO DATA`);
  await pool.query(sql.unsafe`CREATE TABLE naive_metrics AS SELECT * FROM workflow_metrics WITH NO DATA`);
  await pool.query(sql.unsafe`CREATE TABLE naive_health AS SELECT * FROM system_health_checks WITH NO DATA`);
  await pool.query(sql.unsafe`ALTER TABLE naive_executions ADD PRIMARY KEY (run_id, test_id, retry, started_at)`);
  await pool.query(sql.unsafe`CREATE INDEX ON naive_executions (workflow_id, started_at DESC)`);
  await pool.query(sql.unsafe`CREATE INDEX ON naive_executions (started_at)`);
  for (const table of ['naive_steps', 'naive_metrics', 'naive_health']) {
    await pool.query(sql.unsafe`CREATE INDEX ON ${sql.identifier([table])} (execution_id)`);
    await pool.query(sql.unsafe`CREATE INDEX ON ${sql.identifier([table])} (started_at)`);
  }
}

/** The naive version's caches: the 24 h window and the daily trend as materialized views. */
export async function createNaiveCaches(pool: DatabasePool, since24h: Date): Promise<void> {
  await pool.query(sql.unsafe`CREATE MATERIALIZED VIEW naive_window_24h AS
    SELECT workflow_id, count(*) AS runs, (count(*) FILTER (WHERE status = 'passed'))::float8 / count(*) AS success_rate,
      percentile_cont(0.95) WITHIN GROUP (ORDER BY duration_ms) AS p95
    FROM naive_executions WHERE started_at >= ${sql.literalValue(since24h.toISOString())}::timestamptz AND status <> 'skipped'
    GROUP BY workflow_id`);
  await pool.query(sql.unsafe`CREATE MATERIALIZED VIEW naive_daily AS
    SELECT workflow_id, date_trunc('day', started_at, 'UTC') AS day, count(*) AS runs,
      (count(*) FILTER (WHERE status = 'passed'))::float8 / count(*) AS success_rate, avg(duration_ms) AS avg_ms,
      percentile_cont(0.95) WITHIN GROUP (ORDER BY duration_ms) AS p95, max(duration_ms) AS max_ms
    FROM naive_executions WHERE status <> 'skipped' GROUP BY 1, 2`);
  await pool.query(sql.unsafe`CREATE INDEX ON naive_daily (workflow_id, day)`);
  await pool.query(sql.unsafe`ANALYZE naive_window_24h, naive_daily`);
}

/** Copies what the batch path stored (not timed: the baseline ingest is measured on a sample). */
export async function copyIntoNaive(pool: DatabasePool): Promise<void> {
  await pool.query(sql.unsafe`INSERT INTO naive_executions SELECT * FROM workflow_executions`);
  await pool.query(sql.unsafe`INSERT INTO naive_steps SELECT * FROM workflow_steps`);
  await pool.query(sql.unsafe`INSERT INTO naive_metrics SELECT * FROM workflow_metrics`);
  await pool.query(sql.unsafe`INSERT INTO naive_health SELECT * FROM system_health_checks`);
  await pool.query(sql.unsafe`VACUUM ANALYZE naive_executions, naive_steps, naive_metrics, naive_health`);
}

/** One INSERT per row into scratch copies of the naive tables; returns rows written. */
export async function naiveIngest(pool: DatabasePool, records: readonly ExecutionRecord[]): Promise<number> {
  // With the naive tables' indexes: each INSERT pays for them, as ours pays for its own.
  await pool.query(
    sql.unsafe`CREATE TABLE IF NOT EXISTS naive_ingest_executions (LIKE naive_executions INCLUDING ALL)`,
  );
  await pool.query(sql.unsafe`CREATE TABLE IF NOT EXISTS naive_ingest_steps (LIKE naive_steps INCLUDING ALL)`);
  await pool.query(sql.unsafe`CREATE TABLE IF NOT EXISTS naive_ingest_metrics (LIKE naive_metrics INCLUDING ALL)`);
  let rows = 0;
  let id = 0;
  for (const r of records) {
    id++;
    const at = r.startedAt.toISOString();
    await pool.query(sql.unsafe`
      INSERT INTO naive_ingest_executions (id, run_id, test_id, retry, workflow_id, name, type, priority, status, outcome,
        started_at, duration_ms, total_steps, passed_steps, failed_steps, error, failed_step, trace_path, screenshot_path, tags)
      VALUES (${id}, ${r.runId}, ${r.testId}, ${r.retry}, ${r.workflowId}, ${r.name}, ${r.type}, ${r.priority}, ${r.status},
        ${r.outcome}, ${at}, ${r.durationMs}, ${r.totalSteps}, ${r.passedSteps}, ${r.failedSteps}, ${r.error}, ${r.failedStep},
        ${r.tracePath}, ${r.screenshotPath}, ${sql.array(r.tags, 'text')})`);
    rows++;
    for (const s of r.steps) {
      await pool.query(sql.unsafe`INSERT INTO naive_ingest_steps (execution_id, started_at, step_index, title, duration_ms, error)
        VALUES (${id}, ${at}, ${s.index}, ${s.title}, ${s.durationMs}, ${s.error})`);
      rows++;
    }
    if (r.metrics) {
      const m = r.metrics;
      await pool.query(sql.unsafe`INSERT INTO naive_ingest_metrics (execution_id, started_at, workflow_id, run_id, total_duration_ms,
        api_response_time_ms, page_load_time_ms, ttfb_ms, lcp_ms, cls, memory_usage_mb, performance_score, raw)
        VALUES (${id}, ${at}, ${r.workflowId}, ${r.runId}, ${m.totalDurationMs}, ${m.apiResponseTimeMs}, ${m.pageLoadTimeMs},
          ${m.ttfbMs}, ${m.lcpMs}, ${m.cls}, ${m.memoryUsageMb}, ${m.performanceScore}, ${JSON.stringify(m.raw)})`);
      rows++;
    }
  }
  return rows;
}

export const naiveQueries = {
  latest: (pool: DatabasePool) =>
    pool.any(sql.type(any)`
    SELECT DISTINCT ON (workflow_id) workflow_id, id, run_id, status, outcome, started_at, duration_ms, error
    FROM naive_executions WHERE status <> 'skipped' ORDER BY workflow_id, started_at DESC`),
  window24h: (pool: DatabasePool, since: Date) =>
    pool.any(sql.type(any)`
    SELECT workflow_id, count(*) AS runs, (count(*) FILTER (WHERE status = 'passed'))::float8 / count(*) AS success_rate,
      percentile_cont(0.95) WITHIN GROUP (ORDER BY duration_ms) AS p95
    FROM naive_executions WHERE started_at >= ${since.toISOString()}::timestamptz AND status <> 'skipped'
    GROUP BY workflow_id ORDER BY workflow_id`),
  cachedWindow24h: (pool: DatabasePool) => pool.any(sql.type(any)`SELECT * FROM naive_window_24h ORDER BY workflow_id`),
  cachedDailyTrend: (pool: DatabasePool, workflowId: string, since: Date) =>
    pool.any(sql.type(any)`
    SELECT * FROM naive_daily WHERE workflow_id = ${workflowId} AND day >= ${since.toISOString()}::timestamptz ORDER BY day`),
  dailyTrend: (pool: DatabasePool, workflowId: string, since: Date) =>
    pool.any(sql.type(any)`
    SELECT date_trunc('day', started_at, 'UTC') AS day, count(*) AS runs,
      (count(*) FILTER (WHERE status = 'passed'))::float8 / count(*) AS success_rate, avg(duration_ms) AS avg_ms,
      percentile_cont(0.95) WITHIN GROUP (ORDER BY duration_ms) AS p95, max(duration_ms) AS max_ms
    FROM naive_executions WHERE workflow_id = ${workflowId} AND started_at >= ${since.toISOString()}::timestamptz
      AND status <> 'skipped'
    GROUP BY 1 ORDER BY 1`),
  deleteDay: (pool: DatabasePool, from: Date, to: Date) =>
    pool.transaction(async (tx) => {
      const range = sql.fragment`started_at >= ${from.toISOString()}::timestamptz AND started_at < ${to.toISOString()}::timestamptz`;
      await tx.query(sql.unsafe`DELETE FROM naive_steps WHERE ${range}`);
      await tx.query(sql.unsafe`DELETE FROM naive_metrics WHERE ${range}`);
      await tx.query(sql.unsafe`DELETE FROM naive_health WHERE ${range}`);
      await tx.query(sql.unsafe`DELETE FROM naive_executions WHERE ${range}`);
    }),
};
