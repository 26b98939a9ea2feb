// The transition table tested as a table: every row gets a constructed state and history that
// satisfies its guard (and none above it), and evaluate must land in the row's next state with
// the row's alert. Plus: every state x event is covered, and the README's table is this table.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { AlertHistory, AlertStateRow, PolicyEvent } from '../../core/alerts.ts';
import { defaultPolicy, mergePolicy, type Policy } from './rules.ts';
import { at, attempt, attemptAt, history, observation, observations, stateRow } from '../../test/helpers/policy.ts';
import { evaluate } from './transitions.ts';
import { policyEvents, policyStateOf, policyStates, transitionTable, type Transition } from './transition-table.ts';

type Scenario = { state: AlertStateRow; event: PolicyEvent; history?: AlertHistory; policy?: Policy; now?: Date };

const now = at(0);
const passed: PolicyEvent = { type: 'passed', execution: attempt('passed') };
const flakyPass: PolicyEvent = { type: 'flaky-pass', execution: attempt('flaky-pass') };
const failed: PolicyEvent = { type: 'failed', execution: attempt('failed') };
const failedHigh: PolicyEvent = { type: 'failed', execution: attempt('failed', { priority: 'high' }) };
const passedHigh: PolicyEvent = { type: 'passed', execution: attempt('passed', { priority: 'high' }) };
const timer: PolicyEvent = { type: 'timer' };
const maintenanceEnd: PolicyEvent = { type: 'maintenance-end' };

// 4 of the last 20 runs flaky (20%): crosses the default threshold; 3 of 20 (15%) is between clear (10%) and threshold.
const flaky20 = history({
  observations: observations(
    [...Array(16).fill('passed'), 'flaky-pass', 'flaky-pass', 'flaky-pass', 'flaky-pass'],
    now,
  ),
});
const flaky15 = history({
  observations: observations([...Array(17).fill('passed'), 'flaky-pass', 'flaky-pass', 'flaky-pass'], now),
});
const clean20 = history({ observations: observations(Array(20).fill('passed'), now) });
const oneFlaky = history({ observations: observations(['passed', 'passed', 'flaky-pass'], now) });
const failedNow = history({ observations: observations(['failed'], now) });
const passedNow = history({ observations: observations(['passed'], now) });
// Three UP/DOWN changes within the last hour: the next one is the 4th, more than maxChanges (3).
const flapHistory = (obs: AlertHistory['observations']) =>
  history({ observations: obs, stateChanges: [at(-10), at(-20), at(-30)] });
// Two locations: eu passed a minute ago, us fails now (critical: one failure is the down rule).
const usFailsEuPasses = history({
  observations: [observation('failed', now, 'run-us', 'us'), observation('passed', at(-1), 'run-eu', 'eu')],
});
const failedInUs: PolicyEvent = { type: 'failed', execution: attemptAt('us', 'failed') };
const successPolicy = mergePolicy(defaultPolicy, { byPriority: { critical: { notifyOnSuccess: true } } });
const down = (o: Partial<AlertStateRow> = {}) =>
  stateRow({
    state: 'down',
    episode: 1,
    downSince: at(-30),
    alertChannels: ['slack', 'pagerduty'],
    lastReminderAt: at(-30),
    consecutiveFailures: 3,
    ...o,
  });
const flapping = (o: Partial<AlertStateRow> = {}) =>
  stateRow({ flappingSince: at(-40), stableSince: at(-5), flapEpisode: 1, ...o });

