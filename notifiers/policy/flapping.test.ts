// Rule 5: more than F UP/DOWN changes within a window is FLAPPING: one message, then quiet until
// the underlying state has held for a while; then one message saying where it settled.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { changesInWindow, isStable, wouldFlap } from './flapping.ts';
import { defaultPolicy, mergePolicy } from './rules.ts';
import { at, simulate, trace, type Step } from '../../test/helpers/policy.ts';

const rules = defaultPolicy.rules.flapping;

const windowCases: Array<{ name: string; changes: number[]; notBefore?: number; count: number; flaps: boolean }> = [
  { name: 'no changes', changes: [], count: 0, flaps: false },
  { name: 'three changes in the hour: a fourth would be one too many', changes: [-5, -20, -59], count: 3, flaps: true },
  { name: 'changes older than the window do not count', changes: [-5, -20, -61], count: 2, flaps: false },
  {
    name: 'changes before it last settled do not count',
    changes: [-5, -20, -30],
    notBefore: -25,
    count: 2,
    flaps: false,
  },
];

for (const c of windowCases) {
  test(`flap window: ${c.name}`, () => {
    const notBefore = c.notBefore === undefined ? null : at(c.notBefore);
    assert.equal(changesInWindow(c.changes.map(at), rules, at(0), notBefore), c.count);
    assert.equal(wouldFlap(c.changes.map(at), rules, at(0), notBefore), c.flaps);
  });
}

test('stability is measured from the last underlying change', () => {
  assert.equal(isStable({ stableSince: null }, rules, at(0)), false);
  assert.equal(isStable({ stableSince: at(-29) }, rules, at(0)), false);
  assert.equal(isStable({ stableSince: at(-30) }, rules, at(0)), true);
});

const F = (m: number): Step => ({ at: m, event: 'failed' });
const P = (m: number): Step => ({ at: m, event: 'passed' });
const T = (m: number): Step => ({ at: m, event: 'timer' });

// Four changes within the hour: failure, recovery, failure, then the fourth is FLAPPING.
const fourChanges = [F(0), P(5), F(10), P(15)];
const fourChangesTrace = ['0 down failure', '5 up recovery', '10 down failure', '15 flapping flapping'];

test('alternating runs: three messages, then one flapping notice, then quiet until stable', () => {
  const out = simulate([...fourChanges, F(20), P(25), F(30), P(35), T(40), T(64), T(65), P(70), T(200)]);
  assert.deepEqual(trace(out), [
    ...fourChangesTrace,
    '20 flapping',
    '25 flapping',
    '30 flapping',
    '35 flapping',
    '40 flapping',
    '64 flapping',
    '65 up recovery',
    '70 up',
    '200 up',
  ]);
  assert.equal(out[10]?.alerts[0]?.alert.title, 'Workflow Stable: User Login');
});

test('settling while failing sends a failure, and reminders resume from there', () => {
  const out = simulate([...fourChanges, F(20), T(49), T(50), T(109), T(110)]);
  assert.deepEqual(trace(out), [
    ...fourChangesTrace,
    '20 flapping',
    '49 flapping',
    '50 down failure',
    '109 down',
    '110 down reminder',
  ]);
});

test('after settling, old changes are spent: the next outage is an ordinary one', () => {
  const out = simulate([...fourChanges, T(45), F(50), P(55)]);
  assert.deepEqual(trace(out), [...fourChangesTrace, '45 up recovery', '50 down failure', '55 up recovery']);
});

test('F and the windows are configurable', () => {
  const policy = mergePolicy(defaultPolicy, { rules: { flapping: { maxChanges: 1, stableMinutes: 10 } } });
  const out = simulate([F(0), P(5), T(14), T(15)], policy);
  assert.deepEqual(trace(out), ['0 down failure', '5 flapping flapping', '14 flapping', '15 up recovery']);
});
