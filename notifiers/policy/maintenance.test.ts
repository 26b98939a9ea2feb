// Rule 7: maintenance windows mute alerts (runs go on and are recorded); an outage still open
// when the window closes is alerted then.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { maintenanceWindowsSchema, openOccurrence, windowCovers, type MaintenanceWindow } from './maintenance.ts';
import { defaultPolicy, type Policy } from './rules.ts';
import { at, simulate, stateRow, trace, type Step } from '../../test/helpers/policy.ts';

const parse = (v: unknown) => maintenanceWindowsSchema.safeParse(v);

const parseCases: Array<{ name: string; input: unknown; ok: boolean }> = [
  { name: 'fixed window', input: [{ start: '2025-12-01T02:00:00Z', end: '2025-12-01T04:00:00Z' }], ok: true },
  {
    name: 'fixed window with offset, by tag',
    input: [{ start: '2025-12-01T02:00:00+01:00', end: '2025-12-01T04:00:00+01:00', tags: ['payments'] }],
    ok: true,
  },
  {
    name: 'cron + duration, by workflow, with a zone',
    input: [{ cron: '0 3 * * 0', durationMinutes: 60, timezone: 'Europe/Berlin', workflows: ['user-login'] }],
    ok: true,
  },
  { name: 'end before start', input: [{ start: '2025-12-01T04:00:00Z', end: '2025-12-01T02:00:00Z' }], ok: false },
  { name: 'bad cron', input: [{ cron: 'every sunday', durationMinutes: 60 }], ok: false },
  { name: 'cron without duration', input: [{ cron: '0 3 * * 0' }], ok: false },
  {
    name: 'a typo in a field',
    input: [{ start: '2025-12-01T02:00:00Z', end: '2025-12-01T04:00:00Z', workflow: ['x'] }],
    ok: false,
  },
  { name: 'not a list', input: { start: '2025-12-01T02:00:00Z' }, ok: false },
];

for (const c of parseCases) {
  test(`MAINTENANCE_WINDOWS: ${c.name} -> ${c.ok ? 'valid' : 'rejected'}`, () =>
    assert.equal(parse(c.input).success, c.ok));
}

function window(input: unknown): MaintenanceWindow {
  const r = parse([input]);
  assert.ok(r.success && r.data[0]);
  return r.data[0];
}

const fixed = window({ start: '2025-12-01T02:00:00Z', end: '2025-12-01T04:00:00Z' });
const weekly = window({ cron: '0 2 * * 0', durationMinutes: 60 }); // Sundays 02:00-03:00 UTC
const berlin = window({ cron: '0 3 * * *', durationMinutes: 30, timezone: 'Europe/Berlin' }); // 02:00-02:30 UTC in winter

const openCases: Array<[string, MaintenanceWindow, string, boolean]> = [
  ['fixed: before', fixed, '2025-12-01T01:59:59Z', false],
  ['fixed: at start', fixed, '2025-12-01T02:00:00Z', true],
  ['fixed: inside', fixed, '2025-12-01T03:59:59Z', true],
  ['fixed: end is exclusive', fixed, '2025-12-01T04:00:00Z', false],
  ['cron: at the occurrence', weekly, '2025-11-30T02:00:00Z', true],
  ['cron: inside the duration', weekly, '2025-11-30T02:59:00Z', true],
  ['cron: after the duration', weekly, '2025-11-30T03:00:00Z', false],
  ['cron: another day', weekly, '2025-12-01T02:30:00Z', false],
  ['cron in a time zone: inside', berlin, '2025-12-01T02:10:00Z', true],
  ['cron in a time zone: UTC 03:10 is outside', berlin, '2025-12-01T03:10:00Z', false],
];

for (const [name, w, when, open] of openCases) {
  test(`window open? ${name}`, () => assert.equal(openOccurrence(w, new Date(when)) !== null, open));
}

test('a window covers everything, or the workflows and tags it names', () => {
  assert.equal(windowCovers(fixed, 'user-login', []), true);
  const byTag = window({ start: '2025-12-01T02:00:00Z', end: '2025-12-01T04:00:00Z', tags: ['payments'] });
  assert.equal(windowCovers(byTag, 'checkout', ['@payments']), true);
  assert.equal(windowCovers(byTag, 'user-login', ['@critical']), false);
  const byId = window({ start: '2025-12-01T02:00:00Z', end: '2025-12-01T04:00:00Z', workflows: ['user-login'] });
  assert.equal(windowCovers(byId, 'user-login', []), true);
  assert.equal(windowCovers(byId, 'checkout', []), false);
});

// A window from minute 10 to minute 40 of the simulated clock.
const during = (scope: { tags?: string[]; workflows?: string[] } = {}): Policy => ({
  ...defaultPolicy,
  maintenance: [window({ start: at(10).toISOString(), end: at(40).toISOString(), ...scope })],
});
const F = (m: number): Step => ({ at: m, event: 'failed' });
const P = (m: number): Step => ({ at: m, event: 'passed' });
const T = (m: number): Step => ({ at: m, event: 'timer' });
const End = (m: number): Step => ({ at: m, event: 'maintenance-end' });

const muteCases: Array<{ name: string; policy: Policy; steps: Step[]; expect: string[] }> = [
  {
    name: 'an outage during the window is alerted when it ends',
    policy: during(),
    steps: [P(5), F(15), F(20), End(40)],
    expect: ['5 up', '15 down', '20 down', '40 down failure'],
  },
  {
    name: 'an outage that ended inside the window is never mentioned',
    policy: during(),
    steps: [F(15), P(20), End(40)],
    expect: ['15 down', '20 up', '40 up'],
  },
  {
    name: 'an alerted outage that recovered inside the window gets its recovery at the end',
    policy: during(),
    steps: [F(5), P(20), End(40)],
    expect: ['5 down failure', '20 up', '40 up recovery'],
  },
  {
    name: 'reminders are muted too',
    policy: { ...during(), rules: { ...defaultPolicy.rules, reminderMinutes: 15 } },
    steps: [F(0), T(15), T(30), T(45)],
    expect: ['0 down failure', '15 down', '30 down', '45 down reminder'],
  },
  {
    name: 'a window for another tag mutes nothing',
    policy: during({ tags: ['payments'] }),
    steps: [F(15), P(20)],
    expect: ['15 down failure', '20 up recovery'],
  },
  {
    name: 'a window for this workflow by id mutes it',
    policy: during({ workflows: ['user-login'] }),
    steps: [F(15), End(40)],
    expect: ['15 down', '40 down failure'],
  },
];

for (const c of muteCases) {
  test(`maintenance: ${c.name}`, () => assert.deepEqual(trace(simulate(c.steps, c.policy)), c.expect));
}

test('the failure owed after a window says why it comes late', () => {
  const out = simulate([F(15), End(40)], during());
  assert.match(out[1]?.alerts[0]?.alert.message ?? '', /maintenance window/);
  const muted = simulate([F(15)], during(), stateRow());
  assert.deepEqual(muted[0]?.alerts, []);
});
