// Rule 4: a pass on retry is not a failure; the flake rate is its own signal, with one notice.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ObservedEvent } from '../../core/alerts.ts';
import type { ExecutionRecord } from '../../core/records.ts';
import { classifyAttempt } from './classify.ts';
import { flakeStats, flakyCleared, flakyCrossed } from './flaky.ts';
import { defaultPolicy } from './rules.ts';
import { at, observations, simulate, trace, type Step } from '../../test/helpers/policy.ts';

const classifyCases: Array<[ExecutionRecord['status'], number, boolean, ObservedEvent | null]> = [
  ['passed', 0, false, 'passed'],
  ['passed', 1, false, 'flaky-pass'],
  ['passed', 2, true, 'flaky-pass'],
  ['failed', 0, true, null],
  ['failed', 0, false, 'failed'],
  ['failed', 2, false, 'failed'],
  ['timedOut', 1, true, null],
  ['timedOut', 1, false, 'failed'],
  ['skipped', 0, false, null],
  ['interrupted', 0, false, null],
];

for (const [status, retry, willRetry, expected] of classifyCases) {
  test(`classify: ${status} at retry ${retry}${willRetry ? ' (a retry follows)' : ''} -> ${expected ?? 'no event'}`, () => {
    assert.equal(classifyAttempt({ status, retry }, willRetry), expected);
  });
}

const rules = defaultPolicy.rules.flaky;
const repeat = (n: number, e: ObservedEvent): ObservedEvent[] => Array<ObservedEvent>(n).fill(e);
const statsCases: Array<{
  name: string;
  events: ObservedEvent[];
  rate: number | null;
  crossed: boolean;
  cleared: boolean;
}> = [
  {
    name: 'too few runs to judge',
    events: [...repeat(8, 'passed'), 'flaky-pass'],
    rate: null,
    crossed: false,
    cleared: false,
  },
  {
    name: '4 of 20 is 20%: crossed',
    events: [...repeat(16, 'passed'), ...repeat(4, 'flaky-pass')],
    rate: 0.2,
    crossed: true,
    cleared: false,
  },
  {
    name: '3 of 20 is between clear and threshold',
    events: [...repeat(17, 'passed'), ...repeat(3, 'flaky-pass')],
    rate: 0.15,
    crossed: false,
    cleared: false,
  },
  {
    name: '1 of 20 clears',
    events: [...repeat(19, 'passed'), 'flaky-pass'],
    rate: 0.05,
    crossed: false,
    cleared: true,
  },
  {
    name: 'only the last 20 runs count',
    events: [...repeat(10, 'flaky-pass'), ...repeat(20, 'passed')],
    rate: 0,
    crossed: false,
    cleared: true,
  },
  {
    name: 'failures are runs, not flakes',
    events: [...repeat(10, 'failed'), ...repeat(6, 'passed'), ...repeat(4, 'flaky-pass')],
    rate: 0.2,
    crossed: true,
    cleared: false,
  },
];

for (const c of statsCases) {
  test(`flake rate: ${c.name}`, () => {
    const stats = flakeStats(observations(c.events, at(0)), rules);
    assert.equal(stats.rate, c.rate);
    assert.equal(flakyCrossed(stats, rules), c.crossed);
    assert.equal(flakyCleared(stats, rules), c.cleared);
  });
}

test('a workflow passing only on retry never gets a failure alert, and one flaky notice', () => {
  // Every run passes on retry: the rate reaches 100% once 10 runs are known.
  const steps: Step[] = Array.from({ length: 30 }, (_, i) => ({ at: i * 5, event: 'flaky-pass' }));
  const out = simulate(steps);
  const kinds = out.flatMap((o) => o.kinds);
  assert.deepEqual(kinds, ['flaky']);
  assert.equal(out[9]?.kinds[0], 'flaky', 'the notice comes at the 10th run (minRuns)');
  assert.equal(out.at(-1)?.state, 'flaky');
});

test('the flaky notice comes again only after the rate cleared', () => {
  const flaky = (n: number, start: number): Step[] =>
    Array.from({ length: n }, (_, i) => ({ at: start + i, event: 'flaky-pass' }));
  const clean = (n: number, start: number): Step[] =>
    Array.from({ length: n }, (_, i) => ({ at: start + i, event: 'passed' }));
  // 10 flaky runs: notice. A failure outage in between does not re-arm it. 20 clean runs clear it; flaky again: notice.
  const steps = [
    ...flaky(10, 0),
    { at: 10, event: 'failed' } as Step,
    { at: 11, event: 'passed' } as Step,
    ...flaky(3, 12),
    ...clean(20, 20),
    ...flaky(10, 40),
  ];
  const out = simulate(steps);
  assert.deepEqual(
    out.flatMap((o) => o.kinds),
    ['flaky', 'failure', 'recovery', 'flaky'],
  );
  assert.deepEqual(trace(out).slice(9, 15), [
    '9 flaky flaky',
    '10 down failure',
    '11 up recovery',
    '12 flaky',
    '13 flaky',
    '14 flaky',
  ]);
});
