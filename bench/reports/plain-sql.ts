// The other baseline a report is written as first: plain SQL over the raw attempts, one
// `GROUP BY workflow_id` with percentile_cont per period and the period's health checks, no read
// model and no roll-up. Same definitions as naive.ts (per attempt, skipped excluded), so its
// figures are checked against ours too.
import { sql, type DatabasePool } from 'slonik';
import { z } from 'zod';

const figures = {
  executions: z.number(),
  passed: z.number(),
  failed: z.number(),
  flaky: z.number(),
  runs: z.number(),
  avgDurationMs: z.number().nullable(),
  p95DurationMs: z.number().nullable(),
  p95PassedMs: z.number().nullable(),
  criticalFailures: z.number(),
};
const columns = sql.fragment`count(*)::integer AS executions,
  count(*) FILTER (WHERE status = 'passed')::integer AS passed, count(*) FILTER (WHERE status <> 'passed')::integer AS failed,
  count(*) FILTER (WHERE status = 'passed' AND outcome = 'flaky')::integer AS flaky,
  count(*) FILTER (WHERE retry = 0)::integer AS runs, avg(duration_ms)::float8 AS "avgDurationMs",
  percentile_cont(0.95) WITHIN GROUP (ORDER BY duration_ms) AS "p95DurationMs",
  percentile_cont(0.95) WITHIN GROUP (ORDER BY duration_ms) FILTER (WHERE status = 'passed') AS "p95PassedMs",
  count(*) FILTER (WHERE status <> 'passed' AND priority = 'critical')::integer AS "criticalFailures"`;

export async function plainSqlReport(pool: DatabasePool, period: { start: Date; end: Date }) {
  const length = period.end.getTime() - period.start.getTime();
  const within = (start: Date, end: Date) =>
    sql.fragment`started_at >= ${start.toISOString()}::timestamptz AND started_at < ${end.toISOString()}::timestamptz AND status <> 'skipped'`;
  const before = new Date(period.start.getTime() - length);
  const [totals, previousTotals, workflows, unhealthyChecks] = await Promise.all([
    pool.one(
      sql.type(z.object(figures))`SELECT ${columns} FROM workflow_executions WHERE ${within(period.start, period.end)}`,
    ),
    pool.one(
      sql.type(z.object(figures))`SELECT ${columns} FROM workflow_executions WHERE ${within(before, period.start)}`,
    ),
    pool.any(sql.type(
      z.object({
        workflowId: z.string(),
        ...figures,
        topError: z.string().nullable(),
        previousP95PassedMs: z.number().nullable(),
      }),
    )`
      WITH now AS (
        SELECT workflow_id AS "workflowId", ${columns},
          mode() WITHIN GROUP (ORDER BY split_part(error, E'\n', 1)) FILTER (WHERE status <> 'passed') AS "topError"
        FROM workflow_executions WHERE ${within(period.start, period.end)} GROUP BY workflow_id
      ), before AS (
        SELECT workflow_id AS "workflowId",
          percentile_cont(0.95) WITHIN GROUP (ORDER BY duration_ms) FILTER (WHERE status = 'passed') AS "previousP95PassedMs"
        FROM workflow_executions WHERE ${within(before, period.start)} GROUP BY workflow_id
      )
      SELECT now.*, before."previousP95PassedMs" FROM now LEFT JOIN before USING ("workflowId") ORDER BY 1`),
    pool.oneFirst(sql.type(z.object({ n: z.number() }))`
      SELECT count(*) FILTER (WHERE NOT healthy OR api_healthy = false)::integer AS n FROM system_health_checks
      WHERE started_at >= ${period.start.toISOString()}::timestamptz AND started_at < ${period.end.toISOString()}::timestamptz`),
  ]);
  return { totals, previousTotals, workflows: [...workflows], unhealthyChecks };
}
