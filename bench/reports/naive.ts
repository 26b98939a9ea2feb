// The baseline a report is usually written as first (the runbook's storage.getWorkflowExecutions
// then reduce in application code): load every attempt of both periods and the period's health
// checks, group and sort in JavaScript. Same definitions as reports/ (per attempt, skipped
// excluded, percentile_cont's interpolation), so its figures can be checked against ours.
import { sql, type DatabasePool } from 'slonik';
import { z } from 'zod';
import { percentileOfSorted } from '../../notifiers/assess/robust-stats.ts';

const any = z.object({}).passthrough();

type Row = {
  workflow_id: string;
  status: string;
  outcome: string;
  retry: number;
  duration_ms: number;
  priority: string;
  error: string | null;
  failed_step: string | null;
};

export type NaiveTotals = {
  executions: number;
  passed: number;
  failed: number;
  flaky: number;
  runs: number;
  avgDurationMs: number | null;
  p95DurationMs: number | null;
  criticalFailures: number;
};
export type NaiveWorkflow = NaiveTotals & { workflowId: string; p95PassedMs: number | null; topError: string | null };

function summarize(rows: readonly Row[]): NaiveTotals & { p95PassedMs: number | null } {
  const counted = rows.filter((r) => r.status !== 'skipped');
  const durations = counted.map((r) => r.duration_ms).sort((a, b) => a - b);
  const passedDurations = counted
    .filter((r) => r.status === 'passed')
    .map((r) => r.duration_ms)
    .sort((a, b) => a - b);
  const passed = passedDurations.length;
  return {
    executions: counted.length,
    passed,
    failed: counted.length - passed,
    flaky: counted.filter((r) => r.status === 'passed' && r.outcome === 'flaky').length,
    runs: counted.filter((r) => r.retry === 0).length,
    avgDurationMs: counted.length ? durations.reduce((a, b) => a + b, 0) / counted.length : null,
    p95DurationMs: percentileOfSorted(durations, 0.95),
    p95PassedMs: percentileOfSorted(passedDurations, 0.95),
    criticalFailures: counted.filter((r) => r.status !== 'passed' && r.priority === 'critical').length,
  };
}

function topOf(values: readonly string[]): string | null {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0] ?? null;
}

async function load(pool: DatabasePool, start: Date, end: Date): Promise<Row[]> {
  const rows = await pool.any(sql.type(any)`
    SELECT workflow_id, status, outcome, retry, duration_ms, priority, error, failed_step FROM workflow_executions
    WHERE started_at >= ${start.toISOString()}::timestamptz AND started_at < ${end.toISOString()}::timestamptz`);
  return rows as unknown as Row[];
}

function byWorkflow(rows: readonly Row[]): Map<string, Row[]> {
  const groups = new Map<string, Row[]>();
  for (const r of rows) {
    const list = groups.get(r.workflow_id) ?? [];
    list.push(r);
    groups.set(r.workflow_id, list);
  }
  return groups;
}

export async function naiveReport(pool: DatabasePool, period: { start: Date; end: Date }) {
  const length = period.end.getTime() - period.start.getTime();
  const [current, previous, health] = await Promise.all([
    load(pool, period.start, period.end),
    load(pool, new Date(period.start.getTime() - length), period.start),
    pool.any(sql.type(
      any,
    )`SELECT workflow_id, healthy, status, database_healthy, api_healthy, cache_healthy FROM system_health_checks
      WHERE started_at >= ${period.start.toISOString()}::timestamptz AND started_at < ${period.end.toISOString()}::timestamptz`),
  ]);
  const before = byWorkflow(previous);
  const workflows: (NaiveWorkflow & { previousP95PassedMs: number | null })[] = [...byWorkflow(current)].map(
    ([workflowId, rows]) => ({
      workflowId,
      ...summarize(rows),
      topError: topOf(
        rows
          .filter((r) => r.status !== 'passed' && r.status !== 'skipped')
          .map((r) => (r.error ?? '').split('\n')[0] ?? ''),
      ),
      previousP95PassedMs: summarize(before.get(workflowId) ?? []).p95PassedMs,
    }),
  );
  const unhealthy = (health as unknown as { healthy: boolean; api_healthy: boolean | null }[]).filter(
    (h) => !h.healthy || h.api_healthy === false,
  ).length;
  return { totals: summarize(current), previousTotals: summarize(previous), workflows, unhealthyChecks: unhealthy };
}
