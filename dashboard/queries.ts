// The dashboard's reads. Each is bounded by an index: per workflow the newest rows through
// (workflow_id, started_at DESC); the overview from its read model (db/tables/overview-model.ts).
import { z } from 'zod';
import { getExecutionEvidence } from '../db/tables/execution-evidence.ts';
import { sql, type CommonQueryMethods } from 'slonik';
import {
  getExecutions,
  getExecutionSteps,
  getLatestExecutions,
  type ExecutionRow,
} from '../db/tables/execution-queries.ts';
import { getNotificationLogs } from '../db/tables/notification-logs.ts';
import { getReports } from '../db/tables/reports.ts';
import { readOverviewModel, refreshOverviewModel, type OverviewRow } from '../db/tables/overview-model.ts';
import { maxPayloadBytes } from '../db/tables/storable.ts';

export type ScheduleInfo = {
  workflowId: string;
  title: string;
  priority: string;
  tags: string[];
  cron: string;
  description: string;
  /** Consecutive failed runs that make the workflow DOWN (and alert), from the alert policy. */
  alertAfterFailures?: number;
};

/**
 * The tile's state: the alert policy's (up, down, flaky), except that an UP workflow whose
 * last runs failed, short of the alert threshold, is `failing`: not green, not yet DOWN.
 */
export function tileState(
  state: { state: string; consecutiveFailures: number } | undefined,
  lastStatus: string | undefined,
  alertAfter: number | null,
) {
  if (!state)
    return {
      state: lastStatus === undefined ? 'unknown' : lastStatus === 'passed' ? 'up' : 'down',
      failures: null,
      alertAfter,
    };
  if (state.state === 'up' && state.consecutiveFailures > 0)
    return { state: 'failing', failures: state.consecutiveFailures, alertAfter };
  return { state: state.state, failures: state.consecutiveFailures, alertAfter };
}

/**
 * Every tile, fresh: the read model's rows that changed are recomputed from raw attempts
 * (db/tables/overview-model.ts), then one query reads every tile. The beat bars are read for the
 * tiles a page shows (overview-route.ts, readOverviewBeats).
 */
export async function overview(db: CommonQueryMethods, schedules: readonly ScheduleInfo[], now = new Date()) {
  await refreshOverviewModel(db, now);
  const rows = await readOverviewModel(
    db,
    schedules.map((s) => s.workflowId),
  );
  return { ...tilesOf(rows, schedules), generatedAt: now.toISOString() };
}

/** The tiles from the rows (read model or, in the benchmark's baseline, raw attempts), and their version. */
export function tilesOf(rows: readonly OverviewRow[], schedules: readonly ScheduleInfo[]) {
  // Maps, not finds: a thousand workflows must not cost a million comparisons.
  const scheduleOf = new Map(schedules.map((s) => [s.workflowId, s]));
  let newest = -1;
  let latest = 0;
  const rate = (passed: number | null, runs: number | null) => (runs ? (passed ?? 0) / runs : null);
  const workflows = rows.map((r) => {
    const schedule = scheduleOf.get(r.workflowId);
    if (r.executionId !== null) {
      latest++;
      newest = Math.max(newest, r.executionId);
    }
    const state = r.state !== null ? { state: r.state, consecutiveFailures: r.consecutiveFailures ?? 0 } : undefined;
    const tile = tileState(state, r.status ?? undefined, schedule?.alertAfterFailures ?? null);
    return {
      id: r.workflowId,
      name: schedule?.title ?? r.name ?? r.workflowId,
      priority: schedule?.priority ?? r.priority ?? 'medium',
      tags: schedule?.tags ?? [],
      schedule: schedule ? { cron: schedule.cron, description: schedule.description } : null,
      state: tile.state,
      consecutiveFailures: tile.failures,
      alertAfterFailures: tile.alertAfter,
      since: r.since?.toISOString() ?? null,
      last:
        r.executionId !== null && r.status !== null && r.startedAt !== null
          ? {
              executionId: r.executionId,
              status: r.status,
              startedAt: r.startedAt.toISOString(),
              durationMs: r.durationMs,
              error: r.error,
              failedStep: r.failedStep,
            }
          : null,
      successRate24h: rate(r.passed24h, r.runs24h),
      successRate7d: rate(r.passed7d, r.runs7d),
      runs24h: r.runs24h ?? 0,
      flaky24h: r.flaky24h ?? 0,
      p95Ms24h: r.p95Ms24h,
    };
  });
  // As latestVersion computes it, from the same rows.
  return { version: latest === 0 ? '0' : `${newest}-${latest}`, workflows };
}
export type OverviewTile = Awaited<ReturnType<typeof overview>>['workflows'][number];

