// Step durations of a few workflows' passing attempts in a period: the "slowest step" evidence
// of a slower workflow. Asked only for the workflows a report flags, so it stays a handful of
// index lookups whatever the number of workflows.
import { z } from 'zod';
import { sql, type CommonQueryMethods } from 'slonik';
import type { Period } from './report-figures.ts';

const stepRow = z.object({
  workflowId: z.string(),
  title: z.string(),
  runs: z.number(),
  p50Ms: z.number(),
  p95Ms: z.number(),
});
export type StepDurationRow = z.infer<typeof stepRow>;

export async function getStepDurations(
  db: CommonQueryMethods,
  workflowIds: readonly string[],
  period: Period,
): Promise<StepDurationRow[]> {
  if (workflowIds.length === 0) return [];
  const start = period.start.toISOString();
  const end = period.end.toISOString();
  const rows = await db.any(sql.type(stepRow)`
    WITH per_attempt AS (
      SELECT e.workflow_id, s.title, sum(s.duration_ms) AS ms
      FROM workflow_executions e
      JOIN workflow_steps s ON s.execution_id = e.id AND s.started_at = e.started_at
        AND s.started_at >= ${start}::timestamptz AND s.started_at < ${end}::timestamptz
      WHERE e.workflow_id = ANY(${sql.array([...workflowIds], 'text')})
        AND e.started_at >= ${start}::timestamptz AND e.started_at < ${end}::timestamptz AND e.status = 'passed'
      GROUP BY e.workflow_id, e.id, s.title
    )
    SELECT workflow_id AS "workflowId", title, count(*)::integer AS runs,
      percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) AS "p50Ms",
      percentile_cont(0.95) WITHIN GROUP (ORDER BY ms) AS "p95Ms"
    FROM per_attempt GROUP BY workflow_id, title ORDER BY workflow_id, title`);
  return [...rows];
}
