// Alerts end to end: real runs against the demo app, the policy deciding from PostgreSQL,
// deliveries to real local HTTP sinks standing in for Slack, Discord and PagerDuty.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'slonik';
import { z } from 'zod';
import { withDemo } from './helpers/demo.ts';
import type { Demo } from './helpers/demo.ts';
import { freshDatabase } from './helpers/db.ts';
import type { FreshDatabase } from './helpers/db.ts';
import { specDir } from './helpers/daemon-harness.ts';
import { removeRun, runPlaywright } from './helpers/playwright-run.ts';
import { startHttpSink } from './sinks/http-sink.ts';
import type { HttpSink } from './sinks/http-sink.ts';
import { loadAlertSettings } from '../notifiers/alert-settings.ts';
import { createAlerting } from '../notifiers/policy/alerting.ts';

const routingKey = 'R0UT1NGKEYR0UT1NGKEYR0UT1NGKEY12';
const slackToken = 'T0SECRET/B0SECRET/slacksecrettoken123';

type Rig = {
  db: FreshDatabase;
  slack: HttpSink;
  pagerduty: HttpSink;
  discord: HttpSink;
  stateDir: string;
  env: Record<string, string>;
};

async function withRig(fn: (rig: Rig) => Promise<void>): Promise<void> {
  const db = await freshDatabase();
  const [slack, pagerduty, discord] = await Promise.all([
    startHttpSink(),
    startHttpSink({ fallback: { kind: 'reply', status: 202, body: '{"status":"success"}' } }),
    startHttpSink(),
  ]);
  const stateDir = await mkdtemp(join(tmpdir(), 'wm-alerts-'));
  await chmod(stateDir, 0o755);
  const env = {
    DATABASE_URL: db.url,
    MONITOR_STATE_DIR: stateDir,
    CI: '',
    SLACK_WEBHOOK_URL: slack.urlFor(`/services/${slackToken}`),
    PAGERDUTY_ROUTING_KEY: routingKey,
    PAGERDUTY_EVENTS_URL: pagerduty.urlFor('/v2/enqueue'),
    DISCORD_WEBHOOK_URL: discord.urlFor('/api/webhooks/1/discordsecret'),
    // The runbook's routing (the default sends every alert to every channel).
    ALERT_ROUTES: 'critical=slack+pagerduty,high=slack,medium=discord,low=email',
    NOTIFY_BACKOFF_BASE_MS: '50',
    NOTIFY_REQUEST_TIMEOUT_MS: '2000',
    NOTIFY_DELIVERY_TIMEOUT_MS: '4000',
  };
  try {
    await fn({ db, slack, pagerduty, discord, stateDir, env });
  } finally {
    await Promise.all([slack.close(), pagerduty.close(), discord.close()]);
    await db.drop();
    await rm(stateDir, { recursive: true, force: true });
  }
}

async function monitorRun(demo: Demo, rig: Rig, grep: string, extra: Record<string, string> = {}) {
  const run = await runPlaywright(
    ['test', '--retries=0', '--grep', grep],
    { ...rig.env, BASE_URL: demo.url, ...extra },
    { monitor: true },
  );
  await removeRun(run);
  return run;
}

const pdEvents = (sink: HttpSink) => sink.requests.map((r) => r.json<{ event_action: string; dedup_key: string }>());

test('one alert per channel for an outage, a reminder while it lasts, one recovery and a PagerDuty resolve', async () => {
  await withRig(async (rig) => {
    await withDemo('login-broken', async (demo) => {
      for (let i = 0; i < 3; i++) await monitorRun(demo, rig, '@user-login(?![-\\w])');
      assert.equal(rig.slack.requests.length, 1, 'one Slack alert for three failing runs');
      assert.match(rig.slack.requests[0]!.body, /User Login/);
      assert.match(rig.slack.requests[0]!.body, /Sign In/);
      assert.deepEqual(
        pdEvents(rig.pagerduty).map((e) => e.event_action),
        ['trigger'],
      );
      assert.equal(rig.discord.requests.length, 0, 'critical is routed to Slack and PagerDuty only');

      // The reminder interval passes (60 minutes by default): the daemon's tick sends one.
      const settings = loadAlertSettings({ ...process.env, ...rig.env });
      assert.ok(settings.ok);
      const alerting = createAlerting(rig.db.pool, settings, () => undefined);
      await alerting.tick(new Date(Date.now() + 61 * 60_000));
      // Delivered by the tick; on a loaded machine it may reach the sink a moment after it returns.
      await rig.slack.waitForRequests(2, 30_000).catch(() => undefined);
      assert.equal(rig.slack.requests.length, 2, 'a reminder on Slack');
      assert.match(rig.slack.requests[1]!.body, /still|reminder/i);
      alerting.close();

      demo.setFaults('');
      await monitorRun(demo, rig, '@user-login(?![-\\w])');
      await rig.slack.waitForRequests(3, 30_000).catch(() => undefined);
      assert.equal(rig.slack.requests.length, 3, 'one recovery on Slack');
      assert.match(rig.slack.requests[2]!.body, /recover|back/i);
      const events = pdEvents(rig.pagerduty);
      assert.equal(events.at(-1)?.event_action, 'resolve');
      assert.equal(events.at(-1)?.dedup_key, events[0]!.dedup_key, 'the resolve closes the same incident');
    });
  });
});

