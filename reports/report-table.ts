// The CLI's list of stored reports: one line each, newest first, the figures a person scans.
import type { StoredReport } from '../db/tables/reports.ts';
import { count, ms, pct, points, utc } from './format.ts';

const columns = [
  'report',
  'period (UTC)',
  'executions',
  'success',
  'trend',
  'failed',
  'flaky',
  'avg',
  'p95',
  'critical',
  'recs',
] as const;
// Every column after the report's id and period is a figure.
const rightAligned = new Set<string>(columns.slice(2));

export function reportRow(r: StoredReport): Record<(typeof columns)[number], string> {
  return {
    report: r.reportId,
    'period (UTC)': `${utc(r.periodStart).slice(0, 16)} → ${utc(r.periodEnd).slice(0, 16)}`,
    executions: count(r.totalExecutions),
    success: r.totalExecutions === 0 ? '-' : pct(r.successRate),
    trend: points(r.successRateTrend),
    failed: count(r.failedExecutions),
    flaky: count(r.flakyExecutions),
    avg: ms(r.avgDurationMs),
    p95: ms(r.p95DurationMs),
    critical: count(r.criticalIssues),
    recs: count(r.recommendations.length),
  };
}

export function formatReportTable(reports: readonly StoredReport[]): string {
  if (reports.length === 0) return 'No reports yet. Generate one with: npm run monitor:reports -- --generate daily';
  const rows = reports.map(reportRow);
  const width = (c: (typeof columns)[number]) => Math.max(c.length, ...rows.map((r) => r[c].length));
  const line = (values: (c: (typeof columns)[number]) => string) =>
    columns
      .map((c) => (rightAligned.has(c) ? values(c).padStart(width(c)) : values(c).padEnd(width(c))))
      .join('  ')
      .trimEnd();
  return [line((c) => c), line((c) => '-'.repeat(width(c))), ...rows.map((r) => line((c) => r[c]))].join('\n');
}
