// Quorum end to end through the alert path of two processes' locations (eu, us) on one
// PostgreSQL: real Slack and PagerDuty sinks, notification_logs, the policy's rows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'slonik';
import { z } from 'zod';
import { executionRecord, freshDatabase } from '../../test/helpers/db.ts';
import { startHttpSink } from '../../test/sinks/http-sink.ts';
import { loadAlertSettings } from '../alert-settings.ts';
import { createAlerting } from './alerting.ts';
import { createDbPool } from '../../db/pool.ts';
import { insertExecutions } from '../../db/tables/executions.ts';
import { getAlertState } from '../../db/alert-rows.ts';

test('quorum 2 of eu and us: "failing from us" reaches Slack but not PagerDuty; both failing: one DOWN naming both', async (t) => {
  const db = await freshDatabase();
  const slack = await startHttpSink();
  const pagerduty = await startHttpSink({ fallback: { kind: 'reply', status: 202, body: '{"status":"success"}' } });
  const other = await createDbPool(db.url);
  t.after(async () => {
    await other.end();
    await Promise.all([slack.close(), pagerduty.close()]);
    await db.drop();
  });
  const settings = loadAlertSettings({
    SLACK_WEBHOOK_URL: slack.urlFor('/services/T0/B0/secret'),
    PAGERDUTY_ROUTING_KEY: 'R0UT1NGKEYR0UT1NGKEYR0UT1NGKEY12',
    PAGERDUTY_EVENTS_URL: pagerduty.urlFor('/v2/enqueue'),
    NOTIFY_SLACK_MIN_INTERVAL_MS: '0',
    NOTIFY_BACKOFF_BASE_MS: '20',
    ALERT_POLICY: '{"rules":{"quorum":2},"storm":{"holdSeconds":0}}',
  });
  assert.ok(settings.ok);
  const eu = createAlerting(db.pool, settings, () => undefined, { location: 'eu' });
  const us = createAlerting(other, settings, () => undefined, { location: 'us' });
  t.after(() => {
    eu.close();
    us.close();
  });
  const base = Date.now() - 120_000;
  const run = (location: string, n: number, status: 'passed' | 'failed') =>
    executionRecord({
      runId: `${location}-${n}`,
      location,
      status,
      outcome: status === 'failed' ? 'unexpected' : 'expected',
      startedAt: new Date(base + n * 10_000),
      error: status === 'failed' ? 'Error: Sign In button missing' : null,
    });
  const apply = async (alerting: typeof eu, e: ReturnType<typeof run>) => {
    await insertExecutions(db.pool, [e]);
    return alerting.onAttempt(e, { willRetry: false });
  };
  await apply(eu, run('eu', 1, 'passed'));
  await apply(us, run('us', 1, 'passed'));
  await apply(us, run('us', 2, 'failed'));
  assert.equal(slack.requests.length, 1, 'one notice');
  assert.match(slack.requests[0]!.body, /Failing from us: User Login/);
  assert.match(slack.requests[0]!.body, /failing: us · ✅ passing: eu/);
  assert.equal(pagerduty.requests.length, 0, 'below the quorum nobody is paged');
  const partial = await getAlertState(db.pool, 'user-login');
  assert.deepEqual([partial?.state, partial?.failingLocations, partial?.partialSince !== null], ['up', ['us'], true]);

  await apply(us, run('us', 3, 'failed'));
  assert.equal(slack.requests.length, 1, 'one notice per episode');
  await apply(eu, run('eu', 3, 'failed'));
  assert.equal(slack.requests.length, 2);
  assert.match(slack.requests[1]!.body, /Workflow Failed: User Login/);
  assert.match(slack.requests[1]!.body, /failing: eu, us · ✅ passing: none/);
  assert.deepEqual(
    pagerduty.requests
      .map((r) => r.json<{ event_action: string; payload?: { custom_details?: { locations?: string } } }>())
      .map((e) => [e.event_action, e.payload?.custom_details?.locations]),
    [['trigger', '❌ failing: eu, us · ✅ passing: none']],
  );

  await apply(eu, run('eu', 4, 'passed'));
  await apply(us, run('us', 4, 'passed'));
  assert.equal(slack.requests.length, 3, 'one recovery');
  assert.match(slack.requests[2]!.body, /Workflow Recovered: User Login/);
  assert.deepEqual(
    pagerduty.requests.map((r) => r.json<{ event_action: string }>().event_action),
    ['trigger', 'resolve'],
  );
  const logs = await db.pool.any(
    sql.type(z.object({ kind: z.string(), channel: z.string(), location: z.string() }))`
      SELECT kind, channel, location FROM notification_logs WHERE sent ORDER BY id`,
  );
  // Channels deliver in parallel: the order within one alert is not fixed.
  assert.deepEqual(logs.map((l) => `${l.kind} ${l.channel} ${l.location}`).sort(), [
    'failure pagerduty eu',
    'failure slack eu',
    'partial slack us',
    'recovery pagerduty eu',
    'recovery slack eu',
  ]);
});
