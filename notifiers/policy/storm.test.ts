// Rule 6: DOWN alerts of one run or minute fold into one digest per channel; when everything
// failed because the target cannot be reached, one "target unreachable" alert.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { NotificationKind } from '../../core/records.ts';
import type { Priority } from '../../core/workflow.ts';
import type { ChannelType } from '../../core/alerts.ts';
import { channelsFor } from './routing.ts';
import { defaultPolicy, exampleRoutes } from './rules.ts';
import { foldStorm, isNetworkError, type PolicyAlert } from './storm.ts';
import { at } from '../../test/helpers/policy.ts';

const networkCases: Array<[string | null, boolean]> = [
  ['TargetUnreachableError: http://localhost:3000 did not answer', true],
  ['\u001b[31mError: TargetUnreachableError: refused\u001b[39m', true],
  ['Error: page.goto: net::ERR_CONNECTION_REFUSED at http://localhost:3000/login', true],
  ['Error: page.goto: net::ERR_NAME_NOT_RESOLVED at https://shop.invalid/', true],
  ['Error: connect ECONNREFUSED 127.0.0.1:3000', true],
  ['Error: getaddrinfo ENOTFOUND shop.example', true],
  ['Error: expect(locator).toBeVisible() failed', false],
  ['Error: page.goto: net::ERR_ABORTED', false],
  ['Test timeout of 30000ms exceeded.', false],
  [null, false],
];

for (const [error, expected] of networkCases) {
  test(`network error? ${JSON.stringify(error)?.slice(0, 60)} -> ${expected}`, () =>
    assert.equal(isNetworkError(error), expected));
}

function down(
  workflowId: string,
  priority: Priority,
  opts: { error?: string; kind?: NotificationKind; runId?: string } = {},
): PolicyAlert {
  const kind = opts.kind ?? 'failure';
  return {
    key: 'outage:1',
    workflowId,
    kind,
    hold: true,
    runId: opts.runId ?? 'run-1',
    channels: channelsFor(priority, exampleRoutes),
    alert: {
      kind,
      title: `Workflow Failed: ${workflowId}`,
      priority,
      workflow: { id: workflowId, name: workflowId, priority, type: 'journey' },
      error: opts.error ?? 'Error: expect(locator).toBeVisible() failed',
      status: 'failed',
      runId: opts.runId ?? 'run-1',
      at: at(0),
    },
  };
}

const refused = 'Error: page.goto: net::ERR_CONNECTION_REFUSED at http://localhost:3000/';
type Case = {
  name: string;
  batch: PolicyAlert[];
  passes?: number;
  expect: Array<[NotificationKind, string, ChannelType[], number?]>;
};

const cases: Case[] = [
  {
    name: 'two workflows down: each alert on its own',
    batch: [down('a', 'critical'), down('b', 'critical')],
    expect: [
      ['failure', 'a', ['slack', 'pagerduty']],
      ['failure', 'b', ['slack', 'pagerduty']],
    ],
  },
  {
    name: 'three down together: one digest per channel',
    batch: [down('a', 'critical'), down('b', 'critical'), down('c', 'critical')],
    expect: [['digest', '*', ['slack', 'pagerduty'], 3]],
  },
  {
    name: 'digests per channel: slack folds 3, discord keeps its single alert',
    batch: [down('a', 'high'), down('b', 'high'), down('c', 'high'), down('d', 'medium')],
    expect: [
      ['digest', '*', ['slack'], 3],
      ['failure', 'd', ['discord']],
    ],
  },
  {
    name: 'a channel below the threshold still gets individual alerts',
    batch: [down('a', 'critical'), down('b', 'critical'), down('c', 'high')],
    expect: [
      ['digest', '*', ['slack'], 3],
      ['failure', 'a', ['pagerduty']],
      ['failure', 'b', ['pagerduty']],
    ],
  },
  {
    name: 'every failure a network error, nothing passed: one target unreachable alert',
    batch: [
      down('a', 'critical', { error: refused }),
      down('b', 'high', { error: 'Error: connect ECONNREFUSED 127.0.0.1:3000' }),
      down('c', 'medium', { error: refused }),
    ],
    expect: [['critical', '*', ['slack', 'discord', 'pagerduty'], 3]],
  },
  {
    name: 'two workflows are enough to call the target unreachable',
    batch: [down('a', 'high', { error: refused }), down('b', 'high', { error: refused })],
    expect: [['critical', '*', ['slack'], 2]],
  },
  {
    name: 'one workflow alone keeps its own failure',
    batch: [down('a', 'high', { error: refused })],
    expect: [['failure', 'a', ['slack']]],
  },
  {
    name: 'something in the run passed: not unreachable, an ordinary storm',
    passes: 1,
    batch: [
      down('a', 'high', { error: refused }),
      down('b', 'high', { error: refused }),
      down('c', 'high', { error: refused }),
    ],
    expect: [['digest', '*', ['slack'], 3]],
  },
  {
    name: 'one ordinary failure among network errors: not unreachable',
    batch: [down('a', 'high', { error: refused }), down('b', 'high')],
    expect: [
      ['failure', 'a', ['slack']],
      ['failure', 'b', ['slack']],
    ],
  },
  {
    name: 'reminders of one round fold too',
    batch: ['a', 'b', 'c'].map((w) => down(w, 'high', { kind: 'reminder' })),
    expect: [['digest', '*', ['slack'], 3]],
  },
  {
    name: 'other kinds pass through untouched',
    batch: [
      down('a', 'high', { kind: 'recovery' }),
      down('b', 'high', { kind: 'recovery' }),
      down('c', 'high', { kind: 'recovery' }),
    ],
    expect: [
      ['recovery', 'a', ['slack']],
      ['recovery', 'b', ['slack']],
      ['recovery', 'c', ['slack']],
    ],
  },
];

