// A fixed two-day history with hand-computed answers: the report's numbers, trends and
// recommendations must match exactly. Real PostgreSQL (test/helpers/db.ts).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { freshDatabase, type FreshDatabase } from '../test/helpers/db.ts';
import { computeReport } from './compute.ts';
import { renderMarkdown } from './render-markdown.ts';
import type { ReportBody } from './report-body.ts';
import { catalog, day, seed } from '../test/helpers/report-history.ts';
import { upsertWorkflowState } from '../db/tables/workflow-states.ts';

describe('computeReport over a fixed history', () => {
  let db: FreshDatabase;
  let report: ReportBody;
  before(async () => {
    db = await freshDatabase();
    await seed(db);
    report = await computeReport(db.pool, {
      kind: 'daily',
      period: day,
      catalog,
      now: new Date('2026-11-15T00:05:00Z'),
    });
  });
  after(() => db?.drop());

  test('totals of the period and of the previous one', () => {
    assert.equal(report.reportId, 'daily-2026-11-15T0000Z');
    assert.equal(report.periodStart, '2026-11-14T00:00:00.000Z');
    assert.deepEqual(report.totals, {
      executions: 35,
      passed: 26,
      failed: 9,
      flaky: 3,
      runs: 32,
      failedRuns: 6,
      successRate: 26 / 35,
      errorRate: 6 / 32,
      avgDurationMs: 184200 / 35,
      p95DurationMs: 30000,
    });
    assert.deepEqual(report.previous?.totals, {
      executions: 37,
      passed: 37,
      failed: 0,
      flaky: 0,
      runs: 37,
      failedRuns: 0,
      successRate: 1,
      errorRate: 0,
      avgDurationMs: 44200 / 37,
      p95DurationMs: 2000,
    });
  });

  test('failures by cause and workflow; failures without a recorded cause count as unknown', () => {
    assert.deepEqual(report.failuresByCause, [
      { cause: 'timeout', failures: 4, workflows: [{ workflowId: 'checkout', failures: 4 }] },
      { cause: 'unknown', failures: 3, workflows: [{ workflowId: 'product-search', failures: 3 }] },
      { cause: 'element-missing', failures: 2, workflows: [{ workflowId: 'user-login', failures: 2 }] },
    ]);
    const md = renderMarkdown(report);
    assert.match(
      md,
      /## Failures by cause\n\n\| cause \| failed executions \| workflows \|\n\| --- \| ---: \| --- \|\n\| timeout \| 4 \| `checkout` 4 \|/,
    );
  });

  test('trends against the previous day', () => {
    assert.deepEqual(report.trends, {
      successRate: 26 / 35 - 1,
      performance: (184200 / 35 - 44200 / 37) / (44200 / 37),
      errorRate: 6 / 32,
      p95: (30000 - 2000) / 2000,
    });
  });

  test('critical issues: failed critical executions and workflows DOWN now, counted per workflow', () => {
    // user-login (critical, 2 failed executions) and checkout (DOWN): two workflows.
    assert.equal(report.criticalIssues.count, 2);
    assert.equal(report.criticalIssues.failedCriticalExecutions, 2);
    assert.deepEqual(report.criticalIssues.critical, [{ workflowId: 'user-login', name: 'User Login', failed: 2 }]);
    assert.deepEqual(
      report.criticalIssues.down?.map((d) => [d.workflowId, d.name, d.consecutiveFailures]),
      [['checkout', 'Checkout', 4]],
    );
  });

  test('per-workflow lines', () => {
    const search = report.workflows.find((w) => w.workflowId === 'product-search');
    assert.deepEqual(search, {
      workflowId: 'product-search',
      name: 'Product Search',
      priority: 'high',
      executions: 13,
      passed: 10,
      failed: 3,
      flaky: 3,
      successRate: 10 / 13,
      avgDurationMs: 42000 / 13,
      p95DurationMs: 4000,
      p95PassedMs: 3000,
      previousP95PassedMs: 2000,
      previousSuccessRate: 1,
    });
    assert.deepEqual(
      report.workflows.map((w) => w.workflowId),
      ['checkout', 'farm-creation', 'health-check', 'product-search', 'user-login'],
    );
  });

  test('recommendations: rules, order and evidence', () => {
    assert.deepEqual(
      report.recommendations.map((r) => [r.severity, r.rule, r.subject]),
      [
        ['critical', 'failing', 'Checkout (checkout)'],
        ['critical', 'failing', 'User Login (user-login)'],
        ['critical', 'missed-runs', 'User Login (user-login)'],
        ['warning', 'missed-runs', 'Farm Creation (farm-creation)'],
        ['warning', 'missed-runs', 'Order Placement (order-placement)'],
        ['warning', 'dependency', 'health-check health checks'],
        ['warning', 'notifications', 'slack deliveries'],
        ['warning', 'slower', 'Product Search (product-search)'],
        ['warning', 'degraded', 'Product Search (product-search)'],
        ['warning', 'budget', 'Health Check (health-check)'],
        ['warning', 'flaky', 'Product Search (product-search)'],
      ],
    );
    const text = report.recommendations.map((r) => r.finding);
    assert.deepEqual(text, [
      'never passed: all 4 runs failed. Most frequent error (4×): "Test timeout of 30000ms exceeded.". Failing step: "Pay" (4×). It is DOWN now.',
      'failed 2 of 10 runs (20.0%). Most frequent error (2×): "Error: Login button not found after 5000ms". Failing step: "Sign in" (2×).',
      'ran 10 of the 24 times its schedule "0 * * * *" expects (14 missed). It has not run since 2026-11-14 09:00 UTC (due 2026-11-14 23:00 UTC).',
      'ran 2 of the 6 times its schedule "0 */4 * * *" expects (4 missed). It has not run since 2026-11-14 04:00 UTC (due 2026-11-14 20:00 UTC).',
      'stopped running: 5 runs in the previous day, none in this one.',
      'reported the cache unhealthy in 2 of 6 checks (33.3%), last at 2026-11-14 04:30 UTC.',
      'failed 2 of 3 messages (66.7%), last status 404; most frequent error (2×): "HTTP 404: no_service".',
      'got slower: p95 of passing runs 2,000 ms → 3,000 ms (+50.0%) against the previous day. Slowest step: "See results", p95 2,000 ms (was 1,000 ms).',
      'is DEGRADED (slower than its usual runs) since 2026-11-14 05:00 UTC: whole run median 3000 ms vs baseline 2000 ms.',
      'passed but overran its time budget in 2 runs (DEGRADED); most often the step "Ping": up to 180 ms against a budget of 100 ms (2×).',
      'is flaky: passed only on retry in 3 of 10 passing runs (30.0%).',
    ]);
    const login = report.recommendations[1]!;
    assert.match(login.action, /npx playwright show-trace run-\d+\/trace\.zip/);
    assert.equal(login.evidence.lastTracePath, login.action.match(/show-trace (\S+)\)/)?.[1]);
    assert.deepEqual(report.recommendations[7]!.evidence, {
      p95Ms: 3000,
      previousP95Ms: 2000,
      increase: 0.5,
      slowestStep: 'See results',
      slowestStepP95Ms: 2000,
      previousSlowestStepP95Ms: 1000,
    });
  });
  // Last: it changes the history the tests above read.
  test('a critical workflow that failed and is DOWN is one critical issue, on one line', async () => {
    await upsertWorkflowState(db.pool, {
      workflowId: 'user-login',
      state: 'down',
      since: new Date('2026-11-14T20:00:00Z'),
      consecutiveFailures: 2,
      consecutivePasses: 0,
      lastAlertAt: null,
      lastExecutionAt: null,
      details: {},
    });
    const again = await computeReport(db.pool, {
      kind: 'daily',
      period: day,
      catalog,
      now: new Date('2026-11-15T00:05:00Z'),
    });
    assert.equal(again.criticalIssues.count, 2, 'user-login once, checkout once');
    const lines = renderMarkdown(again)
      .split('\n')
      .filter((l) => l.includes('`user-login`'));
    const critical = lines.filter((l) => /DOWN since|failed execution/.test(l));
    assert.equal(critical.length, 1, `one line for user-login: ${critical.join(' | ')}`);
    assert.match(critical[0]!, /critical\): 2 failed execution\(s\); DOWN since .* after 2 consecutive failure\(s\)/);
  });
});