test('the alert is decided when the failing step ends, not when Playwright hands the finished test to reporters', async () => {
  await withRig(async (rig) => {
    await withDemo('login-broken', async (demo) => {
      const run = await monitorRun(demo, rig, '@user-login(?![-\\w])', {
        MONITOR_DEBUG: 'timing',
        ALERT_POLICY: JSON.stringify({ storm: { holdSeconds: 0 } }),
      });
      assert.equal(run.code, 1);
      const stepFailed = Number(/stepFailed=(\d+)/.exec(run.stderr)?.[1]);
      const onTestEnd = Number(/onTestEnd=(\d+)/.exec(run.stderr)?.[1]);
      assert.ok(stepFailed > 0 && onTestEnd > 0, run.stderr.slice(-1500));
      assert.equal(rig.slack.requests.length, 1, 'one alert: the early decision and the final row count once');
      // The early path (onStepEnd) decided and delivered it; the onTestEnd path found it decided.
      assert.match(run.stderr, /earlyAlerts=1 delivered=\d+/);
      assert.ok(rig.slack.requests[0]!.at.getTime() >= stepFailed);
      assert.match(rig.slack.requests[0]!.body, /Sign In/);
      assert.match(rig.slack.requests[0]!.body, /trace\.zip/, 'the alert names where the trace will be');
      const stored = await rig.db.pool.oneFirst(
        sql.type(z.object({ p: z.string().nullable() }))`SELECT trace_path AS p FROM workflow_executions`,
      );
      assert.ok(
        stored && rig.slack.requests[0]!.body.includes(stored.split('/').slice(-2).join('/')),
        `the stored trace ${stored} is the one named`,
      );
    });
  });
});

test('login-broken and checkout-error together: one digest per channel; a maintenance window mutes it all', async () => {
  await withRig(async (rig) => {
    await withDemo('login-broken,checkout-error', async (demo) => {
      // The three failures fold because they are held together; the default hold (30 s) can end
      // before the last one fails on a loaded machine (three separate messages in a CI at load 35),
      // so this run holds until its end, where the run's held alerts are released as one batch.
      await monitorRun(demo, rig, '.*', {
        MONITOR_WORKERS: '3',
        ALERT_POLICY: JSON.stringify({ storm: { holdSeconds: 900 } }),
      });
      assert.equal(rig.slack.requests.length, 1, `one Slack digest, got ${rig.slack.requests.length}`);
      for (const name of ['User Login', 'User Registration', 'Order Placement'])
        assert.ok(rig.slack.requests[0]!.body.includes(name), name);
    });
  });
  await withRig(async (rig) => {
    const now = Date.now();
    const windows = JSON.stringify([
      { start: new Date(now - 3_600_000).toISOString(), end: new Date(now + 3_600_000).toISOString() },
    ]);
    await withDemo('login-broken', async (demo) => {
      await monitorRun(demo, rig, '@user-login(?![-\\w])', { MAINTENANCE_WINDOWS: windows });
      await monitorRun(demo, rig, '@user-login(?![-\\w])', { MAINTENANCE_WINDOWS: windows });
    });
    assert.equal(rig.slack.requests.length + rig.pagerduty.requests.length, 0, 'muted during maintenance');
    const rows = await rig.db.pool.oneFirst(
      sql.type(z.object({ n: z.number() }))`SELECT count(*)::int AS n FROM workflow_executions`,
    );
    assert.equal(rows, 2, 'runs are still recorded');
  });
});

test('flaky:2: every run fails once and passes on retry: no failure alert, one "flaky" notice', async () => {
  await withRig(async (rig) => {
    await withDemo('flaky:2', async (demo) => {
      const policy = JSON.stringify({ rules: { flaky: { minRuns: 3 } } });
      for (let i = 0; i < 4; i++) {
        const run = await runPlaywright(
          ['test', '--retries=1', '--workers=1', '--grep', '@user-login(?![-\\w])'],
          { ...rig.env, BASE_URL: demo.url, ALERT_POLICY: policy },
          { monitor: true },
        );
        await removeRun(run);
        assert.equal(run.code, 0, `a pass on retry passes the run\n${run.stdout.slice(-2000)}`);
      }
    });
    const outcomes = await rig.db.pool.anyFirst(sql.type(z.object({ o: z.string() }))`
      SELECT outcome || '/' || retry AS o FROM workflow_executions ORDER BY started_at, retry`);
    assert.deepEqual(outcomes, [
      'unexpected/0',
      'flaky/1',
      'unexpected/0',
      'flaky/1',
      'unexpected/0',
      'flaky/1',
      'unexpected/0',
      'flaky/1',
    ]);
    assert.equal(rig.pagerduty.requests.length, 0, 'no PagerDuty incident for a flake');
    const bodies = rig.slack.requests.map((r) => r.body);
    assert.equal(bodies.length, 1, `one Slack message: ${bodies.map((b) => b.slice(0, 160)).join('\n')}`);
    assert.match(bodies[0]!, /flaky/i);
    assert.doesNotMatch(bodies[0]!, /Workflow Failed|is down/i);
  });
});

