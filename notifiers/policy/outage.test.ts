// Rules 1-3 on constructed histories: when an outage starts, when it ends (and how long it was
// down), and reminders while it lasts. Each case is a run of events and the expected trace.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultPolicy, exampleRoutes, mergePolicy, type Policy } from './rules.ts';
import { at, history, simulate, stateRow, trace, type Step } from '../../test/helpers/policy.ts';
import { evaluate } from './transitions.ts';

type Case = { name: string; policy?: Policy; steps: Step[]; expect: string[] };

const F = (m: number, priority: Step['priority'] = 'critical'): Step => ({ at: m, event: 'failed', priority });
const P = (m: number, priority: Step['priority'] = 'critical'): Step => ({ at: m, event: 'passed', priority });
const R = (m: number, priority: Step['priority'] = 'critical'): Step => ({ at: m, event: 'flaky-pass', priority });
const T = (m: number): Step => ({ at: m, event: 'timer' });

const cases: Case[] = [
  {
    name: 'rule 1: a critical workflow goes down on its first failed run',
    steps: [P(0), F(5)],
    expect: ['0 up', '5 down failure'],
  },
  {
    name: 'rule 1: other priorities need two failed runs in a row',
    steps: [F(0, 'high'), P(5, 'high'), F(10, 'high'), F(15, 'high')],
    expect: ['0 up', '5 up', '10 up', '15 down failure'],
  },
  {
    name: 'rule 1: or three failures within 15 minutes, whichever comes first',
    steps: [F(0, 'high'), P(1, 'high'), F(2, 'high'), P(3, 'high'), F(4, 'high')],
    expect: ['0 up', '1 up', '2 up', '3 up', '4 down failure'],
  },
  {
    name: 'rule 1: failures spread wider than the window never add up',
    steps: [F(0, 'medium'), P(10, 'medium'), F(20, 'medium'), P(30, 'medium'), F(40, 'medium')],
    expect: ['0 up', '10 up', '20 up', '30 up', '40 up'],
  },
  {
    name: 'rule 1: one alert per outage, however many failures follow',
    steps: [F(0), F(5), F(10), F(15)],
    expect: ['0 down failure', '5 down', '10 down', '15 down'],
  },
  {
    name: 'rule 2: critical recovers on the first pass',
    steps: [F(0), P(5)],
    expect: ['0 down failure', '5 up recovery'],
  },
  {
    name: 'rule 2: others need two passes in a row',
    steps: [F(0, 'high'), F(5, 'high'), P(10, 'high'), F(15, 'high'), P(20, 'high'), P(25, 'high')],
    expect: ['0 up', '5 down failure', '10 down', '15 down', '20 down', '25 up recovery'],
  },
  {
    name: 'rule 2: a pass on retry counts as a pass',
    steps: [F(0), R(5)],
    expect: ['0 down failure', '5 up recovery'],
  },
  {
    name: 'rule 3: reminders every 60 minutes while down, none after recovery',
    steps: [F(0), T(30), T(60), T(61), T(90), T(120), P(130), T(190)],
    expect: [
      '0 down failure',
      '30 down',
      '60 down reminder',
      '61 down',
      '90 down',
      '120 down reminder',
      '130 up recovery',
      '190 up',
    ],
  },
  {
    name: 'rule 3: ALERT_REMINDER_MINUTES shortens the interval',
    policy: mergePolicy(defaultPolicy, { rules: { reminderMinutes: 15 } }),
    steps: [F(0), T(14), T(15), T(30)],
    expect: ['0 down failure', '14 down', '15 down reminder', '30 down reminder'],
  },
  {
    name: 'rule 3: 0 turns reminders off',
    policy: mergePolicy(defaultPolicy, { rules: { reminderMinutes: 0 } }),
    steps: [F(0), T(60), T(600)],
    expect: ['0 down failure', '60 down', '600 down'],
  },
  {
    name: 'per tag: a tag override beats the priority default',
    policy: mergePolicy(defaultPolicy, {
      byTag: { 'user-login': { down: { consecutiveFailures: 3 }, up: { consecutivePasses: 2 } } },
    }),
    steps: [F(0), F(5), F(10), P(15), P(20)],
    expect: ['0 up', '5 up', '10 down failure', '15 down', '20 up recovery'],
  },
];

for (const c of cases) {
  test(c.name, () => {
    assert.deepEqual(trace(simulate(c.steps, c.policy)), c.expect);
  });
}

test('rule 2: the recovery says how long it was down, from the first failure of the outage', () => {
  const out = simulate([F(0, 'high'), F(5, 'high'), P(40, 'high'), P(47, 'high')]);
  const recovery = out.at(-1)?.alerts[0]?.alert;
  assert.equal(recovery?.kind, 'recovery');
  assert.equal(recovery?.downtimeMs, 47 * 60_000);
  assert.match(recovery?.message ?? '', /down for 47m 00s/);
});

test('rule 1: the failure carries the attempt: error, failed step, run; routed by priority', () => {
  const [first] = simulate([{ at: 0, event: 'failed', error: 'Error: Login button not found', runId: 'run-9' }], {
    ...defaultPolicy,
    routes: exampleRoutes,
  });
  const a = first?.alerts[0];
  assert.equal(a?.alert.title, 'Workflow Failed: User Login');
  assert.equal(a?.alert.error, 'Error: Login button not found');
  assert.deepEqual(a?.alert.failedStep, { index: 2, total: 3, title: 'Sign in' });
  assert.equal(a?.alert.runId, 'run-9');
  assert.deepEqual(a?.channels, ['slack', 'pagerduty']);
});

test('rule 3: reminders go to the channels of the first alert and count throttled alerts', () => {
  const state = stateRow({
    state: 'down',
    episode: 4,
    downSince: at(-120),
    lastReminderAt: at(-60),
    alertChannels: ['discord'],
    consecutiveFailures: 9,
  });
  const d = evaluate(state, { type: 'timer' }, history({ throttled: 3 }), defaultPolicy, at(0));
  assert.equal(d.alerts.length, 1);
  assert.deepEqual(d.alerts[0]?.channels, ['discord']);
  assert.match(d.alerts[0]?.alert.message ?? '', /Down for 2h 00m/);
  assert.match(d.alerts[0]?.alert.message ?? '', /3 alerts were throttled/);
  assert.equal(d.next.lastReminderAt?.getTime(), at(0).getTime());
});

test('keys: one outage, one failure key; its reminders and recovery are distinct', () => {
  const out = simulate([F(0), T(60), T(120), P(130), F(140)]);
  const keys = out.flatMap((o) => o.alerts.map((a) => a.key));
  assert.equal(new Set(keys).size, keys.length);
  assert.deepEqual(
    keys.map((k) => k.replace(/:\d{6,}$/, ':<minute>')),
    ['outage:1', 'outage:1:reminder:<minute>', 'outage:1:reminder:<minute>', 'outage:1:recovered', 'outage:2'],
  );
});
