// Issue 14 item 4: a webhook that never answers. Every attempt (timeouts included) is logged
// with its reason in notification_logs, and the row is written even when the run must stop
// waiting: before the fix the run exited at MONITOR_DRAIN_TIMEOUT_MS with no row at all.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withDemo } from '../helpers/demo.ts';
import { allSpecs, removeRun, runPlaywright } from '../helpers/playwright-run.ts';
import { reply } from '../sinks/http-sink.ts';
import { countExecutions, notificationLogs } from './ledger.ts';
import { testRig } from '../helpers/rig.ts';

const drainMs = 6_000;
const deliveryBoundMs = 60_000;

test('a hung webhook: each attempt logged with its reason, the row written, the run held at most the drain bound', async (t) => {
  const {
    db,
    sink: slack,
    state,
  } = await testRig(t, { sink: { fallback: reply.hang() }, state: 'wm-fault-webhook-', open: true });

  await withDemo('login-broken', async (demo) => {
    const started = Date.now();
    const run = await runPlaywright(
      ['test', '--retries=0', '--grep', '@user-login(?![-\\w])'],
      {
        DATABASE_URL: db.url,
        MONITOR_STATE_DIR: state.dir,
        BASE_URL: demo.url,
        CI: '',
        SLACK_WEBHOOK_URL: slack.urlFor('/services/T0/B0/hungsecret'),
        ALERT_ROUTES: 'critical=slack',
        NOTIFY_REQUEST_TIMEOUT_MS: '1500',
        NOTIFY_BACKOFF_BASE_MS: '100',
        NOTIFY_DELIVERY_TIMEOUT_MS: String(deliveryBoundMs),
        MONITOR_DRAIN_TIMEOUT_MS: String(drainMs),
      },
      { monitor: true },
    );
    const wallMs = Date.now() - started;
    await removeRun(run);
    assert.ok(run.report, run.stderr.slice(-2000));
    const attemptMs = allSpecs(run.report)
      .flatMap((s) => s.tests.flatMap((x) => x.results))
      .reduce((n, r) => n + r.duration, 0);

    const executions = await countExecutions(db.pool, state.dir, 'user-login');
    const logs = (await notificationLogs(db.pool)).filter((l) => l.channel === 'slack');
    t.diagnostic(
      `executions expected 1, stored ${executions.stored}, spooled ${executions.spooled}; alerts expected 1, ` +
        `sink requests ${slack.requests.length}, slack log rows ${logs.length}; run wall ${wallMs} ms, attempt ${attemptMs} ms`,
    );
    assert.equal(executions.stored, 1, '0 lost');
    assert.equal(executions.distinct, 1, '0 duplicated');
    assert.equal(executions.spooled, 0);
    assert.ok(slack.requests.length >= 1, 'the alert was attempted');
    assert.equal(
      logs.length,
      1,
      `one log row for the one failure alert (0 silent); stderr: ${run.stderr.slice(-1500)}`,
    );
    const [row] = logs;
    assert.equal(row!.kind, 'failure');
    assert.equal(row!.sent, false);
    assert.equal(row!.attempts, slack.requests.length, 'every request the sink saw is counted in the row');
    assert.match(row!.error ?? '', /no answer within 1500 ms/, 'the timeout is the reason');
    assert.match(row!.error ?? '', /run stopped waiting/, 'and why delivery ended');
    if (row!.attempts > 1)
      assert.match(row!.error ?? '', /attempts: 1\) no answer within 1500 ms; 2\)/, "each attempt's reason");
    assert.doesNotMatch(row!.error ?? '', /hungsecret/, 'no secret in the log');
    assert.doesNotMatch(run.stderr, /gave up waiting/);
    // The hung channel cost the run its drain bound (twice at most: saves, then held alerts), not the delivery bound.
    assert.ok(wallMs - attemptMs < deliveryBoundMs, `run wall ${wallMs} ms, attempt ${attemptMs} ms`);
  });
});
