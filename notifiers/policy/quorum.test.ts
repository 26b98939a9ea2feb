// Quorum across locations (issue 16) on constructed histories: one location failing is "failing
// from", a quorum of them is one DOWN naming them all, and fewer than the quorum is a recovery.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultPolicy, exampleRoutes, mergePolicy, type Policy } from './rules.ts';
import { at, simulate, trace, type Step } from '../../test/helpers/policy.ts';
import { maintenanceWindowsSchema } from './maintenance.ts';
import { quorumOf } from './quorum.ts';
import { loadPolicyConfig } from './config.ts';

const F = (m: number, location: string, priority: Step['priority'] = 'critical'): Step => ({
  at: m,
  event: 'failed',
  location,
  priority,
});
const P = (m: number, location: string, priority: Step['priority'] = 'critical'): Step => ({
  at: m,
  event: 'passed',
  location,
  priority,
});
const T = (m: number): Step => ({ at: m, event: 'timer' });
const withQuorum = (quorum: Policy['rules']['quorum']) => mergePolicy(defaultPolicy, { rules: { quorum } });

test('quorum 2 of 2: one location failing is one "failing from" notice, no DOWN; both: one DOWN naming both; a pass: one recovery', () => {
  const out = simulate(
    [P(0, 'a'), P(0, 'b'), F(5, 'b'), P(5, 'a'), F(10, 'b'), P(10, 'a'), F(15, 'a'), F(15, 'b'), T(16)],
    withQuorum(2),
  );
  assert.deepEqual(trace(out), [
    '0 up',
    '0 up',
    '5 up partial',
    '5 up',
    '10 up',
    '10 up',
    '15 down failure',
    '15 down',
    '16 down',
  ]);
  const partial = out[2]?.alerts[0];
  assert.equal(partial?.alert.title, 'Failing from b: User Login');
  assert.equal(partial?.alert.priority, 'low');
  assert.equal(partial?.hold, false);
  assert.deepEqual(partial?.alert.locations, { failing: ['b'], passing: ['a'] });
  const down = out[6]?.alerts[0]?.alert;
  assert.deepEqual(down?.locations, { failing: ['a', 'b'], passing: [] });
  // No "Down since": the outage began when the quorum-th location (a, at 15) started failing, not with b's first failure.
  assert.equal(down?.message, 'Failing from a, b: 2 of 2 locations, quorum 2.');

  const back = simulate(
    [P(0, 'a'), P(0, 'b'), F(5, 'a'), F(5, 'b'), P(10, 'a'), P(10, 'b'), F(20, 'b'), P(20, 'a')],
    withQuorum(2),
  );
  assert.deepEqual(trace(back), [
    '0 up',
    '0 up',
    '5 up partial',
    '5 down failure',
    '10 up recovery',
    '10 up',
    '20 up partial',
    '20 up',
  ]);
  assert.deepEqual(back[4]?.alerts[0]?.alert.locations, { failing: ['b'], passing: ['a'] }, 'b has not passed yet');
  assert.equal(back[4]?.alerts[0]?.alert.downtimeMs, 5 * 60_000);
  assert.equal(
    back[4]?.alerts[0]?.alert.message,
    'Back up after being down for 5m 00s. Still failing from b (below the quorum).',
  );
});

test('the default quorum is a majority of the active locations: 2 of 2, 2 of 3', () => {
  assert.deepEqual(trace(simulate([P(0, 'a'), F(0, 'b'), F(5, 'b'), F(5, 'a')])), [
    '0 up',
    '0 up partial',
    '5 up',
    '5 down failure',
  ]);
  const three = simulate([P(0, 'a'), P(0, 'b'), P(0, 'c'), F(5, 'c'), F(6, 'a')]);
  assert.deepEqual(trace(three), ['0 up', '0 up', '0 up', '5 up partial', '6 down failure']);
  assert.deepEqual(three[4]?.alerts[0]?.alert.locations, { failing: ['a', 'c'], passing: ['b'] });
});

test('a percent quorum is of the active locations, rounded up; a count is capped at the locations there are', () => {
  assert.deepEqual(
    [1, 2, 3, 4, 10].map((n) => quorumOf('50%', n)),
    [1, 1, 2, 2, 5],
  );
  assert.deepEqual(
    [1, 2, 3, 4, 5].map((n) => quorumOf('majority', n)),
    [1, 2, 2, 3, 3],
  );
  assert.deepEqual(
    [1, 2, 3].map((n) => quorumOf(3, n)),
    [1, 2, 3],
  );
  const three = [P(0, 'a'), P(0, 'b'), P(0, 'c'), F(5, 'c'), F(6, 'a')];
  assert.deepEqual(trace(simulate(three, withQuorum('33%'))).slice(3), ['5 down failure', '6 down']);
  assert.deepEqual(trace(simulate(three, withQuorum('34%'))).slice(3), ['5 up partial', '6 down failure']);
  assert.deepEqual(trace(simulate(three, withQuorum('100%'))).slice(3), ['5 up partial', '6 up']);
  assert.deepEqual(trace(simulate([P(0, 'a'), F(1, 'b'), F(2, 'a')], withQuorum(5))), [
    '0 up',
    '1 up partial',
    '2 down failure',
  ]);
});

