// A mistyped workflow id or MONITOR_SCHEDULE_<ID> is an error naming it; one spec file with a bad
// workflow() argument is reported (list, log, /healthz, the dashboard, one alert) while every
// other workflow keeps running on schedule, at start, after a SIGHUP, and when a run finds it.
import assert from 'node:assert/strict';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { chromium } from '@playwright/test';
import { resolveChromium } from '../../fixtures/browser.ts';
import { startHttpSink, type HttpSink } from '../sinks/http-sink.ts';
import { scratchCopy, type Scratch } from './helpers/scratch.ts';
import { eventually, freePort, runs, withScratchDb } from './helpers/procs.ts';

const ids = ['farm-creation', 'health-check', 'order-placement', 'product-listing', 'user-login', 'user-registration'];
let s: Scratch;
let slack: HttpSink;
before(async () => {
  s = await scratchCopy();
  chmodSync(s.dir, 0o755); // the embedded PostgreSQL may run as the OS user postgres
  slack = await startHttpSink();
});
after(async () => {
  await s.cleanup();
  await slack.close();
});

test('run <unknown id> names the ids that exist, exits 2 and records nothing', async () => {
  const r = await s.run('npx', ['workflow-monitor', 'run', 'user-logn']);
  assert.equal(r.code, 2, r.output);
  assert.match(r.stderr, new RegExp(`no workflow "user-logn"; the workflows are: ${ids.join(', ')}`));
  assert.doesNotMatch(r.output, /No tests found/);
  await withScratchDb(s, async (pool) => assert.deepEqual(await runs(pool), [], 'no run recorded'));
});

test('a MONITOR_SCHEDULE_<ID> naming no workflow is a configuration error naming the variable', async () => {
  const env = { MONITOR_SCHEDULE_USER_LOGN: '*/5 * * * *' };
  const list = await s.run('npx', ['workflow-monitor', 'list', '--no-db'], { env });
  assert.equal(list.code, 2, list.output);
  assert.match(list.stderr, /MONITOR_SCHEDULE_USER_LOGN names no workflow/);
  const daemon = await s.run('npx', ['workflow-monitor', 'daemon'], {
    env: { ...env, MONITOR_HTTP_PORT: '0', BASE_URL: 'http://127.0.0.1:9' },
  });
  assert.equal(daemon.code, 2, daemon.output);
  assert.match(daemon.stderr, /configuration error: MONITOR_SCHEDULE_USER_LOGN names no workflow/);
});

const brokenSpec = `import { test, workflow } from '../fixtures/index.ts';

test('Broken One', workflow({ id: 'broken-one', priority: 'urgent', schedule: '*/5 * * * *', type: 'API' }), async () => {});
`;

