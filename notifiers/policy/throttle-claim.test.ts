// Throttle claims against a real PostgreSQL: the per-channel budget holds across two pools and
// two processes, and every throttled alert is logged.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { databaseAndSecondPool, freshDatabase } from '../../test/helpers/db.ts';
import { at, defaultPolicy, inChildProcess } from '../../test/helpers/alert-policy.ts';
import { throttleRule } from './throttle.ts';
import { getNotificationLogs } from '../../db/tables/notification-logs.ts';
import { claimThrottleSlot } from './transaction.ts';

const summary = {
  kind: 'failure' as const,
  priority: 'high' as const,
  workflowId: 'checkout',
  runId: 'r',
  title: 'Workflow Failed: Checkout',
  message: 'x',
};

test('the 11th alert within an hour on one channel is throttled and logged, across two pools', async (t) => {
  const { db, other } = await databaseAndSecondPool(t);
  const rule = throttleRule(defaultPolicy.throttle);
  const verdicts = await Promise.all(
    Array.from({ length: 11 }, (_, i) =>
      claimThrottleSlot(i % 2 === 0 ? db.pool : other, 'slack', at(0), rule, summary),
    ),
  );
  assert.equal(verdicts.filter((v) => v.throttled).length, 1);
  assert.equal(
    (await claimThrottleSlot(db.pool, 'discord', at(0), rule, summary)).throttled,
    false,
    'another channel has its own budget',
  );
  assert.equal((await claimThrottleSlot(other, 'slack', at(59), rule, summary)).throttled, true);
  assert.equal(
    (await claimThrottleSlot(other, 'slack', at(61), rule, summary)).throttled,
    false,
    'an hour later there is room again',
  );
  const logs = await getNotificationLogs(db.pool, { channel: 'slack' });
  assert.equal(logs.length, 2);
  assert.ok(logs.every((l) => l.throttled && !l.sent && /throttled: 10 alerts in the last hour/.test(l.error ?? '')));
});

test('the 11th alert within an hour is throttled across two separate processes', async (t) => {
  const db = await freshDatabase();
  t.after(() => db.drop());
  const body = `
    const summary = { kind: 'failure', priority: 'high', workflowId: 'w', runId: null, title: 't', message: 'm' };
    const rule = throttleRule({ maxPerHour: 10, maxPerDay: 100 });
    const out = await Promise.all(Array.from({ length: 6 }, () => db.claimThrottleSlot(pool, 'pagerduty', new Date(process.env.NOW), rule, summary)));
    return out.map((v) => v.throttled);`;
  const env = { URL: db.url, START_AT: String(Date.now() + 2000), NOW: at(0).toISOString() };
  const outputs = await Promise.all([inChildProcess(body, env), inChildProcess(body, env)]);
  const throttled = outputs.flatMap((o) => JSON.parse(o) as boolean[]);
  assert.equal(throttled.length, 12);
  assert.equal(throttled.filter(Boolean).length, 2);
  const logs = await getNotificationLogs(db.pool, { channel: 'pagerduty' });
  assert.deepEqual(
    logs.map((l) => [l.throttled, l.sent]),
    [
      [true, false],
      [true, false],
    ],
  );
});
