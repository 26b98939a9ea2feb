// Performance bookkeeping for the reports module: budget overruns (passing attempts recorded
// DEGRADED), each workflow's degradation state, and the recent passing runs the slow-down
// detector reads. State rows are locked FOR UPDATE so two runs finishing together decide one
// after the other, and an episode is announced once.
import { z } from 'zod';
import { sql, type CommonQueryMethods, type SerializableValue } from 'slonik';
import { storableJson } from '../../db/tables/storable.ts';

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

const stateRow = z.object({
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
export type PerformanceStateRow = z.infer<typeof stateRow>;

const stateColumns = sql.fragment`workflow_id AS "workflowId", degraded, degraded_since AS "degradedSince", reasons, episode,
  frozen_baseline AS "frozenBaseline", last_execution_at AS "lastExecutionAt", details, updated_at AS "updatedAt"`;

/** The workflow's row, locked until the transaction ends; created (not degraded) when missing. */
export async function lockPerformanceState(db: Db, workflowId: string): Promise<PerformanceStateRow> {
  await db.query(sql.type(none)`
    INSERT INTO workflow_performance_states (workflow_id) VALUES (${workflowId}) ON CONFLICT (workflow_id) DO NOTHING`);
  return db.one(
    sql.type(
      stateRow,
    )`SELECT ${stateColumns} FROM workflow_performance_states WHERE workflow_id = ${workflowId} FOR UPDATE`,
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

/** Workflows DEGRADED now, by budget or slow-down. */
export async function getDegradedWorkflows(db: Db): Promise<PerformanceStateRow[]> {
  const rows = await db.any(sql.type(stateRow)`
    SELECT ${stateColumns} FROM workflow_performance_states WHERE degraded ORDER BY workflow_id`);
  return [...rows];
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

const overrunSummaryRow = z.object({
  workflowId: z.string(),
  overruns: z.number(),
  /** The budget overrun most often: "total" or the step title. */
  topTarget: z.string(),
  topCount: z.number(),
  topBudgetMs: z.number(),
  topMaxActualMs: z.number(),
  lastAt: z.date(),
});
export type OverrunSummary = z.infer<typeof overrunSummaryRow>;

/** Per workflow: DEGRADED attempts in [start, end) and the budget overrun most often. */
export async function getBudgetOverrunSummary(db: Db, period: { start: Date; end: Date }): Promise<OverrunSummary[]> {
  const rows = await db.any(sql.type(overrunSummaryRow)`
    WITH o AS (
      SELECT workflow_id, started_at, x.scope, x.title, (x."budgetMs")::float8 AS budget, (x."actualMs")::float8 AS actual
      FROM execution_budget_overruns,
        jsonb_to_recordset(overruns) AS x(scope text, title text, "budgetMs" double precision, "actualMs" double precision)
      WHERE started_at >= ${period.start.toISOString()}::timestamptz AND started_at < ${period.end.toISOString()}::timestamptz
    ),
    attempts AS (
      SELECT workflow_id, count(*)::integer AS n, max(started_at) AS last_at FROM execution_budget_overruns
      WHERE started_at >= ${period.start.toISOString()}::timestamptz AND started_at < ${period.end.toISOString()}::timestamptz
      GROUP BY workflow_id
    ),
    targets AS (
      SELECT DISTINCT ON (workflow_id) workflow_id, CASE WHEN scope = 'total' THEN 'total' ELSE title END AS target,
        count(*)::integer AS n, max(budget) AS budget, max(actual) AS max_actual
      FROM o GROUP BY workflow_id, 2
      ORDER BY workflow_id, n DESC, max(actual) - max(budget) DESC, 2
    )
    SELECT a.workflow_id AS "workflowId", a.n AS overruns, t.target AS "topTarget", t.n AS "topCount",
      t.budget AS "topBudgetMs", t.max_actual AS "topMaxActualMs", a.last_at AS "lastAt"
    FROM attempts a JOIN targets t USING (workflow_id) ORDER BY a.workflow_id`);
  return [...rows];
}
