// workflow_window_stats: the dashboard's "last 24 hours per workflow" as a read model. Computing
// it means aggregating a day of raw attempts (hundreds of ms at 1,000 workflows), so readers
// accept figures up to `maxAgeMs` old and one of them recomputes when they are older, or when
// an attempt was stored after they were computed (the attempt id sequence moved on): a failure
// shows in every window at once.
import { z } from 'zod';
import { sql, type CommonQueryMethods } from 'slonik';
import { computeWindowStats, outcomeFigures, type WorkflowWindowStats } from './execution-stats.ts';

export type WindowStatsSnapshot = {
  hours: number;
  /** When the figures were computed from raw attempts. */
  computedAt: Date;
  since: Date;
  until: Date;
  workflows: WorkflowWindowStats[];
};

export type WindowStatsOptions = {
  hours?: number;
  /** Accept figures computed at most this long ago (default one minute). */
  maxAgeMs?: number;
  now?: Date;
};

const cachedRow = z.object({
  latestId: z.number(),
  workflowId: z.string(),
  computedAt: z.date(),
  since: z.date(),
  until: z.date(),
  ...outcomeFigures,
  p95DurationMs: z.number().nullable(),
  throughId: z.number().nullable(),
});

/** The attempt id sequence's position: it moves with every stored attempt (and every replay). */
const latestExecutionId = sql.fragment`coalesce(pg_sequence_last_value(pg_get_serial_sequence('workflow_executions', 'id')::regclass), 0)`;

/** Recomputes the window from raw attempts and replaces the cached rows; returns them. */
export async function refreshWindowStats(
  db: CommonQueryMethods,
  options: { hours?: number; now?: Date } = {},
): Promise<WindowStatsSnapshot> {
  const hours = options.hours ?? 24;
  const until = options.now ?? new Date();
  const since = new Date(until.getTime() - hours * 3_600_000);
  return db.transaction(async (tx) => {
    // Concurrent refreshers queue instead of interleaving their delete and insert.
    await tx.query(
      sql.type(z.object({}))`SELECT pg_advisory_xact_lock(hashtextextended('workflow-monitor:window-stats', ${hours}))`,
    );
    // Read before the figures: an attempt stored meanwhile makes the next reader recompute.
    const throughId = await tx.oneFirst(sql.type(z.object({ id: z.number() }))`SELECT ${latestExecutionId} AS id`);
    const workflows = await computeWindowStats(tx, { since, until });
    await tx.query(sql.type(z.object({}))`DELETE FROM workflow_window_stats WHERE window_hours = ${hours}`);
    if (workflows.length > 0) {
      await tx.query(sql.type(z.object({}))`
        INSERT INTO workflow_window_stats (window_hours, workflow_id, computed_at, window_start, window_end, runs, passed,
          failed, flaky, success_rate, avg_duration_ms, p95_duration_ms, through_execution_id)
        SELECT ${hours}, w.workflow_id, ${until.toISOString()}::timestamptz, ${since.toISOString()}::timestamptz,
          ${until.toISOString()}::timestamptz, w.runs, w.passed, w.failed, w.flaky, w.success_rate, w.avg_duration_ms,
          w.p95_duration_ms, ${throughId}
        FROM jsonb_to_recordset(${sql.jsonb(
          workflows.map((w) => ({
            workflow_id: w.workflowId,
            runs: w.runs,
            passed: w.passed,
            failed: w.failed,
            flaky: w.flaky,
            success_rate: w.successRate,
            avg_duration_ms: w.avgDurationMs,
            p95_duration_ms: w.p95DurationMs,
          })),
        )}) AS w(workflow_id text, runs integer, passed integer, failed integer, flaky integer,
          success_rate double precision, avg_duration_ms double precision, p95_duration_ms double precision)`);
    }
    return { hours, computedAt: until, since, until, workflows };
  });
}

/** Per-workflow runs, success rate and p95 over the last `hours`, at most `maxAgeMs` old. */
export async function getWindowStatsPerWorkflow(
  db: CommonQueryMethods,
  options: WindowStatsOptions = {},
): Promise<WindowStatsSnapshot> {
  const hours = options.hours ?? 24;
  const now = options.now ?? new Date();
  const rows = await db.any(sql.type(cachedRow)`
    SELECT workflow_id AS "workflowId", computed_at AS "computedAt", window_start AS since, window_end AS until, runs, passed,
      failed, flaky, success_rate AS "successRate", avg_duration_ms AS "avgDurationMs", p95_duration_ms AS "p95DurationMs",
      through_execution_id AS "throughId", ${latestExecutionId} AS "latestId"
    FROM workflow_window_stats WHERE window_hours = ${hours} ORDER BY workflow_id`);
  const first = rows[0];
  if (
    !first ||
    now.getTime() - first.computedAt.getTime() > (options.maxAgeMs ?? 60_000) ||
    first.throughId !== first.latestId
  ) {
    return refreshWindowStats(db, { hours, now });
  }
  return {
    hours,
    computedAt: first.computedAt,
    since: first.since,
    until: first.until,
    workflows: rows.map(({ workflowId, runs, passed, failed, flaky, successRate, avgDurationMs, p95DurationMs }) => ({
      workflowId,
      runs,
      passed,
      failed,
      flaky,
      successRate,
      avgDurationMs,
      p95DurationMs,
    })),
  };
}
