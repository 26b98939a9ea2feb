// Retention tiers: raw attempts (with steps, metrics, health) for `days`, hourly aggregates for
// `aggregateDays`, traces and screenshots only of failed or flaky attempts for `artifactDays`.
// Raw days go as whole partitions (rolled up first); everything else in bounded batches so no
// statement holds locks for long.
import { z } from 'zod';
import { sql, type CommonQueryMethods } from 'slonik';
import { rollupAggregates } from './aggregates.ts';
import { sweepArtifacts } from './artifacts.ts';
import { dropPartitionsBefore, ensureUpcomingPartitions, listPartitionDays } from './partitions.ts';

const DAY_MS = 86_400_000;

export type CleanupOptions = {
  /** RETENTION_DAYS: raw attempts, steps, metrics, health checks, runs, notification logs. */
  days?: number;
  /** AGGREGATE_RETENTION_DAYS: hourly aggregates and reports. */
  aggregateDays?: number;
  /** ARTIFACT_RETENTION_DAYS: trace and screenshot references and files. */
  artifactDays?: number;
  /** The durable artifacts folder; files are only ever deleted inside it. */
  artifactsDir?: string | null;
  batchSize?: number;
  /** Unreferenced files younger than this are kept (default one hour). */
  artifactGraceMs?: number;
  now?: Date;
};

export type CleanupResult = {
  executions: number;
  steps: number;
  metrics: number;
  /** Budget overruns of passing attempts (notifiers/assess/), on the raw tier. */
  budgetOverruns: number;
  healthChecks: number;
  droppedDays: string[];
  aggregatedRows: number;
  runs: number;
  notificationLogs: number;
  latestExecutions: number;
  reports: number;
  aggregates: number;
  artifactReferencesCleared: number;
  artifactFiles: number;
};

const countRow = z.object({ n: z.number() });

async function inBatches(step: () => Promise<number>, batchSize: number): Promise<number> {
  let total = 0;
  // Bounded: a table can't need more batches than this between two daily runs.
  for (let i = 0; i < 100_000; i++) {
    const n = await step();
    total += n;
    if (n < batchSize) break;
  }
  return total;
}

// What the batched deletes remove: the table, its key, and the column that dates a row.
type PurgeTarget = { table: string; keys: readonly string[]; column: string };
const runsByStart = { table: 'monitor_runs', keys: ['run_id'], column: 'started_at' };
const logsByCreation = { table: 'notification_logs', keys: ['id'], column: 'created_at' };
const overrunsByStart = {
  table: 'execution_budget_overruns',
  keys: ['run_id', 'test_id', 'retry', 'started_at'],
  column: 'started_at',
};
const reportsByPeriodEnd = { table: 'monitoring_reports', keys: ['id'], column: 'period_end' };
const aggregatesByHour = { table: 'workflow_hourly_aggregates', keys: ['workflow_id', 'hour'], column: 'hour' };

/** Deletes, `batchSize` at a time, the rows of `table` whose `column` is before `cutoff`. */
function deleteBefore(db: CommonQueryMethods, target: PurgeTarget, cutoff: string, batchSize: number): Promise<number> {
  const table = sql.identifier([target.table]);
  const keys = sql.join(
    target.keys.map((k) => sql.identifier([k])),
    sql.fragment`, `,
  );
  const column = sql.identifier([target.column]);
  return inBatches(
    () =>
      db.oneFirst(sql.type(countRow)`
    WITH gone AS (DELETE FROM ${table} WHERE (${keys}) IN (
      SELECT ${keys} FROM ${table} WHERE ${column} < ${cutoff}::timestamptz LIMIT ${batchSize}) RETURNING 1)
    SELECT count(*)::integer AS n FROM gone`),
    batchSize,
  );
}

function positive(name: string, value: number): number {
  if (!Number.isFinite(value) || value < 1) throw new RangeError(`${name} must be at least 1 day, got ${value}`);
  return value;
}

/**
 * Applies every retention tier once and returns what went. Safe to run concurrently with
 * ingestion; run it daily (the daemon's housekeeping does).
 */
