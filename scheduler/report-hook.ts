// Hourly and daily reports from the daemon's housekeeping: reports/generate.ts does the work;
// the daemon adds what only it knows, the discovered schedules (for missed runs) and its channels.
import type { DatabasePool } from '../db/pool.ts';
import type { ReportKind } from '../db/tables/reports.ts';
import type { Notifier } from '../notifiers/delivery/deliver.ts';
import type { ResolvedSchedule } from './schedules.ts';

export async function runReportHook(
  pool: DatabasePool,
  kind: ReportKind,
  periodEnd: Date,
  notifier: Notifier | undefined,
  log: (line: string) => void,
  schedules: readonly ResolvedSchedule[] = [],
  timezone?: string,
): Promise<'generated'> {
  const catalog = schedules.map((s) => ({
    id: s.workflowId,
    name: s.title,
    schedule: s.cron,
    ...(timezone ? { timezone } : {}),
  }));
  // reports/ loads when the first report is due, not with the daemon.
  const { generateReport } = await import('../reports/generate.ts');
  const result = await generateReport(pool, { kind, periodEnd, catalog, ...(notifier ? { notifier } : {}) });
  for (const problem of result.problems) log(`report (${kind}): ${problem}`);
  return 'generated';
}
