// An attempt's cause, the line that decided it and its evidence (reporters/cause.ts and
// fixtures/evidence.ts), for the dashboard's failure view.
import { z } from 'zod';
import { sql, type CommonQueryMethods } from 'slonik';

export const evidenceRow = z.object({
  cause: z.string().nullable(),
  causeLine: z.string().nullable(),
  evidence: z.unknown(),
});
export type ExecutionEvidence = { cause: string | null; causeLine: string | null; evidence: unknown[] };

export async function getExecutionEvidence(
  db: CommonQueryMethods,
  execution: { id: number; startedAt: Date },
): Promise<ExecutionEvidence | null> {
  const row = await db.maybeOne(sql.type(evidenceRow)`
    SELECT cause, cause_line AS "causeLine", evidence FROM workflow_executions
    WHERE id = ${execution.id} AND started_at = ${execution.startedAt.toISOString()}::timestamptz`);
  if (!row) return null;
  return { cause: row.cause, causeLine: row.causeLine, evidence: Array.isArray(row.evidence) ? row.evidence : [] };
}