/** Changes whenever an attempt is stored: the page polls it to update without a reload. */
export async function latestVersion(db: CommonQueryMethods): Promise<string> {
  const row = await db.maybeOne(sql.type(z.object({ v: z.string().nullable() }))`
    SELECT max(execution_id)::text || '-' || count(*)::text AS v FROM workflow_last_executions`);
  return row?.v ?? '0';
}

const publicExecution = (e: ExecutionRow) => ({
  id: e.id,
  runId: e.runId,
  retry: e.retry,
  workflowId: e.workflowId,
  name: e.name,
  priority: e.priority,
  status: e.status,
  outcome: e.outcome,
  startedAt: e.startedAt.toISOString(),
  durationMs: e.durationMs,
  totalSteps: e.totalSteps,
  failedStep: e.failedStep,
  error: e.error,
  hasTrace: e.tracePath !== null,
  hasScreenshot: e.screenshotPath !== null,
  location: e.location,
});

export async function workflowDetail(
  db: CommonQueryMethods,
  workflowId: string,
  hours: number,
  now = new Date(),
  title?: string,
) {
  const since = new Date(now.getTime() - hours * 3_600_000);
  const rows = await getExecutions(db, { workflowId, since, limit: 2_000 });
  // A run counts once, by its final attempt: the newest retry of its test (rows are newest first).
  const seen = new Set<string>();
  const final = rows.map((e) => {
    const key = `${e.runId}\n${e.testId}`;
    const first = !seen.has(key);
    seen.add(key);
    return first;
  });
  const stepTimes =
    rows.length === 0
      ? []
      : await db.any(sql.type(
          z.object({ title: z.string(), avgMs: z.number(), p95Ms: z.number(), failures: z.number() }),
        )`
    SELECT s.title, avg(s.duration_ms)::float8 AS "avgMs",
      percentile_cont(0.95) WITHIN GROUP (ORDER BY s.duration_ms)::float8 AS "p95Ms", count(*) FILTER (WHERE s.error IS NOT NULL)::int AS failures
    FROM workflow_steps s JOIN workflow_executions e ON e.id = s.execution_id AND e.started_at = s.started_at
    WHERE e.workflow_id = ${workflowId} AND e.started_at >= ${since.toISOString()}::timestamptz AND s.started_at >= ${since.toISOString()}::timestamptz
    GROUP BY s.title, s.step_index ORDER BY s.step_index`);
  const vitals =
    rows.length === 0
      ? []
      : await db.any(sql.type(
          z.object({
            at: z.date(),
            lcpMs: z.number().nullable(),
            ttfbMs: z.number().nullable(),
            cls: z.number().nullable(),
            location: z.string(),
          }),
        )`
    SELECT m.started_at AS at, m.lcp_ms::float8 AS "lcpMs", m.ttfb_ms::float8 AS "ttfbMs", m.cls::float8 AS cls, e.location
    FROM workflow_metrics m JOIN workflow_executions e ON e.id = m.execution_id AND e.started_at = m.started_at
    WHERE e.workflow_id = ${workflowId} AND m.started_at >= ${since.toISOString()}::timestamptz ORDER BY m.started_at LIMIT 2000`);
  return {
    workflowId,
    name:
      title ??
      rows[0]?.name ??
      (await getLatestExecutions(db)).find((l) => l.workflowId === workflowId)?.name ??
      workflowId,
    hours,
    /** The window the charts cover, whatever the data. */
    since: since.toISOString(),
    until: now.toISOString(),
    executions: rows.map((e, i) => ({ ...publicExecution(e), final: final[i] })),
    steps: stepTimes,
    vitals: vitals.map((v) => ({
      at: v.at.toISOString(),
      lcpMs: v.lcpMs,
      ttfbMs: v.ttfbMs,
      cls: v.cls,
      location: v.location,
    })),
    /** Where its attempts in the window ran from, sorted: more than one, and the charts split by location. */
    locations: [...new Set(rows.map((e) => e.location))].sort(),
  };
}

