// A period's failed attempts counted by cause and workflow (reports/), from the cause column
// the reporter stores with each failure; attempts recorded before causes existed count as unknown.
import { z } from 'zod';
import { sql, type CommonQueryMethods } from 'slonik';
import { inPeriod, type Period } from './report-figures.ts';

const causeRow = z.object({ cause: z.string(), workflowId: z.string(), failures: z.number() });
export type CauseCount = z.infer<typeof causeRow>;

/** Largest first, then by cause and workflow, so the order is stable. */
export async function getFailureCauses(db: CommonQueryMethods, period: Period): Promise<CauseCount[]> {
  const rows = await db.any(sql.type(causeRow)`
    SELECT coalesce(cause, 'unknown') AS cause, workflow_id AS "workflowId", count(*)::integer AS failures
    FROM workflow_executions
    WHERE ${inPeriod('started_at', period)}
      AND status NOT IN ('passed', 'skipped')
    GROUP BY 1, 2
    ORDER BY 3 DESC, 1, 2`);
  return [...rows];
}
