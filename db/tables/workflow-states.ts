// workflow_states: the alert policy's memory, one row per workflow. Every function takes a
// query target so the policy can read, decide and write inside one transaction.
import { z } from 'zod';
import { sql, type CommonQueryMethods, type SerializableValue } from 'slonik';
import { storedStates } from '../../core/alerts.ts';
import { priorities } from '../../core/workflow.ts';

/**
 * Every column of workflow_states, named as the queries select them: the policy's row
 * (db/alert-rows.ts), this file's and the status page's reads pick from it.
 */
export const workflowStateColumns = z.object({
  workflowId: z.string(),
  state: z.enum(storedStates),
  since: z.date(),
  consecutiveFailures: z.number(),
  consecutivePasses: z.number(),
  lastAlertAt: z.date().nullable(),
  lastExecutionAt: z.date().nullable(),
  name: z.string().nullable(),
  type: z.string().nullable(),
  priority: z.enum(priorities).nullable(),
  tags: z.array(z.string()),
  episode: z.number(),
  downSince: z.date().nullable(),
  lastReminderAt: z.date().nullable(),
  alertChannels: z.array(z.string()),
  mutedAlert: z.enum(['failure', 'recovery']).nullable(),
  flappingSince: z.date().nullable(),
  stableSince: z.date().nullable(),
  flapEpisode: z.number(),
  flakySince: z.date().nullable(),
  flakyEpisode: z.number(),
  lastError: z.string().nullable(),
  lastRunId: z.string().nullable(),
  failingLocations: z.array(z.string()),
  passingLocations: z.array(z.string()),
  partialSince: z.date().nullable(),
  partialEpisode: z.number(),
  details: z.record(z.string(), z.unknown()),
  updatedAt: z.date(),
});

/** up, down or flaky (core/alerts.ts's stored states). */
export type WorkflowStateName = z.infer<typeof workflowStateColumns>['state'];

const stateRow = workflowStateColumns.pick({
  workflowId: true,
  state: true,
  since: true,
  consecutiveFailures: true,
  consecutivePasses: true,
  lastAlertAt: true,
  lastExecutionAt: true,
  details: true,
  updatedAt: true,
});
export type WorkflowState = z.infer<typeof stateRow>;

export type WorkflowStateInput = Omit<WorkflowState, 'updatedAt'>;

const columns = sql.fragment`workflow_id AS "workflowId", state, since, consecutive_failures AS "consecutiveFailures",
  consecutive_passes AS "consecutivePasses", last_alert_at AS "lastAlertAt", last_execution_at AS "lastExecutionAt",
  details, updated_at AS "updatedAt"`;

export async function getWorkflowState(db: CommonQueryMethods, workflowId: string): Promise<WorkflowState | null> {
  return db.maybeOne(sql.type(stateRow)`SELECT ${columns} FROM workflow_states WHERE workflow_id = ${workflowId}`);
}

export async function getWorkflowStates(db: CommonQueryMethods): Promise<WorkflowState[]> {
  const rows = await db.any(sql.type(stateRow)`SELECT ${columns} FROM workflow_states ORDER BY workflow_id`);
  return [...rows];
}

/**
 * Returns the workflow's row locked FOR UPDATE, creating it ('up', no counts) when missing.
 * Call inside a transaction: two runs finishing together then decide one after the other.
 */
export async function lockWorkflowState(db: CommonQueryMethods, workflowId: string): Promise<WorkflowState> {
  await db.query(sql.type(z.object({}))`
    INSERT INTO workflow_states (workflow_id) VALUES (${workflowId}) ON CONFLICT (workflow_id) DO NOTHING`);
  return db.one(sql.type(stateRow)`
    SELECT ${columns} FROM workflow_states WHERE workflow_id = ${workflowId} FOR UPDATE`);
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export async function upsertWorkflowState(db: CommonQueryMethods, s: WorkflowStateInput): Promise<WorkflowState> {
  return db.one(sql.type(stateRow)`
    INSERT INTO workflow_states (workflow_id, state, since, consecutive_failures, consecutive_passes, last_alert_at,
      last_execution_at, details, updated_at)
    VALUES (${s.workflowId}, ${s.state}, ${s.since.toISOString()}::timestamptz, ${s.consecutiveFailures},
      ${s.consecutivePasses}, ${iso(s.lastAlertAt)}::timestamptz, ${iso(s.lastExecutionAt)}::timestamptz,
      ${sql.jsonb(s.details as SerializableValue)}, now())
    ON CONFLICT (workflow_id) DO UPDATE SET state = EXCLUDED.state, since = EXCLUDED.since,
      consecutive_failures = EXCLUDED.consecutive_failures, consecutive_passes = EXCLUDED.consecutive_passes,
      last_alert_at = EXCLUDED.last_alert_at, last_execution_at = EXCLUDED.last_execution_at,
      details = EXCLUDED.details, updated_at = now()
    RETURNING ${columns}`);
}
