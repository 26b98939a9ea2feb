// Housekeeping on pg-boss's schedule() (minute granularity is plenty for hourly work, and its
// cron pass sends each occurrence once however many daemons run): reports, retention,
// aggregates roll-up and missed-run detection. The outbox is replayed by every daemon on a
// local timer instead, because the outbox is a folder on each daemon's own machine.
import type { PgBoss } from 'pg-boss';
import { rollupAggregates } from '../db/tables/aggregates.ts';
import { insertExecutions } from '../db/tables/executions.ts';
import { insertSpooledNotifications } from '../db/tables/notification-logs.ts';
import { replayOutbox, type OutboxEntry } from '../db/outbox.ts';
import type { DatabasePool } from '../db/pool.ts';
import { cleanupOldRecords } from '../db/tables/retention.ts';
import { upsertRun } from '../db/tables/runs.ts';
import { pruneAlertMarks } from '../db/tables/scheduler-alert-marks.ts';
import { pruneSlotRuns } from '../db/slot-runs.ts';
import type { ExecutionRecord, RunRecord } from '../core/records.ts';
import type { RetentionConfig } from '../config/retention.ts';
import type { AlertSender } from './alerts.ts';
import type { SchedulerMetrics } from './metrics.ts';
import { checkMissedRuns } from './missed-run-alerts.ts';
import { runReportHook } from './report-hook.ts';
import type { ResolvedSchedule } from './schedules.ts';

export const housekeepingJobs = {
  'wm-report-hourly': '2 * * * *',
  'wm-report-daily': '7 0 * * *',
  'wm-retention': '30 3 * * *',
  'wm-rollup': '12 * * * *',
  'wm-missed-runs': '*/5 * * * *',
} as const;
export type HousekeepingJob = keyof typeof housekeepingJobs;

export type HousekeepingDeps = {
  pool: () => DatabasePool | null;
  retention: RetentionConfig;
  schedules: () => readonly ResolvedSchedule[];
  watchingSince: Date;
  timezone?: string | undefined;
  alerts: AlertSender;
  metrics: SchedulerMetrics;
  log: (line: string) => void;
};

/** The reporter's outbox apply (reporters/persistence.ts), re-done here with db/ functions only. */
export async function applyOutboxEntries(pool: DatabasePool, entries: OutboxEntry[]): Promise<void> {
  const executions = entries.filter((e) => e.kind === 'execution').map((e) => e.record as ExecutionRecord);
  const runs = new Map(
    entries.filter((e) => e.kind === 'run').map((e) => [(e.record as RunRecord).runId, e.record as RunRecord]),
  );
  for (const run of runs.values()) await upsertRun(pool, run);
  if (executions.length) await insertExecutions(pool, executions);
  await insertSpooledNotifications(pool, entries);
}

/** `onExecutions`: the replayed executions, for the alert policy (Alerting.onReplayed). */
export async function replayLocalOutbox(
  pool: DatabasePool,
  stateDir: string,
  log: (line: string) => void,
  onExecutions?: (executions: ExecutionRecord[]) => Promise<unknown>,
): Promise<number> {
  const replayed: ExecutionRecord[] = [];
  const result = await replayOutbox(stateDir, async (entries) => {
    await applyOutboxEntries(pool, entries);
    replayed.push(...entries.flatMap((e) => (e.kind === 'execution' ? [e.record] : [])));
  });
  if (result.entries) log(`outbox: replayed ${result.entries} row(s) from ${result.files} file(s)`);
  if (result.deadLettered)
    log(`outbox: ${result.deadLettered} entr(y/ies) refused by PostgreSQL moved to outbox/dead/`);
  if (replayed.length && onExecutions) await onExecutions(replayed);
  return result.entries;
}

export async function runHousekeeping(job: HousekeepingJob, deps: HousekeepingDeps, now = new Date()): Promise<void> {
  const pool = deps.pool();
  if (!pool) throw new Error('no database connection');
  switch (job) {
    case 'wm-report-hourly':
    case 'wm-report-daily':
      await runReportHook(
        pool,
        job === 'wm-report-hourly' ? 'hourly' : 'daily',
        now,
        deps.alerts.notifier,
        deps.log,
        deps.schedules(),
        deps.timezone,
      );
      return;
    case 'wm-retention': {
      const r = deps.retention;
      const result = await cleanupOldRecords(pool, {
        days: r.days,
        aggregateDays: r.aggregateDays,
        artifactDays: r.artifactDays,
        artifactsDir: r.artifactsDir,
      });
      await pruneAlertMarks(pool, new Date(now.getTime() - r.days * 86_400_000));
      await pruneSlotRuns(pool, new Date(now.getTime() - r.days * 86_400_000));
      deps.log(`retention: ${JSON.stringify(result)}`);
      return;
    }
    case 'wm-rollup':
      deps.log(`rollup: ${await rollupAggregates(pool)} hourly row(s)`);
      return;
    case 'wm-missed-runs': {
      const sent = await checkMissedRuns(deps, pool, now);
      if (sent.alerts) deps.log(`missed runs: ${sent.alerts} alert(s) sent`);
      if (sent.recoveries) deps.log(`missed runs: ${sent.recoveries} recover(y/ies) sent, the workflows run again`);
      return;
    }
  }
}

export async function registerHousekeeping(boss: PgBoss, deps: HousekeepingDeps): Promise<void> {
  for (const [name, cron] of Object.entries(housekeepingJobs) as [HousekeepingJob, string][]) {
    await boss.createQueue(name, { policy: 'singleton', retryLimit: 1, expireInSeconds: 1800 });
    await boss.schedule(name, cron, {}, { retryLimit: 1 });
    await boss.work(name, { pollingIntervalSeconds: 5 }, async () => {
      try {
        await runHousekeeping(name, deps);
        deps.metrics.housekeeping.inc({ job: name, result: 'ok' });
      } catch (error) {
        deps.metrics.housekeeping.inc({ job: name, result: 'failed' });
        deps.log(`housekeeping ${name} failed: ${(error as Error).message}`);
        throw error;
      }
    });
  }
}
