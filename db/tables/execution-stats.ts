// Statistics over raw attempts. Counts are per run of a workflow, by its final outcome: a
// failure that passed on retry is one run, passed and flaky (not a failure and a pass).
// Skipped attempts count nowhere.
import { z } from 'zod';
import { sql, type CommonQueryMethods } from 'slonik';

/**
 * The attempt (started at or after `since`) is its run's last: no later retry of the same test
 * in the same run. Retries start after the attempt, so `since` bounds the other side too: the
 * planner prunes it to the window's partitions (a hash anti-join, no per-row probe).
 */
export const finalAttempt = (
  alias: string,
  since: Date,
) => sql.fragment`NOT EXISTS (SELECT 1 FROM workflow_executions later
  WHERE later.run_id = ${sql.identifier([alias])}.run_id AND later.test_id = ${sql.identifier([alias])}.test_id
    AND later.retry > ${sql.identifier([alias])}.retry AND later.started_at >= ${sql.identifier([alias])}.started_at
    AND later.started_at >= ${since.toISOString()}::timestamptz AND later.status <> 'skipped')`;

/** A final attempt that passed after a failed one (Playwright's outcome `flaky`). */
export const flakyPass = sql.fragment`status = 'passed' AND (outcome = 'flaky' OR retry > 0)`;

export type StatsWindow = { since?: Date; until?: Date; hours?: number };

export function resolveWindow(window: StatsWindow = {}, now = new Date()): { since: Date; until: Date } {
  const until = window.until ?? now;
  const since = window.since ?? new Date(until.getTime() - (window.hours ?? 24) * 3_600_000);
  return { since, until };
}

/** A window's runs, by their final attempt's outcome. */
export const runCounts = { runs: z.number(), passed: z.number(), failed: z.number(), flaky: z.number() };
/** `runCounts` over a query's final attempts. */
const runCountColumns = sql.fragment`count(*)::integer AS runs,
  count(*) FILTER (WHERE status = 'passed')::integer AS passed,
  count(*) FILTER (WHERE status <> 'passed')::integer AS failed,
  count(*) FILTER (WHERE ${flakyPass})::integer AS flaky`;

/** The durations of a window's runs (null without runs). */
export const durationFigures = {
  avgDurationMs: z.number().nullable(),
  p50DurationMs: z.number().nullable(),
  p95DurationMs: z.number().nullable(),
  maxDurationMs: z.number().nullable(),
};

const statsRow = z.object({
  ...runCounts,
  ...durationFigures,
  avgPageLoadTimeMs: z.number().nullable(),
  avgApiResponseTimeMs: z.number().nullable(),
});

export type PerformanceStats = z.infer<typeof statsRow> & {
  workflowId: string;
  since: Date;
  until: Date;
  /** Runs whose final attempt passed / runs, 0..1 (flaky runs count as passed); null without runs. */
  successRate: number | null;
};

/** Runs, success rate, duration avg/p50/p95/max, and average page load and API response time. */
export async function getWorkflowPerformanceStats(
  db: CommonQueryMethods,
  workflowId: string,
  window: StatsWindow = {},
): Promise<PerformanceStats> {
  const { since, until } = resolveWindow(window);
  const row = await db.one(sql.type(statsRow)`
    WITH e AS (
      SELECT id, started_at, status, outcome, retry, duration_ms FROM workflow_executions x
      WHERE workflow_id = ${workflowId}
        AND started_at >= ${since.toISOString()}::timestamptz AND started_at < ${until.toISOString()}::timestamptz
        AND status <> 'skipped' AND ${finalAttempt('x', since)}
    )
    SELECT ${runCountColumns},
      avg(duration_ms)::float8 AS "avgDurationMs",
      percentile_cont(0.5) WITHIN GROUP (ORDER BY duration_ms) AS "p50DurationMs",
      percentile_cont(0.95) WITHIN GROUP (ORDER BY duration_ms) AS "p95DurationMs",
      max(duration_ms) AS "maxDurationMs",
      (SELECT avg(m.page_load_time_ms) FROM e JOIN workflow_metrics m
        ON m.execution_id = e.id AND m.started_at = e.started_at) AS "avgPageLoadTimeMs",
      (SELECT avg(m.api_response_time_ms) FROM e JOIN workflow_metrics m
        ON m.execution_id = e.id AND m.started_at = e.started_at) AS "avgApiResponseTimeMs"
    FROM e`);
  return { workflowId, since, until, ...row, successRate: row.runs === 0 ? null : row.passed / row.runs };
}

/** A window's outcome figures, as every per-window query returns them. */
export const outcomeFigures = {
  ...runCounts,
  successRate: z.number().nullable(),
  avgDurationMs: z.number().nullable(),
};

const windowRow = z.object({
  workflowId: z.string(),
  ...outcomeFigures,
  p95DurationMs: z.number().nullable(),
});
export type WorkflowWindowStats = z.infer<typeof windowRow>;

/**
 * Success rate and duration p95 of every workflow over a window (default the last 24 hours),
 * exact, from raw attempts: a day of attempts per call. Dashboards read the cached copy
 * (window-stats.ts) instead.
 */
export async function computeWindowStats(
  db: CommonQueryMethods,
  window: StatsWindow = {},
): Promise<WorkflowWindowStats[]> {
  const { since, until } = resolveWindow(window);
  const rows = await db.any(sql.type(windowRow)`
    SELECT workflow_id AS "workflowId", ${runCountColumns},
      (count(*) FILTER (WHERE status = 'passed'))::float8 / count(*) AS "successRate",
      avg(duration_ms)::float8 AS "avgDurationMs",
      percentile_cont(0.95) WITHIN GROUP (ORDER BY duration_ms) AS "p95DurationMs"
    FROM workflow_executions x
    WHERE started_at >= ${since.toISOString()}::timestamptz AND started_at < ${until.toISOString()}::timestamptz
      AND status <> 'skipped' AND ${finalAttempt('x', since)}
    GROUP BY workflow_id ORDER BY workflow_id`);
  return [...rows];
}
