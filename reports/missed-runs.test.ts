import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { WorkflowFiguresRow } from './queries/report-figures.ts';
import { countOccurrences } from '../core/missed-runs.ts';
import { findMissedRuns } from './missed-runs.ts';

const period = { start: new Date('2026-11-14T10:00:00Z'), end: new Date('2026-11-14T11:00:00Z') };

function figures(workflowId: string, firstAttempts: number, lastStartedAt: string): WorkflowFiguresRow {
  return {
    workflowId,
    name: workflowId,
    priority: 'high',
    runs: firstAttempts,
    passed: firstAttempts,
    failed: 0,
    flaky: 0,
    firstAttempts,
    criticalFailures: 0,
    totalDurationMs: firstAttempts,
    avgDurationMs: 1,
    p95DurationMs: 1,
    p95PassedMs: 1,
    lastStartedAt: new Date(lastStartedAt),
  };
}

test('slots of a cron schedule in a half-open range, UTC and a zone', () => {
  assert.deepEqual(countOccurrences('*/15 * * * *', undefined, period.start, period.end), {
    count: 4,
    last: new Date('2026-11-14T10:45:00Z'),
  });
  assert.equal(
    countOccurrences(
      '0 9 * * *',
      'Europe/Paris',
      new Date('2026-11-14T00:00:00Z'),
      new Date('2026-11-15T00:00:00Z'),
    ).last?.toISOString(),
    '2026-11-14T08:00:00.000Z',
  );
});

test('late runs within the grace count for their slot; a missing run and an overdue workflow are reported', () => {
  const catalog = [
    { id: 'on-time', schedule: '*/15 * * * *' },
    { id: 'late', schedule: '*/15 * * * *' },
    { id: 'gap', schedule: '*/15 * * * *', priority: 'critical' as const },
    { id: 'unscheduled' },
  ];
  // Slots in [09:58, 10:58): 10:00, 10:15, 10:30, 10:45. "late" ran each slot 90 s late.
  const current = [
    figures('on-time', 4, '2026-11-14T10:45:02Z'),
    figures('late', 4, '2026-11-14T10:46:30Z'),
    figures('gap', 2, '2026-11-14T10:15:01Z'),
  ];
  assert.deepEqual(findMissedRuns(catalog, current, [], period), [
    {
      workflowId: 'gap',
      name: 'gap',
      priority: 'critical',
      schedule: '*/15 * * * *',
      expected: 4,
      actual: 2,
      missed: 2,
      lastRunAt: new Date('2026-11-14T10:15:01Z'),
      overdueSince: new Date('2026-11-14T10:45:00Z'),
    },
  ]);
});

test('without a catalog entry: a workflow that ran regularly before and not at all now has stopped', () => {
  const previous = [
    figures('stopped', 4, '2026-11-14T09:45:00Z'),
    figures('rare', 1, '2026-11-14T09:10:00Z'),
    figures('running', 4, '2026-11-14T09:50:00Z'),
  ];
  const found = findMissedRuns([], [figures('running', 4, '2026-11-14T10:45:00Z')], previous, period);
  assert.deepEqual(
    found.map((m) => [m.workflowId, m.schedule, m.expected, m.actual, m.missed]),
    [['stopped', null, 4, 0, 4]],
  );
});
