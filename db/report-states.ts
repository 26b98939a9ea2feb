// The alert policy's current verdicts a report quotes: workflows DOWN now (critical issues).
import { z } from 'zod';
import { sql, type CommonQueryMethods } from 'slonik';
import { priorities } from '../core/workflow.ts';

const downRow = z.object({
  workflowId: z.string(),
  since: z.date(),
  consecutiveFailures: z.number(),
  name: z.string().nullable(),
  priority: z.enum(priorities).nullable(),
  lastError: z.string().nullable(),
  lastFailedStep: z.string().nullable(),
});
export type DownWorkflow = z.infer<typeof downRow>;

/** Workflows whose state is DOWN, with their latest attempt's name and error. */
export async function getDownWorkflows(db: CommonQueryMethods): Promise<DownWorkflow[]> {
  const rows = await db.any(sql.type(downRow)`
    SELECT s.workflow_id AS "workflowId", s.since, s.consecutive_failures AS "consecutiveFailures", l.name, l.priority,
      l.error AS "lastError", l.failed_step AS "lastFailedStep"
    FROM workflow_states s LEFT JOIN workflow_last_executions l USING (workflow_id)
    WHERE s.state = 'down' ORDER BY s.workflow_id`);
  return [...rows];
}
