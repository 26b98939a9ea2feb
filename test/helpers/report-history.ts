// The fixed two-day history of reports/compute.test.ts: runs, failures, health checks, budget
// overruns, a DEGRADED workflow and a DOWN one, with a catalog of schedules; every figure the
// test expects is computed by hand from it.
import { sql } from 'slonik';
import { z } from 'zod';
import { insertExecutions } from '../../db/tables/executions.ts';
import {
  lockPerformanceState,
  recordBudgetOverrun,
  writePerformanceState,
} from '../../db/tables/performance-states.ts';
import type { ExecutionRecord, HealthCheckRecord } from '../../core/records.ts';
import { upsertWorkflowState } from '../../db/tables/workflow-states.ts';
import { executionRecord, type FreshDatabase } from './db.ts';
import { periodFor } from '../../reports/compute.ts';

export const HOUR = 3_600_000;
export const day = periodFor('daily', new Date('2026-11-15T00:00:00Z'));
export const prevStart = day.start.getTime() - 24 * HOUR;
export const at = (base: number, hours: number, minutes = 0) => new Date(base + hours * HOUR + minutes * 60_000);

let n = 0;
export function run(
  workflowId: string,
  name: string,
  priority: ExecutionRecord['priority'],
  startedAt: Date,
  durationMs: number,
  extra: Partial<ExecutionRecord> = {},
): ExecutionRecord {
  n++;
  return executionRecord({
    runId: `run-${n}`,
    testId: `test-${workflowId}`,
    workflowId,
    name,
    priority,
    startedAt,
    durationMs,
    tags: [`@${priority}`, `@${workflowId}`],
    steps: [{ index: 0, title: 'Only step', durationMs, error: null }],
    metrics: null,
    ...extra,
  });
}

export function failed(
  r: ExecutionRecord,
  error: string,
  failedStep: string,
  status: ExecutionRecord['status'] = 'failed',
): ExecutionRecord {
  return {
    ...r,
    status,
    outcome: 'unexpected',
    error,
    failedStep,
    passedSteps: 0,
    failedSteps: 1,
    tracePath: `${r.runId}/trace.zip`,
  };
}

export const searchSteps = (open: number, type: number, results: number) => [
  { index: 0, title: 'Open search', durationMs: open, error: null },
  { index: 1, title: 'Type query', durationMs: type, error: null },
  { index: 2, title: 'See results', durationMs: results, error: null },
];

export const health = (cacheHealthy: boolean): HealthCheckRecord => ({
  healthy: true,
  status: cacheHealthy ? 'healthy' : 'degraded',
  responseTimeMs: 40,
  databaseHealthy: true,
  apiHealthy: true,
  cacheHealthy,
  payload: null,
});

export function history(): ExecutionRecord[] {
  const d = day.start.getTime();
  const rows: ExecutionRecord[] = [];
  for (let h = 0; h < 10; h++) {
    // User Login: 8 passes of 1 s and 2 failures of 5 s today; 10 passes of 1 s yesterday.
    const login = run('user-login', 'User Login', 'critical', at(d, h), h === 2 || h === 5 ? 5000 : 1000);
    rows.push(
      h === 2 || h === 5
        ? {
            ...failed(login, `Error: Login button not found after 5000ms\n    at step ${h}`, 'Sign in'),
            cause: 'element-missing' as const,
          }
        : login,
    );
    rows.push(run('user-login', 'User Login', 'critical', at(prevStart, h), 1000));
    // Product Search: 3 of 10 runs fail (4 s) and pass on retry; passes take 3 s today, 2 s yesterday.
    const search = run('product-search', 'Product Search', 'high', at(d, h, 10), 3000, {
      steps: searchSteps(500, 500, 2000),
    });
    if (h < 3) {
      rows.push(failed({ ...search, durationMs: 4000 }, 'Error: results list empty', 'See results'));
      rows.push({ ...search, retry: 1, outcome: 'flaky', startedAt: at(d, h, 11) });
    } else rows.push(search);
    rows.push(
      run('product-search', 'Product Search', 'high', at(prevStart, h, 10), 2000, {
        steps: searchSteps(500, 500, 1000),
      }),
    );
  }
  for (let h = 0; h < 4; h++) {
    rows.push({
      ...failed(
        run('checkout', 'Checkout', 'medium', at(d, h, 20), 30_000),
        'Test timeout of 30000ms exceeded.',
        'Pay',
        'timedOut',
      ),
      cause: 'timeout' as const,
    });
  }
  for (let h = 0; h < 6; h++) {
    rows.push(
      run('health-check', 'Health Check', 'critical', at(d, h, 30), 200, { health: health(h !== 1 && h !== 4) }),
    );
    rows.push(run('health-check', 'Health Check', 'critical', at(prevStart, h, 30), 200, { health: health(true) }));
    rows.push(run('farm-creation', 'Farm Creation', 'high', at(prevStart, h * 4), 1500));
  }
  rows.push(
    run('farm-creation', 'Farm Creation', 'high', at(d, 0), 1500),
    run('farm-creation', 'Farm Creation', 'high', at(d, 4), 1500),
  );
  for (let h = 0; h < 5; h++)
    rows.push(run('order-placement', 'Order Placement', 'critical', at(prevStart, h, 40), 800));
  // Skipped attempts count nowhere.
  rows.push({ ...run('user-login', 'User Login', 'critical', at(d, 11), 0), status: 'skipped', outcome: 'skipped' });
  return rows;
}

export async function seed(db: FreshDatabase): Promise<void> {
  await insertExecutions(db.pool, history());
  const log = (
    channel: string,
    sent: boolean,
    error: string | null,
    status: number | null,
    minutes: number,
    kind = 'failure',
  ) =>
    db.pool.query(sql.type(z.object({}))`
      INSERT INTO notification_logs (created_at, channel, kind, title, message, sent, error, status_code, attempts)
      VALUES (${at(day.start.getTime(), 3, minutes).toISOString()}::timestamptz, ${channel}, ${kind}, 't', 'm', ${sent}, ${error}, ${status}, 1)`);
  await log('slack', false, 'HTTP 404: no_service\nbody', 404, 1);
  await log('slack', false, 'HTTP 404: no_service', 404, 2);
  await log('slack', true, null, 200, 3);
  await log('discord', true, null, 204, 4);
  await log('discord', false, 'connection refused', null, 5, 'test');
  for (const [i, actual] of [150, 180].entries()) {
    await recordBudgetOverrun(db.pool, {
      runId: `budget-${i}`,
      testId: 't',
      retry: 0,
      startedAt: at(day.start.getTime(), i + 2, 30),
      workflowId: 'health-check',
      durationMs: 200,
      overruns: [{ scope: 'step', title: 'Ping', budgetMs: 100, actualMs: actual }],
    });
  }
  await upsertWorkflowState(db.pool, {
    workflowId: 'checkout',
    state: 'down',
    since: at(day.start.getTime(), 1, 20),
    consecutiveFailures: 4,
    consecutivePasses: 0,
    lastAlertAt: null,
    lastExecutionAt: null,
    details: {},
  });
  await db.pool.transaction(async (tx) => {
    const row = await lockPerformanceState(tx, 'product-search');
    await writePerformanceState(tx, {
      ...row,
      degraded: true,
      degradedSince: at(day.start.getTime(), 5),
      reasons: ['slowdown'],
      episode: 1,
      details: { lastEvent: { summary: 'whole run median 3000 ms vs baseline 2000 ms' } },
    });
  });
}

export const catalog = [
  { id: 'farm-creation', schedule: '0 */4 * * *' },
  { id: 'user-login', schedule: '0 * * * *' },
];