export async function cleanupOldRecords(db: CommonQueryMethods, options: CleanupOptions = {}): Promise<CleanupResult> {
  const now = options.now ?? new Date();
  const days = positive('days', options.days ?? 30);
  const aggregateDays = positive('aggregateDays', options.aggregateDays ?? 400);
  const artifactDays = positive('artifactDays', options.artifactDays ?? 14);
  const batch = options.batchSize ?? 5000;
  const rawCutoff = new Date(now.getTime() - days * DAY_MS);
  // Whole UTC days only: rows live between `days` and `days + 1` days.
  const dayCutoff = new Date(Math.floor(rawCutoff.getTime() / DAY_MS) * DAY_MS);
  const aggregateCutoff = new Date(now.getTime() - aggregateDays * DAY_MS);
  const artifactCutoff = new Date(now.getTime() - artifactDays * DAY_MS);

  const doomed = (await listPartitionDays(db)).filter(
    (d) => Date.parse(`${d}T00:00:00Z`) + DAY_MS <= dayCutoff.getTime(),
  );
  const first = doomed[0];
  const aggregatedRows =
    first === undefined ? 0 : await rollupAggregates(db, { from: new Date(`${first}T00:00:00Z`), to: dayCutoff });
  const dropped = await dropPartitionsBefore(db, dayCutoff);
  const droppedRows = (table: string) =>
    dropped.filter((d) => d.tableName === table).reduce((s, d) => s + d.rowCount, 0);

  const purge = (target: PurgeTarget, cutoff: string) => deleteBefore(db, target, cutoff, batch);
  const raw = rawCutoff.toISOString();
  const runs = await purge(runsByStart, raw);
  const notificationLogs = await purge(logsByCreation, raw);
  const budgetOverruns = await purge(overrunsByStart, raw);
  const latestExecutions = await db.oneFirst(sql.type(countRow)`
    WITH gone AS (DELETE FROM workflow_last_executions WHERE started_at < ${raw}::timestamptz RETURNING 1)
    SELECT count(*)::integer AS n FROM gone`);

  const agg = aggregateCutoff.toISOString();
  const reports = await purge(reportsByPeriodEnd, agg);
  const aggregates = await purge(aggregatesByHour, agg);

  // Artifacts are worth keeping only for attempts that failed or were flaky, and only for a while.
  const art = artifactCutoff.toISOString();
  const artifactReferencesCleared = await inBatches(
    () =>
      db.oneFirst(sql.type(countRow)`
    WITH doomed AS (
      SELECT run_id, test_id, retry, started_at FROM workflow_executions
      WHERE (trace_path IS NOT NULL OR screenshot_path IS NOT NULL)
        AND (started_at < ${art}::timestamptz OR (status IN ('passed', 'skipped') AND outcome <> 'flaky'))
      LIMIT ${batch}
    ), cleared AS (
      UPDATE workflow_executions e SET trace_path = NULL, screenshot_path = NULL FROM doomed d
      WHERE (e.run_id, e.test_id, e.retry, e.started_at) = (d.run_id, d.test_id, d.retry, d.started_at)
      RETURNING 1
    )
    SELECT count(*)::integer AS n FROM cleared`),
    batch,
  );
  const artifactFiles = options.artifactsDir
    ? await sweepArtifacts(db, {
        artifactsDir: options.artifactsDir,
        now,
        graceMs: options.artifactGraceMs ?? 3_600_000,
      })
    : 0;

  await ensureUpcomingPartitions(db, 2, now);
  return {
    executions: droppedRows('workflow_executions'),
    budgetOverruns,
    steps: droppedRows('workflow_steps'),
    metrics: droppedRows('workflow_metrics'),
    healthChecks: droppedRows('system_health_checks'),
    droppedDays: [...new Set(dropped.map((d) => d.day))].sort(),
    aggregatedRows,
    runs,
    notificationLogs,
    latestExecutions,
    reports,
    aggregates,
    artifactReferencesCleared,
    artifactFiles,
  };
}
