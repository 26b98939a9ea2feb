// The rules' thresholds one by one, over hand-made figures (no database), and their overrides.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ConfigError } from '../config/parse-env.ts';
import type { FailureSummary } from './queries/report-failures.ts';
import type { WorkflowFiguresRow } from './queries/report-figures.ts';
import { loadReportsConfig } from './config.ts';
import { defaultThresholds, recommend, type RecommendationInput } from './recommendations.ts';
import { totalsOf } from './trends.ts';

function wf(workflowId: string, f: Partial<WorkflowFiguresRow>): WorkflowFiguresRow {
  const runs = f.runs ?? 100;
  const at = new Date('2026-11-14T10:00:00Z');
  return {
    workflowId,
    name: workflowId,
    priority: 'high',
    runs,
    passed: runs,
    failed: 0,
    flaky: 0,
    firstAttempts: runs,
    criticalFailures: 0,
    totalDurationMs: runs * 1000,
    avgDurationMs: 1000,
    p95DurationMs: 1000,
    p95PassedMs: 1000,
    lastStartedAt: at,
    ...f,
  };
}

const failure = (workflowId: string, n: number): FailureSummary => ({
  workflowId,
  failures: n,
  topError: 'Error: x',
  topErrorCount: n,
  topStep: null,
  topStepCount: 0,
  lastFailedAt: new Date('2026-11-14T10:00:00Z'),
  lastRunId: 'r',
  lastTracePath: null,
});

function input(over: Partial<RecommendationInput>): RecommendationInput {
  const workflows = over.workflows ?? [];
  return {
    periodNoun: 'day',
    totals: totalsOf(wf('*', { runs: 1 })),
    previousTotals: null,
    workflows,
    previousWorkflows: [],
    failures: [],
    steps: { current: [], previous: [] },
    health: [],
    deliveries: [],
    missedRuns: [],
    overruns: [],
    degraded: [],
    down: [],
    knownWorkflows: 0,
    ...over,
  };
}

const rules = (over: Partial<RecommendationInput>) =>
  recommend(input(over)).map((r) => `${r.severity}:${r.rule}:${r.workflowId ?? r.subject}`);

describe('recommendation thresholds', () => {
  test('failing: at least 2 failed runs and 5 % of runs', () => {
    assert.deepEqual(
      rules({
        workflows: [
          wf('a', { passed: 98, failed: 2 }),
          wf('b', { passed: 95, failed: 5 }),
          wf('c', { runs: 10, passed: 9, failed: 1 }),
        ],
        failures: [failure('a', 2), failure('b', 5), failure('c', 1)],
      }),
      ['warning:failing:b'],
    );
    assert.deepEqual(
      rules({ workflows: [wf('p', { priority: 'critical', passed: 95, failed: 5 })], failures: [failure('p', 5)] }),
      ['critical:failing:p'],
    );
  });

  test('flaky: at least 2 passes on retry and 10 % of passes', () => {
    assert.deepEqual(
      rules({ workflows: [wf('a', { flaky: 9 }), wf('b', { flaky: 10 }), wf('c', { runs: 10, flaky: 1 })] }),
      ['warning:flaky:b'],
    );
  });

  test('slower: +25 % and +100 ms on the p95 of passing runs, 5 passing runs in each period', () => {
    const before = [wf('a', {}), wf('b', {}), wf('c', { p95PassedMs: 200 }), wf('d', { runs: 4 })];
    const now = [
      wf('a', { p95PassedMs: 1240 }),
      wf('b', { p95PassedMs: 1250 }),
      wf('c', { p95PassedMs: 290 }),
      wf('d', { p95PassedMs: 5000 }),
    ];
    assert.deepEqual(rules({ workflows: now, previousWorkflows: before }), ['warning:slower:b']);
  });

  test('dependency: critical when half the checks or more blamed it', () => {
    const h = {
      checks: 4,
      degraded: 2,
      lastDegradedAt: null,
      lastDegradedStatus: 'degraded',
      database: 2,
      api: 0,
      cache: 1,
      lastDatabaseAt: new Date('2026-11-14T10:00:00Z'),
      lastApiAt: null,
      lastCacheAt: new Date('2026-11-14T11:00:00Z'),
      avgResponseTimeMs: 1,
    };
    const found = recommend(input({ health: [{ workflowId: 'health-check', ...h }] }));
    assert.deepEqual(
      found.map((r) => [r.severity, r.evidence.dependency]),
      [
        ['critical', 'database'],
        ['warning', 'cache'],
      ],
    );
  });

  test('notifications: critical when nothing got through', () => {
    const d = {
      messages: 2,
      throttled: 0,
      topError: 'HTTP 410',
      topErrorCount: 2,
      lastFailedAt: null,
      lastStatusCode: 410,
    };
    assert.deepEqual(
      rules({
        deliveries: [
          { channel: 'slack', sent: 0, failed: 2, ...d },
          { channel: 'teams', sent: 1, failed: 1, ...d },
          { channel: 'discord', sent: 2, failed: 0, ...d },
        ],
      }),
      ['critical:notifications:slack deliveries', 'warning:notifications:teams deliveries'],
    );
  });

  test('defaults are one object, overridable by MONITOR_REPORT_RULES; problems name the variable', () => {
    const c = loadReportsConfig({ MONITOR_REPORT_RULES: '{"slower":{"minIncrease":0.5},"flaky":{"minFlaky":3}}' });
    assert.deepEqual(c.thresholds.slower, { ...defaultThresholds.slower, minIncrease: 0.5 });
    assert.deepEqual(c.thresholds.flaky, { minFlaky: 3, minRate: defaultThresholds.flaky.minRate });
    assert.equal(c.reportsDir.endsWith('monitoring-reports'), true);
    assert.throws(
      () =>
        loadReportsConfig({ MONITOR_REPORT_RULES: '{"slower":{"minIncrease":"x"},"nope":1}', MONITOR_SLOWDOWN: '{' }),
      (e: unknown) => {
        assert.ok(e instanceof ConfigError);
        assert.deepEqual(
          e.problems.map((p) => p.split(':')[0]),
          ['MONITOR_REPORT_RULES.slower.minIncrease', 'MONITOR_REPORT_RULES', 'MONITOR_SLOWDOWN'],
        );
        return true;
      },
    );
  });
});
