// The live assessment's tables (notifiers/assess/): budget overruns (passing attempts recorded
// DEGRADED), each workflow's performance state, and the recent passing runs the slow-down
// detector reads. State rows are locked FOR UPDATE so two runs finishing together decide one
// after the other, and an episode is announced once. The periodic reports read these tables
// through reports/queries/report-performance.ts.
import { z } from 'zod';
import { sql, type CommonQueryMethods, type SerializableValue } from 'slonik';
import { storableJson } from './storable.ts';

type Db = CommonQueryMethods;
const none = z.object({});
const iso = (d: Date | null) => (d ? d.toISOString() : null);

export type OverrunRecord = {
  runId: string;
  testId: string;
  retry: number;
  startedAt: Date;
  workflowId: string;
  durationMs: number;
  overruns: unknown[];
};

/** Records a DEGRADED attempt; a replay of the same attempt adds nothing. Returns whether it was new. */
export async function recordBudgetOverrun(db: Db, r: OverrunRecord): Promise<boolean> {
  const rows = await db.any(sql.type(z.object({ workflowId: z.string() }))`
    INSERT INTO execution_budget_overruns (run_id, test_id, retry, started_at, workflow_id, duration_ms, overruns)
    VALUES (${r.runId}, ${r.testId}, ${r.retry}, ${r.startedAt.toISOString()}::timestamptz, ${r.workflowId},
      ${Math.max(0, Math.round(r.durationMs))}, ${sql.jsonb(storableJson(r.overruns) as SerializableValue)})
    ON CONFLICT DO NOTHING RETURNING workflow_id AS "workflowId"`);
  return rows.length > 0;
}

export const performanceStateRow = z.object({
  workflowId: z.string(),
  degraded: z.boolean(),
  degradedSince: z.date().nullable(),
  reasons: z.array(z.string()),
  episode: z.number(),
  frozenBaseline: z.unknown(),
  lastExecutionAt: z.date().nullable(),
  details: z.record(z.string(), z.unknown()),
  updatedAt: z.date(),
});
export type PerformanceStateRow = z.infer<typeof performanceStateRow>;

export const performanceStateColumns = sql.fragment`workflow_id AS "workflowId", degraded, degraded_since AS "degradedSince", reasons, episode,
  frozen_baseline AS "frozenBaseline", last_execution_at AS "lastExecutionAt", details, updated_at AS "updatedAt"`;

/** The workflow's row, locked until the transaction ends; created (not degraded) when missing. */
export async function lockPerformanceState(db: Db, workflowId: string): Promise<PerformanceStateRow> {
  await db.query(sql.type(none)`
    INSERT INTO workflow_performance_states (workflow_id) VALUES (${workflowId}) ON CONFLICT (workflow_id) DO NOTHING`);
  return db.one(
    sql.type(
      performanceStateRow,
    )`SELECT ${performanceStateColumns} FROM workflow_performance_states WHERE workflow_id = ${workflowId} FOR UPDATE`,
  );
}

export type PerformanceStateWrite = Omit<PerformanceStateRow, 'updatedAt'>;

export async function writePerformanceState(db: Db, s: PerformanceStateWrite): Promise<void> {
  await db.query(sql.type(none)`
    UPDATE workflow_performance_states SET degraded = ${s.degraded}, degraded_since = ${iso(s.degradedSince)}::timestamptz,
      reasons = ${sql.array(s.reasons, 'text')}, episode = ${s.episode},
      frozen_baseline = ${s.frozenBaseline === null || s.frozenBaseline === undefined ? null : sql.jsonb(s.frozenBaseline as SerializableValue)},
      last_execution_at = ${iso(s.lastExecutionAt)}::timestamptz, details = ${sql.jsonb(s.details as SerializableValue)},
      updated_at = now()
    WHERE workflow_id = ${s.workflowId}`);
}

const runRow = z.object({ startedAt: z.date(), durationMs: z.number(), steps: z.record(z.string(), z.number()) });
export type PassingRun = z.infer<typeof runRow>;

/**
 * The workflow's latest `limit` passing attempts started before `until`, oldest first, with the
 * time spent per step title. Reads the (workflow_id, started_at) index and each attempt's steps
 * by primary key: cheap enough to run after every attempt.
 */
export async function getRecentPassingRuns(
  db: Db,
  workflowId: string,
  options: { limit: number; until?: Date },
): Promise<PassingRun[]> {
  const until = options.until
    ? sql.fragment`AND started_at <= ${options.until.toISOString()}::timestamptz`
    : sql.fragment``;
  const rows = await db.any(sql.type(runRow)`
    WITH e AS (
      SELECT id, started_at, duration_ms FROM workflow_executions
      WHERE workflow_id = ${workflowId} AND status = 'passed' ${until}
      ORDER BY started_at DESC LIMIT ${Math.max(1, Math.floor(options.limit))}
    )
    SELECT e.started_at AS "startedAt", e.duration_ms AS "durationMs",
      coalesce((SELECT jsonb_object_agg(t.title, t.ms) FROM (
        SELECT s.title, sum(s.duration_ms)::float8 AS ms FROM workflow_steps s
        WHERE s.execution_id = e.id AND s.started_at = e.started_at GROUP BY s.title) t), '{}'::jsonb) AS steps
    FROM e ORDER BY e.started_at, e.id`);
  return [...rows];
}
