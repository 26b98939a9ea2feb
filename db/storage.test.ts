import { test } from 'node:test';
import assert from 'node:assert/strict';
import { executionRecord, freshDatabase } from '../test/helpers/db.ts';
import { createStorage } from '../test/helpers/storage.ts';
import type { ReportRecord } from './tables/reports.ts';

const HOUR = 3_600_000;

test('performance stats, executions and latest state with known numbers', async (t) => {
  const db = await freshDatabase();
  t.after(() => db.drop());
  const storage = createStorage(db.pool);
  const now = Date.now();
  const records = Array.from({ length: 10 }, (_, i) =>
    executionRecord({
      runId: `r${i}`,
      workflowId: 'checkout',
      startedAt: new Date(now - (10 - i) * 60_000),
      durationMs: (i + 1) * 100,
      status: i === 3 || i === 7 ? 'failed' : 'passed',
      outcome: i === 5 ? 'flaky' : i === 3 || i === 7 ? 'unexpected' : 'expected',
      metrics: { ...executionRecord().metrics!, pageLoadTimeMs: (i + 1) * 50, apiResponseTimeMs: 10 },
    }),
  );
  assert.equal(await storage.saveWorkflowExecutions(records), 10);
  // Outside the window, skipped, or another workflow: none of them count.
  await storage.saveWorkflowExecutions([
    executionRecord({ runId: 'old', workflowId: 'checkout', startedAt: new Date(now - 30 * HOUR), durationMs: 99_999 }),
    executionRecord({
      runId: 'skip',
      workflowId: 'checkout',
      startedAt: new Date(now - 60_000),
      status: 'skipped',
      outcome: 'skipped',
      durationMs: 0,
    }),
    executionRecord({ runId: 'other', workflowId: 'search', startedAt: new Date(now - 60_000), durationMs: 5 }),
  ]);
  assert.equal(await storage.saveWorkflowExecution(records[0]!), false, 'a replay is not new');

  const stats = await storage.getWorkflowPerformanceStats('checkout', { hours: 24 });
  assert.equal(stats.runs, 10);
  assert.equal(stats.passed, 8);
  assert.equal(stats.failed, 2);
  assert.equal(stats.flaky, 1);
  assert.equal(stats.successRate, 0.8);
  assert.equal(stats.avgDurationMs, 550);
  assert.equal(stats.p50DurationMs, 550);
  assert.equal(Math.round(stats.p95DurationMs! * 1000) / 1000, 955);
  assert.equal(stats.maxDurationMs, 1000);
  assert.equal(stats.avgPageLoadTimeMs, 275);
  assert.equal(stats.avgApiResponseTimeMs, 10);
  const empty = await storage.getWorkflowPerformanceStats('nothing');
  assert.equal(empty.runs, 0);
  assert.equal(empty.successRate, null);

  const failed = await storage.getWorkflowExecutions({
    workflowId: 'checkout',
    status: 'failed',
    since: new Date(now - HOUR),
  });
  assert.deepEqual(
    failed.map((e) => e.runId),
    ['r7', 'r3'],
  );
  assert.equal((await storage.getWorkflowExecutions({ workflowId: 'checkout', limit: 3 })).length, 3);
  assert.equal((await storage.getWorkflowExecutions({ workflowId: 'checkout' })).length, 12);

  const latest = await storage.getLatestExecutions();
  assert.deepEqual(
    latest.map((l) => [l.workflowId, l.runId]),
    [
      ['checkout', 'r9'],
      ['search', 'other'],
    ],
  );

  const window = await storage.getWindowStats();
  assert.deepEqual(
    window.workflows.map((w) => [w.workflowId, w.runs, w.successRate]),
    [
      ['checkout', 10, 0.8],
      ['search', 1, 1],
    ],
  );
  assert.equal(Math.round(window.workflows[0]!.p95DurationMs! * 1000) / 1000, 955);
  assert.equal(
    (await storage.getWindowStats()).computedAt.getTime(),
    window.computedAt.getTime(),
    'a fresh snapshot is reused',
  );
  await storage.saveWorkflowExecution(
    executionRecord({ runId: 'late', workflowId: 'checkout', startedAt: new Date(now - 1000) }),
  );
  assert.equal((await storage.getWindowStats()).workflows[0]?.runs, 11, 'an attempt stored since makes it recompute');
  assert.equal((await storage.getWindowStats({ maxAgeMs: 0 })).workflows[0]?.runs, 11, 'a stale one is recomputed');

  const key = { runId: 'old', testId: 'test-login', retry: 0 };
  assert.equal(
    await storage.saveWorkflowMetrics(key, { ...executionRecord().metrics!, pageLoadTimeMs: 1 }),
    false,
    'metrics already stored with the attempt',
  );
});

function report(id: string, start: Date, overrides: Partial<ReportRecord> = {}): ReportRecord {
  return {
    reportId: id,
    kind: 'hourly',
    periodStart: start,
    periodEnd: new Date(start.getTime() + HOUR),
    totalExecutions: 10,
    passedExecutions: 9,
    failedExecutions: 1,
    flakyExecutions: 0,
    successRate: 0.9,
    avgDurationMs: 1200,
    p95DurationMs: 2000,
    criticalIssues: 0,
    successRateTrend: 0.1,
    performanceTrend: -0.05,
    errorRateTrend: null,
    recommendations: ['look at checkout'],
    body: { workflows: 3 },
    ...overrides,
  };
}

test('reports are idempotent on report_id and filtered by period', async (t) => {
  const db = await freshDatabase();
  t.after(() => db.drop());
  const storage = createStorage(db.pool);
  const base = new Date('2025-11-15T00:00:00Z');
  for (let h = 0; h < 5; h++) await storage.saveReport(report(`hourly-${h}`, new Date(base.getTime() + h * HOUR)));
  await storage.saveReport(report('hourly-2', new Date(base.getTime() + 2 * HOUR), { criticalIssues: 3 }));
  await storage.saveReport(report('daily-1', base, { kind: 'daily', periodEnd: new Date(base.getTime() + 24 * HOUR) }));

  const all = await storage.getReports();
  assert.equal(all.length, 6);
  const window = await storage.getReports({
    startDate: new Date(base.getTime() + HOUR),
    endDate: new Date(base.getTime() + 4 * HOUR),
  });
  assert.deepEqual(
    window.map((r) => r.reportId),
    ['hourly-3', 'hourly-2', 'hourly-1'],
  );
  assert.equal(window[1]?.criticalIssues, 3, 'the regenerated report replaced the first');
  assert.deepEqual(window[1]?.recommendations, ['look at checkout']);
  assert.deepEqual(window[1]?.body, { workflows: 3 });
  assert.equal((await storage.getReports({ limit: 2 })).length, 2);
  assert.deepEqual(
    (await storage.getReports({ kind: 'daily' })).map((r) => r.reportId),
    ['daily-1'],
  );
});
