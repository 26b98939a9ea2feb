// Issue 16: where each workflow runs from (the spec's `locations`, MONITOR_LOCATIONS_<ID>, else
// every location), which a daemon of one location schedules, and the per-location job ids.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { locationOverrides, locationsVariable, locationSchema } from '../config/location.ts';
import { defaultQuorum, locationProblem } from '../core/locations.ts';
import { parseWorkflow } from '../core/workflow.ts';
import { workflow } from '../fixtures/workflow.ts';
import { slotJobId } from './due-slots.ts';
import { dueQueueFor } from './queue.ts';
import { assignedTo, resolveSchedules } from './schedules.ts';
import { parseSuiteListing, type ListedWorkflow } from './suite-listing.ts';

const wf = (id: string, locations: string[] | null = null): ListedWorkflow => ({
  id,
  title: id,
  file: `${id}.spec.ts`,
  priority: 'high',
  schedule: '* * * * *',
  tags: ['@high', `@${id}`],
  locations,
});

test('location names, MONITOR_LOCATION (default local) and the default quorum', () => {
  assert.equal(locationProblem('eu-west'), null);
  assert.match(locationProblem('EU')!, /not a location name/);
  assert.equal(locationSchema.parse({}).MONITOR_LOCATION, 'local');
  assert.equal(locationSchema.parse({ MONITOR_LOCATION: ' us-east-1 ' }).MONITOR_LOCATION, 'us-east-1');
  assert.equal(locationSchema.safeParse({ MONITOR_LOCATION: '1eu' }).success, false);
  assert.equal(locationSchema.safeParse({ MONITOR_LOCATION: 'a'.repeat(33) }).success, false);
  assert.deepEqual([1, 2, 3, 4, 5].map(defaultQuorum), [1, 2, 2, 3, 3]);
});

test('workflow({ locations }) travels as an annotation and back through the suite listing', () => {
  const details = workflow({ id: 'checkout', priority: 'high', schedule: '* * * * *', locations: ['eu', 'us', 'eu'] });
  assert.deepEqual(
    details.annotation.find((a) => a.type === 'locations'),
    { type: 'locations', description: 'eu,us' },
  );
  assert.throws(
    () => parseWorkflow({ id: 'x', priority: 'high', schedule: '* * * * *', locations: ['EU'] }),
    /locations must be location names/,
  );
  assert.throws(
    () => parseWorkflow({ id: 'x', priority: 'high', schedule: '* * * * *', locations: [] }),
    /at least one/,
  );
  const listing = parseSuiteListing(
    JSON.stringify({
      suites: [
        {
          specs: [
            { title: 'checkout', file: 'c.spec.ts', tags: details.tag, tests: [{ annotations: details.annotation }] },
          ],
        },
      ],
      errors: [],
    }),
  );
  assert.deepEqual(listing.workflows[0]?.locations, ['eu', 'us']);
});

test('MONITOR_LOCATIONS_<ID> beats the spec; no locations = every location; a daemon schedules what is assigned to it', () => {
  assert.equal(locationsVariable('user-login'), 'MONITOR_LOCATIONS_USER_LOGIN');
  const env = {
    MONITOR_LOCATIONS_A: 'eu, us',
    MONITOR_LOCATIONS_B: 'EU',
    MONITOR_LOCATION: 'eu',
    MONITOR_LOCATIONS_C: '',
  };
  const parsed = locationOverrides(env);
  assert.deepEqual([...parsed.overrides], [['MONITOR_LOCATIONS_A', ['eu', 'us']]]);
  assert.deepEqual(parsed.problems, [
    'MONITOR_LOCATIONS_B: "EU" must be location names separated by commas (a lower-case letter, then up to 31 lower-case letters, digits or dashes)',
  ]);
  const r = resolveSchedules([wf('a', ['ap']), wf('spec-only', ['us']), wf('everywhere')], {
    overrides: new Map(),
    locationOverrides: new Map([
      ['MONITOR_LOCATIONS_A', ['eu', 'us']],
      ['MONITOR_LOCATIONS_GONE', ['eu']],
    ]),
    intervalMinutes: 15,
  });
  assert.deepEqual(
    r.schedules.map((s) => [s.workflowId, s.locations]),
    [
      ['a', ['eu', 'us']],
      ['spec-only', ['us']],
      ['everywhere', null],
    ],
  );
  assert.equal(r.problems.length, 1);
  assert.match(r.problems[0]!, /^MONITOR_LOCATIONS_GONE names no workflow .*MONITOR_LOCATIONS_ \+ the id/);
  assert.deepEqual(
    assignedTo(r.schedules, 'eu').map((s) => s.workflowId),
    ['a', 'everywhere'],
  );
  assert.deepEqual(
    assignedTo(r.schedules, 'us').map((s) => s.workflowId),
    ['a', 'spec-only', 'everywhere'],
  );
  assert.deepEqual(
    assignedTo(r.schedules, 'local').map((s) => s.workflowId),
    ['everywhere'],
  );
});

test('each location has its own queue and its own job id per (workflow, slot); local keeps the ids filed before', () => {
  const slot = { workflowId: 'a', slot: new Date('2025-01-01T10:00:00Z') };
  assert.equal(slotJobId(slot, 'local'), slotJobId(slot));
  assert.notEqual(slotJobId(slot, 'eu'), slotJobId(slot));
  assert.notEqual(slotJobId(slot, 'eu'), slotJobId(slot, 'us'));
  assert.equal(slotJobId(slot, 'eu'), slotJobId({ ...slot }, 'eu'));
  assert.equal(dueQueueFor('local'), 'wm-due');
  assert.equal(dueQueueFor('eu-west'), 'wm-due-eu-west');
});
