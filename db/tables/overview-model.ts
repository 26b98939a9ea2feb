// workflow_overview: the dashboard overview's read model, one row per workflow (migration
// 1780000001200). A row is recomputed from raw attempts when its workflow stored an attempt
// (workflow_overview_changes, kept by a trigger in the inserting transaction) or when an attempt
// it counts leaves its window; every other row is read as it is. So the overview is fresh (every
// committed attempt counts) and costs the attempts that changed, not the history.
import { z } from 'zod';
import { sql, type CommonQueryMethods } from 'slonik';
import { latestRow } from './execution-queries.ts';
import { workflowStateColumns } from './workflow-states.ts';

const HOUR_MS = 3_600_000;
/** A beat: [attempt id, started at (epoch ms), duration ms, status], oldest first. */
export type Beat = [number, number, number, string];
/** Attempts per workflow in the beat bar (within 7 days). */
export const BEATS = 50;

/**
 * Recomputes the rows whose workflow stored attempts since, or whose window lost an attempt, in
 * one statement (one snapshot: the counter it records and the rows it counts agree). Runs, by
 * final attempt, as db/tables/execution-stats.ts counts them. Returns the rows written.
 */
export async function refreshOverviewModel(db: CommonQueryMethods, now = new Date()): Promise<number> {
  const at = now.toISOString();
  const day = new Date(now.getTime() - 24 * HOUR_MS).toISOString();
  const week = new Date(now.getTime() - 168 * HOUR_MS).toISOString();
  // JIT compiling this plan (its LIMITs make the estimates large) costs seconds; running it, milliseconds.
  return db.transaction(async (tx) => {
    await tx.query(sql.type(z.object({}))`SET LOCAL jit = off`);
    return tx.oneFirst(sql.type(z.object({ n: z.number() }))`
    WITH due AS (
      SELECT c.workflow_id, c.stored FROM workflow_overview_changes c LEFT JOIN workflow_overview o USING (workflow_id)
      WHERE o.workflow_id IS NULL OR o.stored <> c.stored OR o.expires_at <= ${at}::timestamptz
    ),
    retries AS (
      -- The few retries (a partial index): each supersedes its test's earlier attempts in the run,
      -- found by the primary key. (LIMIT keeps each lateral a per-row index lookup: joined, the
      -- planner would merge-join the whole primary key.)
      SELECT r.* FROM due CROSS JOIN LATERAL (
        SELECT r.id, r.run_id, r.test_id, r.retry, r.started_at FROM workflow_executions r
        WHERE r.workflow_id = due.workflow_id AND r.retry > 0 AND r.started_at >= ${week}::timestamptz
          AND r.status <> 'skipped' LIMIT 10000) r
    ),
    superseded AS MATERIALIZED (
      SELECT p.id FROM retries r CROSS JOIN LATERAL (SELECT p.id FROM workflow_executions p
        WHERE p.run_id = r.run_id AND p.test_id = r.test_id AND p.retry < r.retry AND p.started_at <= r.started_at
          AND p.started_at >= ${week}::timestamptz LIMIT 100) p
    ),
    figures AS (
      -- Per due workflow, index-only through (workflow_id, started_at DESC), one row out. Final: no
      -- later non-skipped retry (a retry starts later, so within the 7 days read here), as
      -- execution-stats.ts finalAttempt says. Recent: the newest 50, whatever their status.
      SELECT due.workflow_id, due.stored, f.* FROM due CROSS JOIN LATERAL (
        SELECT count(*) FILTER (WHERE a.final AND a.started_at >= ${day}::timestamptz) AS runs_24h,
          count(*) FILTER (WHERE a.final AND a.started_at >= ${day}::timestamptz AND a.status = 'passed') AS passed_24h,
          count(*) FILTER (WHERE a.final AND a.started_at >= ${day}::timestamptz AND a.flaky) AS flaky_24h,
          percentile_cont(0.95) WITHIN GROUP (ORDER BY a.duration_ms)
            FILTER (WHERE a.final AND a.started_at >= ${day}::timestamptz) AS p95_ms_24h,
          count(*) FILTER (WHERE a.final) AS runs_7d,
          count(*) FILTER (WHERE a.final AND a.status = 'passed') AS passed_7d,
          -- The next moment a counted attempt or a beat leaves its window.
          least(min(a.started_at) FILTER (WHERE a.final AND a.started_at >= ${day}::timestamptz) + interval '24 hours',
            min(a.started_at) FILTER (WHERE a.final OR a.recent <= ${BEATS}) + interval '7 days') AS expires_at,
          coalesce(jsonb_agg(jsonb_build_array(a.id, floor(extract(epoch FROM a.started_at) * 1000)::bigint,
            a.duration_ms, a.status) ORDER BY a.started_at, a.id) FILTER (WHERE a.recent <= ${BEATS}), '[]') AS beats
        FROM (
          SELECT x.id, x.started_at, x.status, x.duration_ms, x.status <> 'skipped' AND s.id IS NULL AS final,
            x.status = 'passed' AND (x.outcome = 'flaky' OR r.id IS NOT NULL) AS flaky,
            row_number() OVER (ORDER BY x.started_at DESC, x.id DESC) AS recent
          FROM workflow_executions x LEFT JOIN superseded s ON s.id = x.id LEFT JOIN retries r ON r.id = x.id
          WHERE x.workflow_id = due.workflow_id AND x.started_at >= ${week}::timestamptz
        ) a
      ) f
    ),
    written AS (
      INSERT INTO workflow_overview AS o (workflow_id, stored, computed_at, expires_at, runs_24h, passed_24h, flaky_24h,
        p95_ms_24h, runs_7d, passed_7d, beats)
      SELECT workflow_id, stored, ${at}::timestamptz, expires_at, runs_24h, passed_24h, flaky_24h, p95_ms_24h, runs_7d,
        passed_7d, beats
      FROM figures ORDER BY workflow_id
      ON CONFLICT (workflow_id) DO UPDATE SET stored = EXCLUDED.stored, computed_at = EXCLUDED.computed_at,
        expires_at = EXCLUDED.expires_at, runs_24h = EXCLUDED.runs_24h, passed_24h = EXCLUDED.passed_24h,
        flaky_24h = EXCLUDED.flaky_24h, p95_ms_24h = EXCLUDED.p95_ms_24h, runs_7d = EXCLUDED.runs_7d,
        passed_7d = EXCLUDED.passed_7d, beats = EXCLUDED.beats
      RETURNING 1
    )
    SELECT count(*)::integer AS n FROM written`);
  });
}

