// The daemon's alerts go through the policy's dispatcher: rule 10's sendCriticalAlert is
// throttled in PostgreSQL like any workflow alert, each key goes out once across daemons, and
// the daemon's tick delivers the policy's timers (a reminder while a workflow stays DOWN).
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'slonik';
import { z } from 'zod';
import { createAlerting } from '../notifiers/policy/alerting.ts';
import { executionRecord } from '../test/helpers/db.ts';
import { alertSenderRig } from '../test/helpers/alert-sender.ts';

/** A database, a Slack sink, and daemons' alert senders on them (`extra` joins the environment). */
const rig = (t: TestContext, extra: Record<string, string> = {}) =>
  alertSenderRig(t, { hookPath: '/services/T0/B0/secret', extra });

test(
  'critical alerts: once per key across daemons, the 11th in an hour throttled and logged',
  { timeout: 120_000 },
  async (t) => {
    const { db, sink, lines, sender } = await rig(t);
    // Two daemons on one database.
    const [a, b] = [sender(), sender()];

    const once = await Promise.all(
      [a, b].map((s) =>
        s.sendOnce('pipeline:x:2026-11-29T04', { title: 'Monitoring pipeline failure', message: 'no rows' }),
      ),
    );
    assert.deepEqual(once.sort(), [false, true], 'one daemon sends a key, the other does not');
    for (let i = 2; i <= 11; i++)
      assert.equal(
        await (i % 2 ? a : b).sendOnce(`missed:w${i}`, { title: `Missed runs: w${i}`, message: 'late' }),
        true,
      );
    await sink.waitForRequests(10, 10_000);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(sink.requests.length, 10, 'ten per hour reach Slack');
    const logs = await db.pool.any(sql.type(z.object({ title: z.string(), sent: z.boolean(), throttled: z.boolean() }))`
    SELECT title, sent, throttled FROM notification_logs ORDER BY id`);
    assert.equal(logs.filter((l) => l.sent).length, 10);
    assert.deepEqual(
      logs.filter((l) => l.throttled).map((l) => l.title),
      ['Missed runs: w11'],
      'the 11th is logged as throttled',
    );
    assert.ok(
      lines.some((l) => /throttled on slack/.test(l)),
      lines.join('\n'),
    );
  },
);

test(
  "the daemon's tick sends the reminder for a workflow still DOWN, once per interval",
  { timeout: 120_000 },
  async (t) => {
    const { db, sink, settings, lines, sender } = await rig(t, { ALERT_REMINDER_MINUTES: '5' });
    assert.equal(settings.policy.rules.reminderMinutes, 5);
    const alerting = createAlerting(db.pool, settings, () => undefined);
    t.after(() => alerting.close());
    const started = new Date(Date.now() - 60_000);
    await alerting.onAttempt(
      executionRecord({
        runId: 'r-down',
        status: 'failed',
        outcome: 'unexpected',
        startedAt: started,
        error: 'Sign In button missing',
      }),
      { willRetry: false },
    );
    // The reporter releases the run's held alert at its end (storm folding).
    await alerting.onRunEnd('r-down');
    await sink.waitForRequests(1, 10_000);
    assert.match(sink.requests[0]!.body, /User Login/);
    const before = sink.requests.length;
    const reminderSender = sender();
    const decided = await reminderSender.tick(new Date(Date.now() + 2 * 3_600_000));
    assert.equal(decided, 1, 'one reminder is decided');
    await sink.waitForRequests(before + 1, 10_000).catch((e: Error) => {
      throw new Error(`${e.message}\n${lines.join('\n')}`);
    });
    assert.match(sink.requests.at(-1)!.body, /still|reminder/i);
    assert.equal(
      await reminderSender.tick(new Date(Date.now() + 2 * 3_600_000 + 60_000)),
      0,
      'not again before the interval passes',
    );
  },
);
