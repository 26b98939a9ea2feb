// Issue 12.8: with only one channel configured, a broken critical journey still reaches it (the
// default routes send every alert to every configured channel), and routes that would leave a
// priority without any configured channel are a start-up warning naming ALERT_ROUTES.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startHttpSink } from '../sinks/http-sink.ts';
import { scratchSetForFile } from './helpers/scratch-set.ts';

const set = scratchSetForFile('login-broken', startHttpSink);

/** A run against the file's demo app and database, with only Discord configured (at `hook`). */
const discordOnly = (hook: string) => ({
  DATABASE_URL: set.db.url,
  BASE_URL: set.demo.url,
  DISCORD_WEBHOOK_URL: set.sink.urlFor(hook),
  MONITOR_RETRIES: '0',
  MONITOR_WORKERS: '1',
});

test('only DISCORD_WEBHOOK_URL configured: a failed critical workflow alerts Discord, with no routing warning', async () => {
  const { s, sink } = set;
  const env = discordOnly('/api/webhooks/1/tok');
  const r = await s.run('npx', ['playwright', 'test', '--grep', '@user-login'], { env });
  assert.equal(r.code, 1, r.output);
  const [req] = await sink.waitForRequests(1, 60_000);
  assert.equal(req!.path, '/api/webhooks/1/tok');
  assert.match(req!.body, /User Login/);
  assert.doesNotMatch(r.output, /ALERT_ROUTES/, 'the default routes reach the one configured channel');
});

test("the runbook's routes with only Discord configured: one warning line per unreached priority, naming ALERT_ROUTES", async () => {
  const { s } = set;
  const env = {
    ...discordOnly('/api/webhooks/2/tok'),
    ALERT_ROUTES: 'critical=slack+pagerduty,medium=discord,low=email',
  };
  const r = await s.run('npx', ['playwright', 'test', '--grep', '@health-check'], { env });
  const lines = r.output.split('\n').filter((l) => l.includes('ALERT_ROUTES:'));
  assert.deepEqual(
    lines.map((l) => /ALERT_ROUTES: (\w+) alerts reach no configured channel/.exec(l)?.[1]),
    ['critical', 'low'],
    r.output,
  );
});

test('the daemon warns at start, naming ALERT_ROUTES, when a priority would reach no configured channel', async () => {
  const { s, db, sink, demo } = set;
  const d = s.start('npx', ['workflow-monitor', 'daemon'], {
    env: {
      DATABASE_URL: db.url,
      BASE_URL: demo.url,
      MONITORING_ENABLED: 'false',
      MONITOR_HTTP_PORT: '0',
      DISCORD_WEBHOOK_URL: sink.urlFor('/api/webhooks/3/tok'),
      ALERT_ROUTES: 'critical=slack+pagerduty,high=slack,medium=discord,low=email',
    },
  });
  try {
    await d.waitFor(/MONITORING_ENABLED=false: idle/, 120_000);
    const unreached = [...d.output().matchAll(/warning: ALERT_ROUTES: (\w+) alerts reach no configured channel/g)].map(
      (m) => m[1],
    );
    assert.deepEqual(unreached, ['critical', 'high', 'low'], d.output());
  } finally {
    process.kill(-d.child.pid!, 'SIGTERM');
    await d.exited;
  }
});
