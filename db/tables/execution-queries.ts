// Reading attempts back: filtered history, one attempt's steps, the latest attempt per workflow.
import { z } from 'zod';
import { sql, type CommonQueryMethods } from 'slonik';
import { attemptStatuses, outcomes, type AttemptStatus, type Outcome } from '../../core/records.ts';
import { priorities } from '../../core/workflow.ts';
import { rowLimit, whereAll } from './list-filters.ts';

export const executionRow = z.object({
  id: z.number(),
  runId: z.string(),
  testId: z.string(),
  retry: z.number(),
  workflowId: z.string(),
  name: z.string(),
  type: z.string(),
  priority: z.enum(priorities),
  status: z.enum(attemptStatuses),
  outcome: z.enum(outcomes),
  startedAt: z.date(),
  durationMs: z.number(),
  totalSteps: z.number(),
  passedSteps: z.number(),
  failedSteps: z.number(),
  error: z.string().nullable(),
  failedStep: z.string().nullable(),
  tracePath: z.string().nullable(),
  screenshotPath: z.string().nullable(),
  tags: z.array(z.string()),
  /** Where it ran from (MONITOR_LOCATION; `local` for rows from before locations). */
  location: z.string(),
});
export type ExecutionRow = z.infer<typeof executionRow>;

const columns = sql.fragment`id, run_id AS "runId", test_id AS "testId", retry, workflow_id AS "workflowId", name, type,
  priority, status, outcome, started_at AS "startedAt", duration_ms AS "durationMs", total_steps AS "totalSteps",
  passed_steps AS "passedSteps", failed_steps AS "failedSteps", error, failed_step AS "failedStep",
  trace_path AS "tracePath", screenshot_path AS "screenshotPath", tags, location`;

export type ExecutionFilter = {
  workflowId?: string;
  status?: AttemptStatus | readonly AttemptStatus[];
  outcome?: Outcome;
  runId?: string;
  since?: Date;
  until?: Date;
  /** Default 100, at most 10,000. */
  limit?: number;
};

/** Newest first. */
export async function getExecutions(db: CommonQueryMethods, filter: ExecutionFilter = {}): Promise<ExecutionRow[]> {
  const statuses: readonly string[] | undefined = typeof filter.status === 'string' ? [filter.status] : filter.status;
  const where = whereAll([
    filter.workflowId !== undefined && sql.fragment`workflow_id = ${filter.workflowId}`,
    filter.runId !== undefined && sql.fragment`run_id = ${filter.runId}`,
    statuses !== undefined && sql.fragment`status = ANY(${sql.array(statuses, 'text')})`,
    filter.outcome !== undefined && sql.fragment`outcome = ${filter.outcome}`,
    !!filter.since && sql.fragment`started_at >= ${filter.since.toISOString()}::timestamptz`,
    !!filter.until && sql.fragment`started_at < ${filter.until.toISOString()}::timestamptz`,
  ]);
  const rows = await db.any(sql.type(executionRow)`
    SELECT ${columns} FROM workflow_executions
    WHERE ${where}
    ORDER BY started_at DESC, id DESC
    LIMIT ${rowLimit(filter.limit, 100, 10_000)}`);
  return [...rows];
}

/** How many attempts a run stored: the daemon's check that a spawned run reported anything. */
export async function countExecutionsForRun(db: CommonQueryMethods, runId: string): Promise<number> {
  return db.oneFirst(sql.type(z.object({ n: z.number() }))`
    SELECT count(*)::integer AS n FROM workflow_executions WHERE run_id = ${runId}`);
}

export const stepRow = z.object({
  index: z.number(),
  title: z.string(),
  durationMs: z.number(),
  error: z.string().nullable(),
});
export type StepRow = z.infer<typeof stepRow>;

export async function getExecutionSteps(
  db: CommonQueryMethods,
  execution: { id: number; startedAt: Date },
): Promise<StepRow[]> {
  const rows = await db.any(sql.type(stepRow)`
    SELECT step_index AS index, title, duration_ms AS "durationMs", error FROM workflow_steps
    WHERE execution_id = ${execution.id} AND started_at = ${execution.startedAt.toISOString()}::timestamptz
    ORDER BY step_index`);
  return [...rows];
}

/** workflow_last_executions: the latest attempt's columns, keyed by its execution id. */
export const latestRow = executionRow
  .pick({
    workflowId: true,
    runId: true,
    testId: true,
    retry: true,
    name: true,
    priority: true,
    status: true,
    outcome: true,
    startedAt: true,
    durationMs: true,
    error: true,
    failedStep: true,
  })
  .extend({ executionId: z.number() });
export type LatestExecution = z.infer<typeof latestRow>;

/** The latest non-skipped attempt of every workflow, kept up to date by insertExecutions. */
export async function getLatestExecutions(db: CommonQueryMethods): Promise<LatestExecution[]> {
  const rows = await db.any(sql.type(latestRow)`
    SELECT workflow_id AS "workflowId", execution_id AS "executionId", run_id AS "runId", test_id AS "testId", retry,
      name, priority, status, outcome, started_at AS "startedAt", duration_ms AS "durationMs", error,
      failed_step AS "failedStep"
    FROM workflow_last_executions ORDER BY workflow_id`);
  return [...rows];
}

/** Steps in each workflow's latest attempt: how long a journey is, before a new attempt has finished. */
export async function getLastStepCounts(db: CommonQueryMethods): Promise<Map<string, number>> {
  const rows = await db.any(sql.type(z.object({ workflowId: z.string(), totalSteps: z.number() }))`
    SELECT l.workflow_id AS "workflowId", e.total_steps AS "totalSteps" FROM workflow_last_executions l
    JOIN workflow_executions e ON (e.run_id, e.test_id, e.retry, e.started_at) = (l.run_id, l.test_id, l.retry, l.started_at)`);
  return new Map(rows.map((r) => [r.workflowId, r.totalSteps]));
}

/** When `workflowId` first made an attempt (not skipped) after `after` (null: ever), or null if it has not. */
export async function firstAttemptAfter(
  db: CommonQueryMethods,
  workflowId: string,
  after: Date | null,
): Promise<Date | null> {
  const since = after ? sql.fragment`AND started_at > ${after.toISOString()}::timestamptz` : sql.fragment``;
  return db.oneFirst(sql.type(z.object({ at: z.date().nullable() }))`
    SELECT min(started_at) AS at FROM workflow_executions
    WHERE workflow_id = ${workflowId} AND status <> 'skipped' ${since}`);
}
