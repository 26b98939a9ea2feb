// The hook for hourly and daily reports. reports/generate.ts (being written elsewhere) exports
// `generateReport(pool, { kind, periodEnd, notifier })`; until it exists the hook logs that it
// skipped. Loaded by path so the daemon builds and runs with or without it.
import { access } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { DatabasePool } from '../db/pool.ts';
import type { ReportKind } from '../db/reports.ts';
import type { Notifier } from '../notifiers/deliver.ts';

type GenerateReport = (pool: DatabasePool, options: { kind: ReportKind; periodEnd: Date; notifier?: Notifier }) => Promise<unknown>;

export const reportModulePath = path.resolve(import.meta.dirname, '..', 'reports', 'generate.ts');

export async function runReportHook(pool: DatabasePool, kind: ReportKind, periodEnd: Date, notifier: Notifier | undefined,
  log: (line: string) => void): Promise<'generated' | 'skipped'> {
  if (!(await access(reportModulePath).then(() => true, () => false))) {
    log(`report hook (${kind}): reports/generate.ts is not there yet; skipped`);
    return 'skipped';
  }
  const mod = await import(pathToFileURL(reportModulePath).href) as { generateReport?: GenerateReport };
  if (typeof mod.generateReport !== 'function') {
    log(`report hook (${kind}): reports/generate.ts has no generateReport export; skipped`);
    return 'skipped';
  }
  await mod.generateReport(pool, { kind, periodEnd, ...(notifier ? { notifier } : {}) });
  return 'generated';
}