const scenarios: Record<string, Scenario> = {
  'up/passed/success-notice': { state: stateRow(), event: passed, history: passedNow, policy: successPolicy },
  'up/passed/otherwise': { state: stateRow(), event: passed, history: passedNow },
  'up/flaky-pass/flaky-first': { state: stateRow(), event: flakyPass, history: flaky20 },
  'up/flaky-pass/flaky-again': {
    state: stateRow({ flakySince: at(-60), flakyEpisode: 1 }),
    event: flakyPass,
    history: flaky20,
  },
  'up/flaky-pass/otherwise': { state: stateRow(), event: flakyPass, history: oneFlaky },
  'up/failed/goes-down-flapping': { state: stateRow(), event: failed, history: flapHistory(failedNow.observations) },
  'up/failed/goes-down': { state: stateRow(), event: failed, history: failedNow },
  'up/failed/partial-first': { state: stateRow(), event: failedInUs, history: usFailsEuPasses },
  'up/failed/otherwise': { state: stateRow({ priority: 'high' }), event: failedHigh, history: failedNow },
  'up/timer/otherwise': { state: stateRow(), event: timer },
  'up/maintenance-end/muted-recovery': {
    state: stateRow({ mutedAlert: 'recovery', episode: 1 }),
    event: maintenanceEnd,
  },
  'up/maintenance-end/otherwise': { state: stateRow(), event: maintenanceEnd },

  'flaky/passed/flaky-cleared': {
    state: stateRow({ state: 'flaky', flakySince: at(-60) }),
    event: passed,
    history: clean20,
  },
  'flaky/passed/otherwise': {
    state: stateRow({ state: 'flaky', flakySince: at(-60) }),
    event: passed,
    history: flaky15,
  },
  'flaky/flaky-pass/otherwise': {
    state: stateRow({ state: 'flaky', flakySince: at(-60) }),
    event: flakyPass,
    history: flaky20,
  },
  'flaky/failed/goes-down-flapping': {
    state: stateRow({ state: 'flaky' }),
    event: failed,
    history: flapHistory(failedNow.observations),
  },
  'flaky/failed/goes-down': { state: stateRow({ state: 'flaky' }), event: failed, history: failedNow },
  'flaky/failed/partial-first': {
    state: stateRow({ state: 'flaky', flakySince: at(-60) }),
    event: failedInUs,
    history: usFailsEuPasses,
  },
  'flaky/failed/otherwise': {
    state: stateRow({ state: 'flaky', priority: 'high' }),
    event: failedHigh,
    history: failedNow,
  },
  'flaky/timer/otherwise': { state: stateRow({ state: 'flaky' }), event: timer },
  'flaky/maintenance-end/muted-recovery': {
    state: stateRow({ state: 'flaky', mutedAlert: 'recovery' }),
    event: maintenanceEnd,
  },
  'flaky/maintenance-end/otherwise': { state: stateRow({ state: 'flaky' }), event: maintenanceEnd },

  'down/passed/recovers-flapping': { state: down(), event: passed, history: flapHistory(passedNow.observations) },
  'down/passed/recovers': { state: down(), event: passed, history: passedNow },
  'down/passed/otherwise': { state: down({ priority: 'high' }), event: passedHigh, history: passedNow },
  'down/flaky-pass/recovers-flapping': {
    state: down(),
    event: flakyPass,
    history: flapHistory(observations(['flaky-pass'], now)),
  },
  'down/flaky-pass/recovers': {
    state: down(),
    event: flakyPass,
    history: history({ observations: observations(['flaky-pass'], now) }),
  },
  'down/flaky-pass/otherwise': {
    state: down({ priority: 'high' }),
    event: { type: 'flaky-pass', execution: attempt('flaky-pass', { priority: 'high' }) },
    history: history({ observations: observations(['flaky-pass'], now) }),
  },
  'down/failed/otherwise': { state: down(), event: failed, history: failedNow },
  'down/timer/reminder-due': { state: down({ lastReminderAt: at(-60) }), event: timer },
  'down/timer/otherwise': { state: down({ lastReminderAt: at(-59) }), event: timer },
  'down/maintenance-end/muted-failure': {
    state: down({ mutedAlert: 'failure', alertChannels: [], lastReminderAt: null }),
    event: maintenanceEnd,
  },
  'down/maintenance-end/otherwise': { state: down(), event: maintenanceEnd },

  'flapping/passed/otherwise': { state: flapping(), event: passed, history: passedNow },
  'flapping/flaky-pass/otherwise': {
    state: flapping(),
    event: flakyPass,
    history: history({ observations: observations(['flaky-pass'], now) }),
  },
  'flapping/failed/otherwise': { state: flapping(), event: failed, history: failedNow },
  'flapping/timer/stable-up': { state: flapping({ stableSince: at(-30) }), event: timer },
  'flapping/timer/stable-down': {
    state: flapping({ state: 'down', episode: 2, downSince: at(-31), stableSince: at(-30) }),
    event: timer,
  },
  'flapping/timer/otherwise': { state: flapping({ stableSince: at(-29) }), event: timer },
  'flapping/maintenance-end/otherwise': { state: flapping(), event: maintenanceEnd },
};

const rowKey = (r: Transition) => `${r.from}/${r.on}/${r.when}`;

test('every row of the transition table has a scenario, and every scenario a row', () => {
  assert.deepEqual(Object.keys(scenarios).sort(), transitionTable.map(rowKey).sort());
});

for (const row of transitionTable) {
  test(`${row.from} x ${row.on} [${row.when}] -> ${row.to}${row.alert ? ` + ${row.alert}` : ''}`, () => {
    const s = scenarios[rowKey(row)];
    assert.ok(s, `no scenario for ${rowKey(row)}`);
    assert.equal(policyStateOf(s.state), row.from, "scenario starts in the row's state");
    const d = evaluate(s.state, s.event, s.history ?? history(), s.policy ?? defaultPolicy, s.now ?? now);
    assert.equal(policyStateOf(d.next), row.to);
    assert.deepEqual(
      d.alerts.map((a) => a.alert.kind),
      row.alert ? [row.alert] : [],
    );
  });
}

test('every state x event has a fallback row, so evaluate is total', () => {
  for (const from of policyStates) {
    for (const on of policyEvents) {
      const rows = transitionTable.filter((r) => r.from === from && r.on === on);
      assert.ok(rows.length > 0, `${from} x ${on} has no row`);
      assert.equal(rows.at(-1)?.when, 'otherwise', `${from} x ${on} must end with an otherwise row`);
    }
  }
});

test('the README carries the same table', () => {
  const readme = readFileSync(new URL('./README.md', import.meta.url), 'utf8');
  const rows = readme
    .split('\n')
    .filter((l) => /^\| `(up|down|flapping|flaky)` \|/.test(l))
    .map((l) =>
      l
        .split('|')
        .slice(1, -1)
        .map((c) => c.trim().replaceAll('`', '')),
    );
  assert.deepEqual(
    rows,
    transitionTable.map((r) => [r.from, r.on, r.when, r.to, r.alert ?? '-']),
  );
});