/** One attempt by id and start time (the start time prunes the partitions to one). */
export async function executionDetail(db: CommonQueryMethods, id: number, at: Date) {
  const [execution] = (await getExecutions(db, { since: at, until: new Date(at.getTime() + 1), limit: 10_000 })).filter(
    (e) => e.id === id,
  );
  if (!execution) return null;
  const [steps, health, evidence] = await Promise.all([
    getExecutionSteps(db, { id, startedAt: at }),
    // A payload stored before payloads were capped (db/tables/storable.ts) is never sent whole.
    db.maybeOneFirst(sql.type(
      z.object({ h: z.unknown() }),
    )`SELECT (to_jsonb(h) - 'execution_id' - 'started_at' - 'payload')
        || jsonb_build_object('payload', CASE WHEN octet_length(h.payload::text) > ${maxPayloadBytes}
          THEN jsonb_build_object('truncated', format('[payload of %s bytes not sent: over the %s-byte limit]', octet_length(h.payload::text), ${maxPayloadBytes}::int),
            'originalBytes', octet_length(h.payload::text))
          ELSE h.payload END) AS h
      FROM system_health_checks h
      WHERE h.execution_id = ${id} AND h.started_at = ${at.toISOString()}::timestamptz LIMIT 1`),
    getExecutionEvidence(db, { id, startedAt: at }),
  ]);
  return {
    execution: publicExecution(execution),
    steps,
    health: health ?? null,
    cause: evidence?.cause ?? null,
    causeLine: evidence?.causeLine ?? null,
    evidence: evidence?.evidence ?? [],
  };
}

/** The newest attempt (last retry) of a workflow in a run: what an alert's link names. */
export async function attemptOfRun(
  db: CommonQueryMethods,
  runId: string,
  workflowId: string,
): Promise<{ id: number; at: Date } | null> {
  return db.maybeOne(sql.type(z.object({ id: z.number(), at: z.date() }))`
    SELECT id, started_at AS at FROM workflow_executions WHERE run_id = ${runId} AND workflow_id = ${workflowId}
    ORDER BY retry DESC, started_at DESC LIMIT 1`);
}

/** The stored artifact path of an attempt, or null. */
export async function artifactPath(
  db: CommonQueryMethods,
  id: number,
  at: Date,
  kind: 'trace' | 'screenshot',
): Promise<string | null> {
  const row = await db.maybeOne(sql.type(z.object({ p: z.string().nullable() }))`
    SELECT ${sql.identifier([kind === 'trace' ? 'trace_path' : 'screenshot_path'])} AS p
    FROM workflow_executions WHERE id = ${id} AND started_at = ${at.toISOString()}::timestamptz`);
  return row?.p ?? null;
}

export async function notifications(db: CommonQueryMethods) {
  return (await getNotificationLogs(db, { limit: 50 })).map((n) => ({ ...n, createdAt: n.createdAt.toISOString() }));
}

export async function latestReports(db: CommonQueryMethods) {
  return getReports(db, { limit: 10 });
}