/**
 * What the overview shows changes only when this does: attempts stored (the counters' sum grows
 * with every committed batch), the alert policy's states, the latest-attempt rows. `due` says a
 * counted attempt has left its window since the rows were computed.
 */
export async function overviewMarker(db: CommonQueryMethods, now = new Date()): Promise<{ key: string; due: boolean }> {
  return db.one(sql.type(z.object({ key: z.string(), due: z.boolean() }))`
    SELECT concat_ws('/', (SELECT coalesce(sum(stored), 0) FROM workflow_overview_changes),
      (SELECT count(*) FROM workflow_last_executions),
      (SELECT count(*) || ':' || coalesce(md5(string_agg(concat_ws(' ', workflow_id, state, consecutive_failures,
        extract(epoch FROM since)), ',' ORDER BY workflow_id)), '') FROM workflow_states)) AS key,
      EXISTS (SELECT 1 FROM workflow_overview WHERE expires_at <= ${now.toISOString()}::timestamptz) AS due`);
}

/** `shape`'s columns as a LEFT JOIN reads them: null where the joined row is missing. */
function orNull<T extends Record<string, z.ZodType>>(shape: T): { [K in keyof T]: z.ZodNullable<T[K]> } {
  return Object.fromEntries(Object.entries(shape).map(([k, v]) => [k, v.nullable()])) as {
    [K in keyof T]: z.ZodNullable<T[K]>;
  };
}

/**
 * A tile's row, as readOverviewModel reads it: the workflow's latest attempt, its policy state and
 * its figures here, each null where the workflow has none yet (beats as their JSON text).
 */
export const overviewRow = z.object({
  workflowId: z.string(),
  ...orNull(latestRow.omit({ workflowId: true, runId: true, testId: true, retry: true }).shape),
  ...orNull(workflowStateColumns.pick({ state: true, since: true, consecutiveFailures: true }).shape),
  ...orNull({
    runs24h: z.number(),
    passed24h: z.number(),
    flaky24h: z.number(),
    p95Ms24h: z.number(),
    runs7d: z.number(),
    passed7d: z.number(),
  }),
});
export type OverviewRow = z.infer<typeof overviewRow>;