test('one location is exactly the single-location policy, whatever the quorum', () => {
  const steps = [
    F(0, 'eu', 'high'),
    P(5, 'eu', 'high'),
    F(10, 'eu', 'high'),
    F(15, 'eu', 'high'),
    P(20, 'eu', 'high'),
    P(25, 'eu', 'high'),
  ];
  const plain = steps.map(({ location: _, ...s }) => s);
  for (const policy of [defaultPolicy, withQuorum(2), withQuorum('100%')])
    assert.deepEqual(trace(simulate(steps, policy)), trace(simulate(plain, defaultPolicy)));
  assert.deepEqual(simulate(steps).at(3)?.alerts[0]?.alert.locations, { failing: ['eu'], passing: [] });
});

test('a location that stopped reporting drops out of the quorum', () => {
  // b last reported at 0 (every 5 min): by 40 it is older than the window (15 min) and two intervals.
  const out = simulate([P(0, 'a'), P(0, 'b'), P(5, 'a'), P(5, 'b'), F(40, 'a')], withQuorum(2));
  assert.deepEqual(trace(out).at(-1), '40 down failure');
  assert.deepEqual(out.at(-1)?.alerts[0]?.alert.locations, { failing: ['a'], passing: [] });
});

test('the "failing from" notice goes where low priority goes and never pages; reminders name the locations', () => {
  const routed = mergePolicy(
    { ...defaultPolicy, routes: exampleRoutes },
    { rules: { quorum: 2, reminderMinutes: 60 } },
  );
  const out = simulate([P(0, 'a'), F(0, 'b'), F(1, 'a'), T(61)], routed);
  assert.deepEqual(trace(out), ['0 up', '0 up partial', '1 down failure', '61 down reminder']);
  assert.deepEqual(out[1]?.alerts[0]?.channels, ['email']);
  assert.deepEqual(out[2]?.alerts[0]?.channels, ['slack', 'pagerduty']);
  assert.deepEqual(out[3]?.alerts[0]?.alert.locations, { failing: ['a', 'b'], passing: [] });
});

test('ALERT_POLICY: "quorum" is a count, a percentage or "majority", by default, priority or tag', () => {
  const r = loadPolicyConfig({
    ALERT_POLICY:
      '{"rules":{"quorum":"50%"},"byPriority":{"critical":{"quorum":1}},"byTag":{"@eu":{"quorum":"majority"}}}',
  });
  assert.ok(r.ok);
  assert.equal(r.policy.rules.quorum, '50%');
  assert.equal(r.policy.byPriority.critical?.quorum, 1);
  assert.equal(r.policy.byTag['@eu']?.quorum, 'majority');
  assert.equal(defaultPolicy.rules.quorum, 'majority');
  for (const bad of ['0', '"150%"', '"0%"', '"half"', '2.5']) {
    const b = loadPolicyConfig({ ALERT_POLICY: `{"rules":{"quorum":${bad}}}` });
    assert.equal(b.ok, false, bad);
    if (!b.ok) assert.match(b.problems.join('\n'), /^ALERT_POLICY: rules\.quorum: /, bad);
  }
});

test('flapping counts UP/DOWN changes of the workflow, whichever location caused them', () => {
  const out = simulate([P(0, 'a'), P(0, 'b'), F(1, 'a'), P(2, 'a'), F(3, 'b'), P(4, 'b'), T(35)], withQuorum(1));
  assert.deepEqual(trace(out), [
    '0 up',
    '0 up',
    '1 down failure',
    '2 up recovery',
    '3 down failure',
    '4 flapping flapping',
    '35 up recovery',
  ]);
});

test('a "failing from" notice inside a maintenance window is dropped, not owed afterwards', () => {
  const windows = maintenanceWindowsSchema.parse([{ start: at(-60).toISOString(), end: at(3).toISOString() }]);
  const policy: Policy = { ...withQuorum(2), maintenance: windows };

  const out = simulate(
    [P(0, 'a'), F(1, 'b'), P(2, 'a'), { at: 4, event: 'maintenance-end' }, F(5, 'b'), F(6, 'a')],
    policy,
  );
  assert.deepEqual(trace(out), ['0 up', '1 up', '2 up', '4 up', '5 up', '6 down failure']);
});

test('while DOWN, a location whose streak began before the quorum was reached still counts until it passes', () => {
  // b fails at 5 and 10 ("failing from b"), a joins at 15 (DOWN since 15); a fails again before b runs again.
  const out = simulate([P(0, 'a'), F(5, 'b'), P(5, 'a'), F(10, 'b'), F(15, 'a'), F(16, 'a'), P(18, 'b'), P(20, 'a')]);
  assert.deepEqual(trace(out), [
    '0 up',
    '5 up partial',
    '5 up',
    '10 up',
    '15 down failure',
    '16 down',
    '18 up recovery',
    '20 up',
  ]);
  assert.deepEqual(out[6]?.alerts[0]?.alert.locations, { failing: ['a'], passing: ['b'] });
});
