// Rule 8: which channels hear about which priority, and optional success notices for critical workflows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { channelsFor, channelsForAll, formatRoutes, parseRoutes, routingWarnings } from './routing.ts';
import { channelTypes } from '../../core/alerts.ts';
import { defaultPolicy, exampleRoutes, exampleRoutesText, mergePolicy } from './rules.ts';
import { simulate, trace } from '../../test/helpers/policy.ts';
import type { Priority } from '../../core/workflow.ts';

const parseCases: Array<{ text: string; routes?: object; problems?: RegExp }> = [
  {
    text: 'critical=slack+pagerduty,high=slack,medium=discord,low=email',
    routes: { critical: ['slack', 'pagerduty'], high: ['slack'], medium: ['discord'], low: ['email'] },
  },
  { text: ' Critical = Slack + Teams ; low=', routes: { critical: ['slack', 'teams'], low: [] } },
  { text: 'high=slack|webhook', routes: { high: ['slack', 'webhook'] } },
  { text: 'urgent=slack', problems: /"urgent" is not a priority/ },
  { text: 'high=slack+sms', problems: /high: unknown channel sms/ },
  { text: 'high', problems: /must look like priority=channel/ },
];

for (const c of parseCases) {
  test(`ALERT_ROUTES ${JSON.stringify(c.text)}`, () => {
    const r = parseRoutes(c.text);
    if (c.routes) assert.deepEqual(r, { ok: true, routes: c.routes });
    else assert.match(r.ok ? '' : r.problems.join('\n'), c.problems ?? /./);
  });
}

test('default routes: every channel hears every priority', () => {
  for (const p of ['critical', 'high', 'medium', 'low'] as const)
    assert.deepEqual(channelsFor(p, defaultPolicy.routes), [...channelTypes]);
});

test("the runbook's example routes: critical -> Slack + PagerDuty, high -> Slack, medium -> Discord, low -> email", () => {
  const r = exampleRoutes;
  assert.deepEqual(parseRoutes(exampleRoutesText), { ok: true, routes: exampleRoutes });
  assert.deepEqual(
    [channelsFor('critical', r), channelsFor('high', r), channelsFor('medium', r), channelsFor('low', r)],
    [['slack', 'pagerduty'], ['slack'], ['discord'], ['email']],
  );
  assert.deepEqual(channelsForAll(['high', 'medium', 'high'], r), ['slack', 'discord']);
  assert.equal(formatRoutes(r), 'critical=slack+pagerduty,high=slack,medium=discord,low=email');
});

test("alerts follow the workflow's priority", () => {
  /** The second of two failures of a workflow of `priority`, under the example routes. */
  const secondFailure = (priority: Priority) =>
    simulate(
      [
        { at: 0, event: 'failed', priority },
        { at: 1, event: 'failed', priority },
      ],
      { ...defaultPolicy, routes: exampleRoutes },
    ).slice(1)[0];
  assert.deepEqual(secondFailure('high')?.alerts[0]?.channels, ['slack']);
  assert.deepEqual(secondFailure('low')?.alerts[0]?.channels, ['email']);
});

test('success notices: only with NOTIFY_ON_SUCCESS, only for critical workflows, only while up', () => {
  const on = mergePolicy(defaultPolicy, { byPriority: { critical: { notifyOnSuccess: true } } });
  assert.deepEqual(trace(simulate([{ at: 0, event: 'passed' }])), ['0 up']);
  assert.deepEqual(
    trace(
      simulate(
        [
          { at: 0, event: 'passed' },
          { at: 1, event: 'failed' },
          { at: 2, event: 'passed' },
          { at: 3, event: 'passed' },
        ],
        on,
      ),
    ),
    ['0 up success', '1 down failure', '2 up recovery', '3 up success'],
  );
  assert.deepEqual(trace(simulate([{ at: 0, event: 'passed', priority: 'high' }], on)), ['0 up']);
});

test('routing warnings: a priority that reaches no configured channel names ALERT_ROUTES', () => {
  assert.deepEqual(
    routingWarnings(['discord'], defaultPolicy.routes),
    [],
    'the default reaches every configured channel',
  );
  assert.deepEqual(routingWarnings([], exampleRoutes), [], 'no channel configured: nothing to route');
  const w = routingWarnings(['discord'], exampleRoutes);
  assert.deepEqual(
    w.map((l) => l.split(' alerts')[0]),
    ['ALERT_ROUTES: critical', 'ALERT_ROUTES: high', 'ALERT_ROUTES: low'],
  );
  assert.match(
    w[0]!,
    /critical alerts reach no configured channel \(routed to slack\+pagerduty; configured: discord\)/,
  );
  assert.match(
    routingWarnings(['teams', 'slack'], exampleRoutes).join('\n'),
    /ALERT_ROUTES: teams is configured but no priority is routed to it/,
  );
});
