// The daemon's alert senders (scheduler/alerts.ts) on a test database and a Slack sink, as the
// scheduler's alert and housekeeping tests use them.
import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import { loadAlertSettings } from '../../notifiers/alert-settings.ts';
import { createAlertSender } from '../../scheduler/alerts.ts';
import { createMetrics } from '../../scheduler/metrics.ts';
import { testRig } from './rig.ts';

/**
 * A database, a Slack sink (its webhook at `hookPath`), the alert settings of that environment
 * and `extra`, and `sender()`: a daemon's alert sender on them, closed when the test ends; `lines`
 * is what the senders log. `state` names a state folder to make too.
 */
export async function alertSenderRig(
  t: TestContext,
  o: { hookPath: string; extra?: Record<string, string>; state?: string },
) {
  const rig = await testRig(t, { sink: {}, state: o.state });
  const env = {
    SLACK_WEBHOOK_URL: rig.sink.urlFor(o.hookPath),
    NOTIFY_SLACK_MIN_INTERVAL_MS: '0',
    NOTIFY_BACKOFF_BASE_MS: '20',
    ...o.extra,
  };
  const settings = loadAlertSettings(env);
  assert.ok(settings.ok);
  const lines: string[] = [];
  const sender = () =>
    rig.own(
      createAlertSender({ settings, pool: () => rig.db.pool, metrics: createMetrics(), log: (l) => lines.push(l) }),
      (s) => s.close(),
    );
  return { ...rig, settings, lines, sender };
}
