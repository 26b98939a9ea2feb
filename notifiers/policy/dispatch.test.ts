// Dispatch: throttle per channel, then deliver, in order; rule 10's sendCriticalAlert.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RoutedAlert, ThrottleVerdict } from '../../core/alerts.ts';
import type { Alert } from '../alert.ts';
import type { ChannelType } from '../../core/alerts.ts';
import { createAlertDispatcher } from './dispatch.ts';
import { decideThrottle } from './throttle.ts';
import { exampleRoutes } from './rules.ts';
import { at } from '../../test/helpers/policy.ts';

function fakes(maxPerHour = 10) {
  const counts = new Map<ChannelType, number>();
  const sent: Array<{ title: string; channels: ChannelType[] }> = [];
  const claimed: Array<{ channel: ChannelType; verdict: ThrottleVerdict }> = [];
  const dispatcher = createAlertDispatcher({
    routes: exampleRoutes,
    now: () => at(0),
    async claim(channel) {
      const n = counts.get(channel) ?? 0;
      const verdict = decideThrottle({ lastHour: n, lastDay: n }, { maxPerHour, maxPerDay: 100 });
      if (!verdict.throttled) counts.set(channel, n + 1);
      claimed.push({ channel, verdict });
      return verdict;
    },
    async send(alert, channels) {
      sent.push({ title: alert.title, channels });
    },
    available: ['slack', 'pagerduty', 'email'],
  });
  return { dispatcher, sent, claimed };
}

const alert = (title: string): Alert => ({ kind: 'failure', title, priority: 'high', at: at(0) });

test('sendCriticalAlert goes to the critical route with its context as text', async () => {
  const { dispatcher, sent } = fakes();
  const out = await dispatcher.sendCriticalAlert('Database unreachable', 'Results are being spooled', {
    host: 'mon-1',
    since: at(-5),
    attempts: 3,
    extra: { a: 1 },
  });
  assert.deepEqual(out.sent, ['slack', 'pagerduty']);
  assert.equal(out.alert.kind, 'critical');
  assert.deepEqual(out.alert.context, { host: 'mon-1', since: at(-5).toISOString(), attempts: 3, extra: '{"a":1}' });
  assert.deepEqual(sent, [{ title: 'Database unreachable', channels: ['slack', 'pagerduty'] }]);
});

test('sendCriticalAlert as a recovery of an incident: same route, kind and incident kept', async () => {
  const { dispatcher, sent } = fakes();
  const incident = 'Monitoring pipeline failure: crash';
  const out = await dispatcher.sendCriticalAlert(
    'Monitoring pipeline recovered: crash',
    'ok',
    {},
    {
      kind: 'recovery',
      incident,
    },
  );
  assert.deepEqual(out.sent, ['slack', 'pagerduty']);
  assert.equal(out.alert.kind, 'recovery');
  assert.equal(out.alert.incident, incident);
  assert.equal(sent.length, 1);
});

test('sendCriticalAlert is throttled like everything else: the 11th in an hour is not sent', async () => {
  const { dispatcher, sent } = fakes();
  const outcomes = [];
  for (let i = 1; i <= 11; i += 1) outcomes.push(await dispatcher.sendCriticalAlert(`Problem ${i}`, 'x'));
  assert.equal(sent.length, 10);
  assert.deepEqual(outcomes.at(-1)?.throttled, ['slack', 'pagerduty']);
  assert.deepEqual(outcomes.at(-1)?.sent, []);
});

test('alerts go out in order, only to granted and configured channels', async () => {
  const { dispatcher, sent, claimed } = fakes(1);
  const routed: RoutedAlert<Alert, ChannelType>[] = [
    { alert: alert('first'), channels: ['slack', 'discord'] },
    { alert: alert('second'), channels: ['slack', 'email'] },
  ];
  const out = await dispatcher.dispatch(routed);
  assert.deepEqual(sent, [
    { title: 'first', channels: ['slack'] },
    { title: 'second', channels: ['email'] },
  ]);
  assert.deepEqual(
    out.map((o) => o.throttled),
    [[], ['slack']],
  );
  assert.ok(!claimed.some((c) => c.channel === 'discord'), 'an unconfigured channel takes no slot');
});

test('a failing claim or send stops that alert only', async () => {
  const sent: string[] = [];
  const dispatcher = createAlertDispatcher({
    routes: exampleRoutes,
    async claim(channel, a) {
      if (a.title === 'broken') throw new Error('database gone');
      return { throttled: false };
    },
    async send(a) {
      sent.push(a.title);
    },
  });
  const out = await dispatcher.dispatch([
    { alert: alert('broken'), channels: ['slack'] },
    { alert: alert('fine'), channels: ['slack'] },
  ]);
  assert.equal(out[0]?.error, 'database gone');
  assert.deepEqual(sent, ['fine']);
});