for (const c of cases) {
  test(`storm: ${c.name}`, () => {
    const out = foldStorm(c.batch, defaultPolicy.storm, { passesInRuns: c.passes ?? 0 }, at(1));
    assert.deepEqual(
      out.map((a) => {
        const row: [NotificationKind, string, ChannelType[], number?] = [a.alert.kind, a.workflowId, a.channels];
        if (a.alert.items) row.push(a.alert.items.length);
        return row;
      }),
      c.expect,
    );
  });
}

test('a digest lists the workflows with their errors and names the storm', () => {
  const [d] = foldStorm(
    [down('a', 'critical'), down('b', 'high'), down('c', 'high')],
    defaultPolicy.storm,
    { passesInRuns: 0 },
    at(1),
  );
  assert.equal(d?.alert.title, '3 workflows down');
  assert.equal(d?.alert.priority, 'critical');
  assert.equal(d?.alert.runId, 'run-1');
  assert.deepEqual(
    d?.alert.items?.map((i) => i.workflowId),
    ['a', 'b', 'c'],
  );
  assert.match(d?.alert.message ?? '', /One message instead of 3/);
});

test('the unreachable alert is critical and keeps the error', () => {
  const [u] = foldStorm(
    [down('a', 'high', { error: refused }), down('b', 'low', { error: refused })],
    defaultPolicy.storm,
    { passesInRuns: 0 },
    at(1),
  );
  assert.equal(u?.alert.title, 'Target unreachable');
  assert.equal(u?.alert.kind, 'critical');
  assert.equal(u?.alert.error, refused);
  assert.deepEqual(u?.channels, ['slack', 'email']);
});

test('a storm digest groups the workflows failing with the same cause and request, and opens with it', () => {
  const withCause = (id: string, cause: string) => {
    const a = down(id, 'critical');
    return { ...a, alert: { ...a.alert, cause } };
  };
  const batch = [
    withCause('login', "POST /api/auth/callback/credentials answered 500 during 'Sign in'"),
    withCause('orders', "POST /api/auth/callback/credentials answered 500 during 'Sign in as customer'"),
    withCause('health', "the health check reports unhealthy: database unhealthy during 'Platform reports healthy'"),
    withCause('farms', "POST /api/auth/callback/credentials answered 500 during 'Sign in as farmer'"),
  ];
  const [digest] = foldStorm(batch, defaultPolicy.storm, { passesInRuns: 0 }, at(1));
  assert.equal(digest?.kind, 'digest');
  assert.equal(digest.alert.cause, '3 workflows: POST /api/auth/callback/credentials answered 500');
  assert.deepEqual(
    digest.alert.items?.map((i) => i.workflowId),
    ['login', 'orders', 'farms', 'health'],
    'the group side by side',
  );
  assert.ok(
    digest.alert.items?.every((i) => i.cause),
    'each line keeps its own cause',
  );
  const plain = foldStorm(
    batch.map((a) => ({ ...a, alert: { ...a.alert, cause: null } })),
    defaultPolicy.storm,
    { passesInRuns: 0 },
    at(1),
  );
  assert.equal(plain[0]?.alert.cause, null, 'no shared cause, no group line');
});