/** Every workflow named in `ids` or with a latest attempt: its latest attempt, policy state and figures (no beats). */
export async function readOverviewModel(db: CommonQueryMethods, ids: readonly string[]): Promise<OverviewRow[]> {
  const rows = await db.any(sql.type(overviewRow)`
    SELECT w.id AS "workflowId", l.execution_id AS "executionId", l.name, l.priority, l.status, l.outcome,
      l.started_at AS "startedAt", l.duration_ms AS "durationMs", l.error, l.failed_step AS "failedStep",
      s.state, s.since, s.consecutive_failures AS "consecutiveFailures", o.runs_24h AS "runs24h",
      o.passed_24h AS "passed24h", o.flaky_24h AS "flaky24h", o.p95_ms_24h AS "p95Ms24h", o.runs_7d AS "runs7d",
      o.passed_7d AS "passed7d"
    FROM (SELECT unnest(${sql.array(ids, 'text')}::text[]) UNION SELECT workflow_id FROM workflow_last_executions) w(id)
    LEFT JOIN workflow_last_executions l ON l.workflow_id = w.id
    LEFT JOIN workflow_states s ON s.workflow_id = w.id
    LEFT JOIN workflow_overview o ON o.workflow_id = w.id
    ORDER BY w.id`);
  return [...rows];
}

/** The beat bars of the given workflows (a page of tiles), from the read model. */
export async function readOverviewBeats(db: CommonQueryMethods, ids: readonly string[]): Promise<Map<string, Beat[]>> {
  const rows = await db.any(sql.type(z.object({ workflowId: z.string(), beats: z.string() }))`
    SELECT workflow_id AS "workflowId", beats::text AS beats FROM workflow_overview
    WHERE workflow_id = ANY(${sql.array(ids, 'text')}::text[])`);
  return new Map(rows.map((r) => [r.workflowId, JSON.parse(r.beats) as Beat[]]));
}

/** A tile's location (issue 16): its latest attempt there. */
export type LocationLast = { location: string; status: string; startedAt: string; executionId: number };
/** Attempts per workflow read for the locations line: every active location runs among the latest ones. */
export const LOCATION_ATTEMPTS = 200;

/**
 * Per workflow of `ids` (a page of tiles), each location among its latest LOCATION_ATTEMPTS attempts
 * within 7 days, with its latest attempt there; by location. Index-only through
 * (workflow_id, started_at DESC): a page costs its tiles, not the history.
 */
export async function readOverviewLocations(
  db: CommonQueryMethods,
  ids: readonly string[],
  now = new Date(),
): Promise<Map<string, LocationLast[]>> {
  const week = new Date(now.getTime() - 168 * HOUR_MS).toISOString();
  const rows = await db.any(sql.type(
    z.object({ workflowId: z.string(), location: z.string(), status: z.string(), startedAt: z.date(), id: z.number() }),
  )`
    SELECT DISTINCT ON (w.id, a.location) w.id AS "workflowId", a.location, a.status, a.started_at AS "startedAt", a.id
    FROM unnest(${sql.array(ids, 'text')}::text[]) w(id) CROSS JOIN LATERAL (
      SELECT x.id, x.location, x.status, x.started_at FROM workflow_executions x
      WHERE x.workflow_id = w.id AND x.started_at >= ${week}::timestamptz AND x.status <> 'skipped'
      ORDER BY x.started_at DESC, x.id DESC LIMIT ${LOCATION_ATTEMPTS}) a
    ORDER BY w.id, a.location, a.started_at DESC, a.id DESC`);
  const out = new Map<string, LocationLast[]>();
  for (const r of rows) {
    const list = out.get(r.workflowId) ?? [];
    list.push({ location: r.location, status: r.status, startedAt: r.startedAt.toISOString(), executionId: r.id });
    out.set(r.workflowId, list);
  }
  for (const list of out.values())
    list.sort((a, b) => (a.location < b.location ? -1 : a.location > b.location ? 1 : 0));
  return out;
}
