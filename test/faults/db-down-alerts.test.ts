// Issue 14 item 3: failures alert while PostgreSQL is down (once, from the bounded local
// fallback), and the replay once it is back feeds the policy too: state, recovery and alert
// events right, nothing sent twice, every delivery in notification_logs. Before the fix no
// message went out during the outage, and the replay sent none and left no state.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'slonik';
import { z } from 'zod';
import { withDemo } from '../helpers/demo.ts';
import { removeRun, runPlaywright } from '../helpers/playwright-run.ts';
import { countExecutions, notificationLogs } from './ledger.ts';
import { startOwnPostgres } from './own-postgres.ts';
import { testRig } from '../helpers/rig.ts';

test('database down: one alert per failure episode, the recovery too, and the replay sends nothing twice', async (t) => {
  const {
    db: pg,
    sink: slack,
    state: folder,
  } = await testRig(t, { database: startOwnPostgres, sink: {}, state: 'wm-fault-dbdown-', open: true });
  const env = {
    DATABASE_URL: pg.url,
    MONITOR_STATE_DIR: folder.dir,
    CI: '',
    SLACK_WEBHOOK_URL: slack.urlFor('/services/T0/B0/dbdownsecret'),
    ALERT_ROUTES: 'critical=slack',
    NOTIFY_BACKOFF_BASE_MS: '50',
    NOTIFY_REQUEST_TIMEOUT_MS: '3000',
    NOTIFY_DELIVERY_TIMEOUT_MS: '6000',
    // Held DOWN alerts would wait 30 s for a storm: none here, one workflow.
    ALERT_POLICY: '{"storm":{"holdSeconds":0}}',
  };
  const slackTexts = () => slack.requests.map((r) => r.body);

  await withDemo('', async (demo) => {
    const run = async (label: string) => {
      const r = await runPlaywright(
        ['test', '--retries=0', '--grep', '@user-login(?![-\\w])'],
        { ...env, BASE_URL: demo.url },
        { monitor: true },
      );
      await removeRun(r);
      t.diagnostic(
        `${label}: exit ${r.code}; ${r.stderr
          .split('\n')
          .filter((l) => l.startsWith('[monitor]'))
          .join(' | ')
          .slice(0, 400)}`,
      );
      return r;
    };
    await run('up, passes');
    assert.equal(slack.requests.length, 0, 'a pass sends nothing');

    await pg.stop();
    demo.setFaults('login-broken');
    await run('down, fails');
    assert.equal(slack.requests.length, 1, 'the failure alerts while the database is down');
    assert.match(slackTexts()[0]!, /User Login/);
    await run('down, fails again');
    assert.equal(slack.requests.length, 1, 'the same outage does not page twice');
    demo.setFaults('');
    await run('down, passes');
    assert.equal(slack.requests.length, 2, 'the recovery is announced while the database is down');
    assert.match(slackTexts()[1]!, /recover|back/i);

    await pg.start();
    await run('back, passes (replays the outbox)');
  });

  const executions = await countExecutions(pg.pool, folder.dir, 'user-login');
  const logs = (await notificationLogs(pg.pool)).filter((l) => l.channel === 'slack');
  const state = await pg.pool.one(sql.type(z.object({ state: z.string(), episode: z.number() }))`
    SELECT state, episode FROM workflow_states WHERE workflow_id = 'user-login'`);
  const events = await pg.pool.anyFirst(sql.type(z.object({ kind: z.string() }))`
    SELECT kind FROM alert_events WHERE workflow_id = 'user-login' ORDER BY id`);
  const observed = await pg.pool.oneFirst(sql.type(z.object({ n: z.number() }))`
    SELECT count(*)::integer AS n FROM alert_observations WHERE workflow_id = 'user-login'`);
  t.diagnostic(
    `executions expected 5, stored ${executions.stored} (distinct ${executions.distinct}), spooled ${executions.spooled}; ` +
      `alerts expected 2, received ${slack.requests.length}; notification_logs (slack) ${logs.length}; state ${state.state}; events ${events.join(',')}`,
  );
  assert.equal(executions.stored, 5, '0 lost');
  assert.equal(executions.distinct, 5, '0 duplicated');
  assert.equal(executions.spooled, 0, 'the outbox is empty again');
  assert.equal(slack.requests.length, 2, 'failure and recovery, once each (0 duplicated after the replay)');
  assert.deepEqual(
    logs.map((l) => [l.kind, l.sent]),
    [
      ['failure', true],
      ['recovery', true],
    ],
    'each delivery logged once (0 silent)',
  );
  assert.equal(observed, 5, 'the replay fed every outcome to the policy');
  assert.equal(state.state, 'up');
  assert.equal(state.episode, 1, 'the outage is known to the database');
  assert.deepEqual(events, ['failure', 'recovery'], 'the alert events recorded with the replay');
});