test('two runs failing the same workflow at the same moment produce one alert', async () => {
  await withRig(async (rig) => {
    await withDemo('login-broken', async (demo) => {
      await Promise.all([
        monitorRun(demo, rig, '@user-login(?![-\\w])'),
        monitorRun(demo, rig, '@user-login(?![-\\w])'),
      ]);
    });
    assert.equal(rig.slack.requests.length, 1);
    assert.equal(pdEvents(rig.pagerduty).filter((e) => e.event_action === 'trigger').length, 1);
  });
});

test('dead and hanging channels: the run is fully recorded, every attempt logged with its reason, no secret stored', async () => {
  await withRig(async (rig) => {
    rig.slack.setFallback({ kind: 'hang' });
    rig.pagerduty.setFallback({ kind: 'reply', status: 404, body: 'not found' });
    await withDemo('health-down', async (demo) => {
      const run = await monitorRun(demo, rig, '@health-check(?![-\\w])|@product-listing(?![-\\w])');
      assert.equal(run.code, 1);
      const executions = await rig.db.pool.oneFirst(
        sql.type(z.object({ n: z.number() }))`SELECT count(*)::int AS n FROM workflow_executions`,
      );
      assert.equal(executions, 2, 'every execution is persisted');
      const logs = await rig.db.pool.any(sql.type(
        z.object({
          channel: z.string(),
          sent: z.boolean(),
          error: z.string().nullable(),
          status_code: z.number().nullable(),
        }),
      )`
        SELECT channel, sent, error, status_code FROM notification_logs ORDER BY channel`);
      const slack = logs.find((l) => l.channel === 'slack');
      const pd = logs.find((l) => l.channel === 'pagerduty');
      assert.ok(
        slack && !slack.sent && /no answer within/i.test(slack.error ?? ''),
        `slack logged with a reason: ${slack?.error}`,
      );
      assert.ok(
        pd && !pd.sent && pd.status_code === 404 && /404|dead|not found/i.test(pd.error ?? ''),
        `pagerduty logged: ${pd?.error}`,
      );

      // A dump of every table and the run's output: none of the configured secrets.
      const tables = await rig.db.pool.anyFirst(sql.type(z.object({ t: z.string() }))`
        SELECT table_name AS t FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`);
      let dump = run.stdout + run.stderr;
      for (const t of tables) {
        dump += (
          await rig.db.pool.anyFirst(
            sql.type(z.object({ j: z.string() }))`SELECT row_to_json(x)::text AS j FROM ${sql.identifier([t])} x`,
          )
        ).join('\n');
      }
      for (const secret of [routingKey, 'slacksecrettoken123', 'discordsecret', 'T0SECRET']) {
        assert.ok(!dump.includes(secret), `secret ${secret.slice(0, 4)}... must not be stored or printed`);
      }
      assert.ok(dump.includes('notification_logs') || logs.length > 0);
    });
  });
});

test('a pass over its time budget makes the workflow DEGRADED: one alert per episode, routed by priority', async () => {
  const specs = await specDir({
    'budgeted.spec.ts': `import { test, workflow } from '../fixtures/index.ts';
test('Budgeted Journey', workflow({ id: 'budgeted', priority: 'high', schedule: '*/5 * * * *', budgets: { totalMs: 1 } }), async ({ page }) => {
  await test.step('Open home', async () => { await page.goto('/'); });
});
`,
  });
  try {
    await withRig(async (rig) => {
      await withDemo('', async (demo) => {
        await monitorRun(demo, rig, '@budgeted(?![-\\w])', { MONITOR_WORKFLOWS_DIR: specs.dir });
        await monitorRun(demo, rig, '@budgeted(?![-\\w])', { MONITOR_WORKFLOWS_DIR: specs.dir });
      });
      assert.equal(
        rig.slack.requests.length,
        1,
        'one DEGRADED alert for two runs over budget (high priority goes to Slack)',
      );
      assert.match(rig.slack.requests[0]!.body, /Budgeted Journey/);
      assert.match(rig.slack.requests[0]!.body, /budget|degraded|slow/i);
      assert.equal(rig.pagerduty.requests.length, 0, 'high priority is not paged');
    });
  } finally {
    await specs.remove();
  }
});
