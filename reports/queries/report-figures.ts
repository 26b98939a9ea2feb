// A period's attempts for the reports module, per workflow, in one pass over the period's
// partitions: counts, and the durations themselves. Exact percentiles need every duration; a
// hash aggregate hands them over per workflow and reports/period-figures.ts sorts a few hundred
// numbers per workflow, instead of PostgreSQL sorting the whole day by workflow for
// percentile_cont (twice as slow on the bench's day of 288,000 attempts, more when the sort
// spills). Counts are per attempt like everywhere else (execution-stats.ts); skipped attempts
// count nowhere.
import { z } from 'zod';
import { sql, type CommonQueryMethods, type FragmentSqlToken } from 'slonik';
import { priorities } from '../../core/workflow.ts';

export type Period = { start: Date; end: Date };

/** Rows whose `column` falls in the period: from its start (included) to its end (excluded). */
export const inPeriod = (column: string, period: Period) =>
  sql.fragment`${sql.identifier([column])} >= ${period.start.toISOString()}::timestamptz AND ${sql.identifier([column])} < ${period.end.toISOString()}::timestamptz`;

/** An attempt's or a delivery's `error`, as the reports quote it: its first line, at most 300 characters. */
export const errorFirstLine = sql.fragment`coalesce(nullif(left(substring(btrim(coalesce(error, ''), E' \t\r\n') FROM '^[^\n]*'), 300), ''), '(no error message)')`;

/**
 * A CTE body: per `group`, the most frequent `value` among `source`'s rows (`where`), with how often
 * (`n`). Ties go to the value seen last (by `at`), then to the alphabetically first, so the answer is stable.
 */
export function mostFrequent(
  source: string,
  group: string,
  value: string,
  at: string,
  where: FragmentSqlToken = sql.fragment`true`,
): FragmentSqlToken {
  const [g, v] = [sql.identifier([group]), sql.identifier([value])];
  return sql.fragment`SELECT DISTINCT ON (${g}) ${g}, ${v}, count(*)::integer AS n
      FROM ${sql.identifier([source])} WHERE ${where}
      GROUP BY ${g}, ${v} ORDER BY ${g}, count(*) DESC, max(${sql.identifier([at])}) DESC, ${v}`;
}

const durationsRow = z.object({
  workflowId: z.string(),
  name: z.string(),
  /** The highest priority the workflow ran with in the period. */
  priority: z.enum(priorities),
  runs: z.number(),
  /** Passed on a retry. */
  flaky: z.number(),
  /** Attempts with retry 0: one per scheduled or manual run of the test. */
  firstAttempts: z.number(),
  criticalFailures: z.number(),
  /** Comma-separated, unsorted: text parses several times faster than an int[] of the same numbers. */
  passedMs: z.string(),
  failedMs: z.string(),
  lastStartedAt: z.date(),
});
export type WorkflowDurationsRow = z.infer<typeof durationsRow>;

/** A workflow's figures in a period (reports/period-figures.ts computes them from the row above). */
export type WorkflowFiguresRow = Omit<WorkflowDurationsRow, 'passedMs' | 'failedMs'> & {
  passed: number;
  failed: number;
  /** Exact integer sum: averages are divided once. */
  totalDurationMs: number;
  avgDurationMs: number | null;
  p95DurationMs: number | null;
  /** Of passing attempts only: a failure's duration says how long it took to fail. */
  p95PassedMs: number | null;
};

/** The whole period. */
export type FiguresRow = Pick<
  WorkflowFiguresRow,
  | 'runs'
  | 'passed'
  | 'failed'
  | 'flaky'
  | 'firstAttempts'
  | 'criticalFailures'
  | 'totalDurationMs'
  | 'avgDurationMs'
  | 'p95DurationMs'
>;
export type PeriodFigures = { overall: FiguresRow; workflows: WorkflowFiguresRow[] };

/** Per workflow, attempts started in [start, end), by workflow id. */
export async function getPeriodDurations(db: CommonQueryMethods, period: Period): Promise<WorkflowDurationsRow[]> {
  return db.transaction(async (tx) => {
    // A hash aggregate holding a day of durations; the default 4 MB would spill it to disk.
    await tx.query(sql.type(z.object({}))`SET LOCAL work_mem = '64MB'`);
    const rows = await tx.any(sql.type(durationsRow)`
      SELECT workflow_id AS "workflowId", max(name COLLATE "C") AS name,
        (ARRAY['critical', 'high', 'medium', 'low'])[min(CASE priority WHEN 'critical' THEN 1 WHEN 'high' THEN 2
          WHEN 'medium' THEN 3 ELSE 4 END)] AS priority,
        count(*)::integer AS runs,
        count(*) FILTER (WHERE status = 'passed' AND outcome = 'flaky')::integer AS flaky,
        count(*) FILTER (WHERE retry = 0)::integer AS "firstAttempts",
        count(*) FILTER (WHERE status <> 'passed' AND priority = 'critical')::integer AS "criticalFailures",
        coalesce(string_agg(duration_ms::text, ',') FILTER (WHERE status = 'passed'), '') AS "passedMs",
        coalesce(string_agg(duration_ms::text, ',') FILTER (WHERE status <> 'passed'), '') AS "failedMs",
        max(started_at) AS "lastStartedAt"
      FROM workflow_executions
      WHERE ${inPeriod('started_at', period)}
        AND status <> 'skipped'
      GROUP BY workflow_id`);
    return [...rows].sort((a, b) => (a.workflowId < b.workflowId ? -1 : a.workflowId > b.workflowId ? 1 : 0));
  });
}
