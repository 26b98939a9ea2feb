// The stored trace of one execution, for `workflow-monitor trace <execution-id>`.
import { z } from 'zod';
import { sql, type CommonQueryMethods } from 'slonik';

const row = z.object({ id: z.number(), workflowId: z.string(), status: z.string(), tracePath: z.string().nullable() });
export type ExecutionTrace = z.infer<typeof row>;

export async function getExecutionTrace(db: CommonQueryMethods, executionId: number): Promise<ExecutionTrace | null> {
  return db.maybeOne(sql.type(row)`
    SELECT id, workflow_id AS "workflowId", status, trace_path AS "tracePath"
    FROM workflow_executions WHERE id = ${executionId} ORDER BY started_at DESC LIMIT 1`);
}
