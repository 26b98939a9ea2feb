import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cronProblem } from '../core/cron.ts';
import { cronIntervalMs, intervalCron } from './cron.ts';
import { overrideVariable, scheduleOverrides } from './overrides.ts';
import { resolveSchedules } from './schedules.ts';
import { parseSuiteListing, type ListedWorkflow } from './suite-listing.ts';

const wf = (id: string, schedule: string | null, priority = 'high'): ListedWorkflow => ({
  id,
  title: id,
  file: `${id}.spec.ts`,
  priority,
  schedule,
  tags: [`@${priority}`, `@${id}`],
});

test('override variable names: upper case, dashes to underscores', () => {
  assert.equal(overrideVariable('user-login'), 'MONITOR_SCHEDULE_USER_LOGIN');
  assert.deepEqual(
    [...scheduleOverrides({ MONITOR_SCHEDULE_A: ' */5 * * * * ', MONITOR_SCHEDULE_B: '', OTHER: 'x' })],
    [['MONITOR_SCHEDULE_A', '*/5 * * * *']],
  );
});

test('override beats spec beats interval; an override naming no workflow is a problem naming it', () => {
  const r = resolveSchedules([wf('user-login', '*/15 * * * *'), wf('health-check', '*/5 * * * *'), wf('plain', null)], {
    overrides: new Map([
      ['MONITOR_SCHEDULE_USER_LOGIN', '* * * * *'],
      ['MONITOR_SCHEDULE_GONE', '0 * * * *'],
    ]),
    intervalMinutes: 10,
  });
  assert.equal(r.problems.length, 1, r.problems.join('\n'));
  assert.match(r.problems[0]!, /^MONITOR_SCHEDULE_GONE names no workflow .*user-login, health-check, plain/);
  assert.deepEqual(
    r.schedules.map((s) => [s.workflowId, s.cron, s.source]),
    [
      ['user-login', '* * * * *', 'override'],
      ['health-check', '*/5 * * * *', 'spec'],
      ['plain', '*/10 * * * *', 'interval'],
    ],
  );
  assert.deepEqual(r.warnings, []);
  // With a spec file that did not load, the override may be for one of its workflows: a warning.
  const partial = resolveSchedules([wf('plain', null)], {
    overrides: new Map([['MONITOR_SCHEDULE_GONE', '0 * * * *']]),
    intervalMinutes: 10,
    suiteIncomplete: true,
  });
  assert.deepEqual(partial.problems, []);
  assert.match(partial.warnings[0]!, /MONITOR_SCHEDULE_GONE matches no workflow loaded/);
});

test('every problem at once: bad override, bad spec cron, unknown priority, impossible interval', () => {
  const r = resolveSchedules([wf('a', '*/15 * * * *', 'urgent'), wf('b', '61 * * * *'), wf('c', null)], {
    overrides: new Map([['MONITOR_SCHEDULE_A', 'every minute']]),
    intervalMinutes: 7,
  });
  assert.equal(r.problems.length, 4, r.problems.join('\n'));
  assert.ok(r.problems.some((p) => /MONITOR_SCHEDULE_A: "every minute" is not a valid cron/.test(p)));
  assert.ok(r.problems.some((p) => /unknown priority "urgent"/.test(p)));
  assert.ok(r.problems.some((p) => /"b".*61 \* \* \* \*/.test(p)));
  assert.ok(r.problems.some((p) => /MONITORING_INTERVAL_MINUTES: 7/.test(p)));
});

test('cron helpers: five fields unless seconds are allowed; intervals; longest gap', () => {
  assert.equal(cronProblem('*/5 * * * *'), undefined);
  assert.ok(cronProblem('*/5 * * * * *'));
  assert.equal(cronProblem('*/5 * * * * *', { allowSeconds: true }), undefined);
  assert.ok(cronProblem('61 * * * *'));
  assert.deepEqual([1, 5, 15, 60, 120, 1440, 7, 90].map(intervalCron), [
    '* * * * *',
    '*/5 * * * *',
    '*/15 * * * *',
    '0 * * * *',
    '0 */2 * * *',
    '0 0 * * *',
    undefined,
    undefined,
  ]);
  assert.equal(cronIntervalMs('*/15 * * * *', new Date('2025-01-01T00:00:00Z')), 15 * 60_000);
  // Weekdays at 09:00: the longest gap is the weekend.
  assert.equal(cronIntervalMs('0 9 * * 1-5', new Date('2025-01-01T00:00:00Z'), 'UTC'), 3 * 86_400_000);
});

test('the suite listing: workflows from annotations, load errors and duplicate ids are problems', () => {
  const spec = (title: string, id: string | null) => ({
    title,
    file: `${title}.spec.ts`,
    line: 3,
    tags: ['high', ...(id ? [id] : [])],
    tests: [
      {
        annotations: id
          ? [
              { type: 'workflow', description: id },
              { type: 'priority', description: 'high' },
              { type: 'schedule', description: '0 * * * *' },
            ]
          : [],
      },
    ],
  });
  const json = JSON.stringify({
    suites: [{ specs: [spec('A', 'a'), spec('Plain', null)], suites: [{ specs: [spec('A2', 'a')] }] }],
    errors: [{ message: '\u001b[31mError: workflow("x") is invalid\u001b[39m\n    at stack' }],
  });
  const l = parseSuiteListing(json);
  assert.deepEqual(
    l.workflows.map((w) => [w.id, w.priority, w.schedule, w.tags]),
    [['a', 'high', '0 * * * *', ['@high', '@a']]],
  );
  assert.deepEqual(l.problems, [
    'Error: workflow("x") is invalid',
    'workflow id "a" is used twice (A.spec.ts:3 and A2.spec.ts:3)',
  ]);
  assert.equal(l.warnings.length, 1);
  assert.match(parseSuiteListing('not json').problems[0]!, /not JSON/);
});