test('a spec with a bad workflow() argument is reported while the rest runs, after SIGHUP or without', async () => {
  writeFileSync(path.join(s.dir, 'workflows', 'broken-one.spec.ts'), brokenSpec);
  const list = await s.run('npm', ['run', 'monitor:list', '--', '--no-db']);
  assert.equal(list.code, 2, list.output);
  for (const id of ids) assert.match(list.stdout, new RegExp(`^${id} `, 'm'));
  assert.match(
    list.stderr,
    /workflows\/broken-one\.spec\.ts does not load and its workflows do not run: .*priority must be one of/,
  );
  assert.doesNotMatch(list.stderr, /No tests found/, 'the cause only');

  // As a supervisor runs it; user-login every minute so that a run follows the SIGHUP soon.
  const env = {
    MONITOR_HTTP_PORT: '0',
    DEMO_PORT: String(await freePort()),
    MONITOR_RUN_ON_START: 'true',
    MONITOR_SCHEDULE_USER_LOGIN: '* * * * *',
    MONITOR_PIPELINE_RETRY_DELAY_SECONDS: '1',
    // No hourly or daily report in the Slack sink (they go out on the hour): this test counts the alerts.
    MONITOR_HOUSEKEEPING: 'false',
    SLACK_WEBHOOK_URL: slack.urlFor('/services/T0SECRET/B0SECRET/slacksecrettoken123'),
  };
  const daemon = s.start('node', ['bin/workflow-monitor.ts', 'daemon'], { env });
  const port = Number((await daemon.waitFor(/http on http:\/\/127\.0\.0\.1:(\d+)/, 180_000))[1]);
  await daemon.waitFor(/BROKEN SPEC: workflows\/broken-one\.spec\.ts does not load/);
  // The other six ran and were recorded.
  await daemon.waitFor(/run \S+ ended: exit \d+, executions: 6 recorded/, 300_000);
  const health = (await (await fetch(`http://127.0.0.1:${port}/healthz`)).json()) as {
    status: string;
    problems: string[];
  };
  assert.equal(health.status, 'degraded');
  assert.equal(health.problems.length, 1);
  assert.match(health.problems[0]!, /broken-one\.spec\.ts does not load .*priority must be one of/);
  // One alert through sendCriticalAlert (the critical route: Slack here), naming the file.
  const [alert] = await slack.waitForRequests(1, 60_000);
  assert.match(alert!.body, /broken-one\.spec\.ts/);

  // The dashboard shows it.
  const browser = await chromium.launch({
    executablePath: resolveChromium().found ? (resolveChromium() as { path: string }).path : undefined,
    args: ['--no-sandbox'],
  });
  try {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${port}/`);
    await page
      .locator('#problems')
      .getByText(/broken-one\.spec\.ts does not load/)
      .waitFor({ timeout: 30_000 });
    await page.locator('.tile').first().waitFor();
  } finally {
    await browser.close();
  }

  // A second spec breaks while the daemon runs: SIGHUP reports it and keeps running the rest.
  const healthFile = path.join(s.dir, 'workflows', 'health-check.spec.ts');
  writeFileSync(healthFile, readFileSync(healthFile, 'utf8').replace(/schedule: '[^']*'/, "schedule: '61 * * * *'"));
  const before = daemon.output().length;
  process.kill(daemon.child.pid!, 'SIGHUP');
  await daemon.waitFor(/BROKEN SPEC: workflows\/health-check\.spec\.ts does not load/);
  assert.ok(
    await eventually(async () => {
      const h = (await (await fetch(`http://127.0.0.1:${port}/healthz`)).json()) as {
        status: string;
        problems: string[];
      };
      return h.status === 'degraded' && h.problems.length === 2;
    }, 30_000),
    'healthz lists both broken files',
  );
  await slack.waitForRequests(2, 60_000);
  assert.match(slack.requests[1]!.body, /health-check\.spec\.ts/);
  // The next user-login run after the SIGHUP records its execution.
  const ended = /run (\S+) started[^\n]*: user-login\n[\s\S]*?run \1 ended: exit \d+, executions: 1 recorded/;
  assert.ok(await eventually(() => ended.test(daemon.output().slice(before)), 180_000), daemon.output().slice(before));
  await withScratchDb(s, async (pool) => assert.ok((await runs(pool)).length >= 2));
  assert.equal(slack.requests.length, 2, 'one alert per broken file');

  // A third breaks and nobody sends SIGHUP: the run that records nothing makes the daemon read
  // the suite again, and the retry runs with the files that load.
  const listingFile = path.join(s.dir, 'workflows', 'product-listing.spec.ts');
  writeFileSync(listingFile, readFileSync(listingFile, 'utf8').replace(/priority: '[^']*'/, "priority: 'urgent'"));
  const third = daemon.output().length;
  await daemon.waitFor(/BROKEN SPEC: workflows\/product-listing\.spec\.ts does not load/, 240_000);
  const after = () => daemon.output().slice(daemon.output().indexOf('BROKEN SPEC: workflows/product-listing', third));
  assert.ok(
    await eventually(() => /run \S+ ended: exit \d+, executions: 1 recorded/.test(after()), 240_000),
    daemon.output().slice(third),
  );
  await slack.waitForRequests(3, 60_000);
  assert.match(slack.requests[2]!.body, /product-listing\.spec\.ts/);
  assert.doesNotMatch(daemon.output(), /Monitoring pipeline failure/, 'no pipeline-failure alert for a broken spec');
  process.kill(daemon.child.pid!, 'SIGTERM');
  assert.equal((await daemon.exited).code, 0);
});
