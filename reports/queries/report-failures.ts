// What a period's failed attempts have in common, per workflow: the most frequent error (its
// first line: Playwright's own first line names the assertion), the most frequent failing step,
// and the latest failure's trace, so a recommendation can say where to look.
import { z } from 'zod';
import { sql, type CommonQueryMethods } from 'slonik';
import { errorFirstLine, inPeriod, mostFrequent, type Period } from './report-figures.ts';

const failureRow = z.object({
  workflowId: z.string(),
  failures: z.number(),
  topError: z.string(),
  topErrorCount: z.number(),
  topStep: z.string().nullable(),
  topStepCount: z.number(),
  lastFailedAt: z.date(),
  lastRunId: z.string(),
  lastTracePath: z.string().nullable(),
});
export type FailureSummary = z.infer<typeof failureRow>;

/** Ties go to the more recent, then to the alphabetically first, so the answer is stable. */
export async function getFailureSummaries(db: CommonQueryMethods, period: Period): Promise<FailureSummary[]> {
  const rows = await db.any(sql.type(failureRow)`
    WITH f AS (
      SELECT workflow_id, started_at, run_id, trace_path, failed_step,
        ${errorFirstLine} AS message
      FROM workflow_executions
      WHERE ${inPeriod('started_at', period)}
        AND status NOT IN ('passed', 'skipped')
    ),
    errors AS (${mostFrequent('f', 'workflow_id', 'message', 'started_at')}),
    steps AS (${mostFrequent('f', 'workflow_id', 'failed_step', 'started_at', sql.fragment`failed_step IS NOT NULL`)}),
    latest AS (
      SELECT DISTINCT ON (workflow_id) workflow_id, started_at, run_id, trace_path FROM f ORDER BY workflow_id, started_at DESC
    ),
    counts AS (SELECT workflow_id, count(*)::integer AS n FROM f GROUP BY workflow_id)
    SELECT c.workflow_id AS "workflowId", c.n AS failures, e.message AS "topError", e.n AS "topErrorCount",
      s.failed_step AS "topStep", coalesce(s.n, 0) AS "topStepCount", l.started_at AS "lastFailedAt",
      l.run_id AS "lastRunId", l.trace_path AS "lastTracePath"
    FROM counts c JOIN errors e USING (workflow_id) JOIN latest l USING (workflow_id) LEFT JOIN steps s USING (workflow_id)
    ORDER BY c.workflow_id`);
  return [...rows];
}
