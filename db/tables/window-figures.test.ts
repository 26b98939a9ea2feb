// Issue 12.13: the dashboard's 24 h and 7 d figures agree and count runs, not attempts. A run
// that failed and passed on retry is one run, passed and flaky; a failure stored after the
// figures were cached shows in both windows at once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { overview } from '../../dashboard/queries.ts';
import { executionRecord, freshDatabase } from '../../test/helpers/db.ts';
import { getDailyTrend, rollupAggregates } from './aggregates.ts';
import { getWorkflowPerformanceStats } from './execution-stats.ts';
import { insertExecutions } from './executions.ts';
import { getWindowStatsPerWorkflow } from './window-stats.ts';

const MIN = 60_000;

test('window figures count each run once by its final outcome and include the latest attempt in every window', async (t) => {
  const db = await freshDatabase();
  t.after(() => db.drop());
  const now = Date.now();
  const at = (minutesAgo: number) => new Date(now - minutesAgo * MIN);
  await insertExecutions(db.pool, [
    // Run a: passed. Run b: failed, then passed on retry (flaky). Run c: failed twice.
    executionRecord({ runId: 'a', startedAt: at(50) }),
    executionRecord({ runId: 'b', startedAt: at(40), status: 'failed', outcome: 'unexpected' }),
    executionRecord({ runId: 'b', retry: 1, startedAt: at(39), status: 'passed', outcome: 'flaky' }),
    executionRecord({ runId: 'c', startedAt: at(30), status: 'failed', outcome: 'unexpected' }),
    executionRecord({ runId: 'c', retry: 1, startedAt: at(29), status: 'failed', outcome: 'unexpected' }),
  ]);
  const day = await getWindowStatsPerWorkflow(db.pool, { hours: 24 });
  const week = await getWindowStatsPerWorkflow(db.pool, { hours: 168, maxAgeMs: 5 * MIN });
  for (const snapshot of [day, week]) {
    const [w] = snapshot.workflows;
    assert.deepEqual(
      { runs: w?.runs, passed: w?.passed, failed: w?.failed, flaky: w?.flaky },
      { runs: 3, passed: 2, failed: 1, flaky: 1 },
      `${snapshot.hours} h`,
    );
    assert.equal(w?.successRate, 2 / 3);
  }
  const stats = await getWorkflowPerformanceStats(db.pool, 'user-login', { hours: 24 });
  assert.deepEqual({ runs: stats.runs, passed: stats.passed, flaky: stats.flaky }, { runs: 3, passed: 2, flaky: 1 });

  // A failure right after: both cached windows include it on the next read.
  await insertExecutions(db.pool, [
    executionRecord({ runId: 'd', startedAt: at(1), status: 'failed', outcome: 'unexpected' }),
  ]);
  const tiles = await overview(db.pool, []);
  const tile = tiles.workflows.find((w) => w.id === 'user-login');
  assert.equal(tile?.successRate24h, 0.5);
  assert.equal(tile?.successRate7d, 0.5, 'the 7 d figure includes the latest failure too');
  assert.equal(tile?.runs24h, 4);

  // A run across midnight (failed at 23:59:50, passed on retry at 00:00:10) is one run in the
  // roll-up, in the hour of its final attempt, though the roll-up works a day per statement.
  const midnight = Math.floor(now / 86_400_000) * 86_400_000;
  await insertExecutions(db.pool, [
    executionRecord({
      runId: 'm',
      workflowId: 'night',
      startedAt: new Date(midnight - 10_000),
      status: 'failed',
      outcome: 'unexpected',
    }),
    executionRecord({
      runId: 'm',
      workflowId: 'night',
      retry: 1,
      startedAt: new Date(midnight + 10_000),
      status: 'passed',
      outcome: 'flaky',
    }),
  ]);
  await rollupAggregates(db.pool, { from: new Date(midnight - 86_400_000), to: new Date(midnight + 3_600_000) });
  const night = await getDailyTrend(db.pool, 'night', { days: 2, now: new Date(midnight + 60_000) });
  assert.deepEqual(
    night.map((d) => [d.runs, d.passed, d.failed, d.flaky]),
    [[1, 1, 0, 1]],
  );

  // The hourly roll-up counts runs the same way.
  await rollupAggregates(db.pool, { from: at(120), to: at(-60) });
  const [trend] = await getDailyTrend(db.pool, 'user-login', { days: 2 });
  const trendRuns = (await getDailyTrend(db.pool, 'user-login', { days: 2 })).reduce((n, d) => n + d.runs, 0);
  assert.equal(trendRuns, 4, `runs in the daily trend: ${JSON.stringify(trend)}`);
});
