// Issue 12 items 14, 16, 17 and issue 14 item 10, as a user runs it: `npm run monitor:daemon` in a
// scratch copy (two workflows, the demo app with `login-broken`), with MONITOR_PUBLIC_URL,
// METRICS_TOKEN and a webhook channel pointed at a local sink. The critical User Login goes DOWN
// and its alert links to its failure view, which Chromium opens; the high Farm Creation failed
// once, short of its threshold: an amber "1 failure, alert after 2" tile; the figures include
// the failure in 24 h and 7 d alike; the workflow page's axes are the window; /metrics asks for
// the token and has single-prefixed names and per-workflow gauges.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { chromium } from '@playwright/test';
import { chromiumArgs, resolveChromium } from '../../fixtures/browser.ts';
import { freshDatabase } from '../helpers/db.ts';
import { withDemo } from '../helpers/demo.ts';
import { startHttpSink } from '../sinks/http-sink.ts';
import { scratchCopy } from './helpers/scratch.ts';

const publicUrl = 'http://monitor.public.test';
const never = '0 0 1 1 *';

test(
  'npm run monitor:daemon: alerts link to the failure view, failing tile, figures and axes agree, /metrics behind METRICS_TOKEN',
  { timeout: 420_000 },
  async (t) => {
    const db = await freshDatabase();
    const sink = await startHttpSink({});
    const s = await scratchCopy();
    t.after(async () => {
      await s.cleanup();
      await sink.close();
      await db.drop();
    });
    for (const spec of ['health-check', 'user-registration', 'product-listing', 'order-placement'])
      rmSync(path.join(s.dir, 'workflows', `${spec}.spec.ts`));

    await withDemo('login-broken', async (demo) => {
      const daemon = s.start('npm', ['run', 'monitor:daemon'], {
        env: {
          BASE_URL: demo.url,
          DATABASE_URL: db.url,
          MONITOR_HTTP_PORT: '0',
          MONITOR_RUN_ON_START: 'true',
          MONITOR_HOUSEKEEPING: 'false',
          MONITOR_SCHEDULE_USER_LOGIN: never,
          MONITOR_SCHEDULE_FARM_CREATION: never,
          MONITOR_PUBLIC_URL: publicUrl,
          METRICS_TOKEN: 'scrape-secret',
          ALERT_WEBHOOK_URL: sink.urlFor('/hook'),
          ALERT_ROUTES: 'critical=webhook,high=webhook,medium=webhook,low=webhook',
          ALERT_POLICY: '{"storm":{"holdSeconds":0}}',
        },
      });
      const [, port] = await daemon.waitFor(/http on http:\/\/127\.0\.0\.1:(\d+)/, 120_000);
      const base = `http://127.0.0.1:${port}`;
      await daemon.waitFor(/ended: exit \d+, executions: [1-9]\d* recorded/, 300_000);

      // The alert names its failure view and trace under MONITOR_PUBLIC_URL.
      const [alert] = await sink.waitForRequests(1, 120_000);
      const body = alert!.json<{
        kind: string;
        runId: string;
        workflow: { id: string };
        artifacts: { resultUrl: string; traceUrl: string | null };
      }>();
      assert.equal(body.kind, 'failure');
      assert.equal(body.workflow.id, 'user-login');
      assert.equal(body.artifacts.resultUrl, `${publicUrl}/#/run/${encodeURIComponent(body.runId)}/user-login`);
      assert.ok(
        body.artifacts.traceUrl?.startsWith(`${publicUrl}/trace-viewer/index.html?trace=`),
        body.artifacts.traceUrl ?? 'no trace link',
      );

      const resolved = resolveChromium();
      assert.ok(resolved.found);
      const browser = await chromium.launch({ executablePath: resolved.path, args: chromiumArgs() });
      t.after(() => browser.close());
      const page = await browser.newPage();
      await page.goto(body.artifacts.resultUrl.replace(publicUrl, base));
      await page.locator('#error', { hasText: 'Sign In' }).waitFor();
      assert.match(await page.locator('h1').innerText(), /User Login/);
      const trace = await page.request.get(
        decodeURIComponent(body.artifacts.traceUrl!.split('?trace=')[1]!).replace(publicUrl, base),
      );
      assert.equal((await trace.body()).subarray(0, 2).toString(), 'PK', 'the linked trace is served');

      // Farm Creation (high) failed once: failing, amber, not DOWN and not UP.
      await page.goto(base);
      const farm = page.locator('.tile[data-workflow="farm-creation"]');
      await farm.waitFor();
      assert.match((await farm.getAttribute('class')) ?? '', /\bfailing\b/);
      assert.match(await farm.innerText(), /1 failure, alert after 2/);
      const login = page.locator('.tile[data-workflow="user-login"]');
      assert.match((await login.getAttribute('class')) ?? '', /\bdown\b/);
      // Right after the failure both windows include it, and a retried failure is one run.
      assert.match(await login.locator('.figures').innerText(), /0\.0 %\s+success 24 h\s+0\.0 %\s+success 7 d/);

      // The workflow page: its name, the daemon header, axes that are the chosen window.
      await page.goto(`${base}/#/workflow/user-login/24`);
      await page.locator('h1', { hasText: 'User Login' }).waitFor();
      const success = page.locator('.chart', { hasText: 'success rate' });
      await success.locator('canvas').waitFor();
      const scale = (name: string) => success.getAttribute(`data-${name}`).then(Number);
      const [xMin, xMax, yMax] = [await scale('x-min'), await scale('x-max'), await scale('y-max')];
      assert.ok(
        Math.abs(xMax - Date.now() / 1000) < 60 && Math.abs(xMax - xMin - 86_400) < 60,
        `x axis ${xMin}..${xMax} is the last 24 h`,
      );
      assert.equal(yMax, 100);
      assert.match(await page.locator('#daemon').innerText(), /daemon: ok/);

      // /metrics: the token, single prefixes, per-workflow gauges, runs once by final outcome.
      assert.equal((await fetch(`${base}/metrics`)).status, 401);
      // Runs are counted when the invocation has ended (a little after its summary line).
      const scrape = () =>
        fetch(`${base}/metrics`, { headers: { authorization: 'Bearer scrape-secret' } }).then((r) => r.text());
      let text = await scrape();
      for (let i = 0; i < 120 && !/workflow_runs_total\{workflow="user-login"/.test(text); i++) {
        await new Promise((r) => setTimeout(r, 500));
        text = await scrape();
      }
      assert.doesNotMatch(text, /process_process_/);
      assert.match(text, /^workflow_monitor_process_cpu_user_seconds_total /m);
      assert.match(text, /^workflow_monitor_workflow_up\{workflow="user-login",priority="critical"\} 0$/m);
      assert.match(text, /^workflow_monitor_workflow_up\{workflow="farm-creation",priority="high"\} 1$/m);
      assert.match(text, /^workflow_monitor_workflow_last_duration_seconds\{workflow="user-login"\} \d+(\.\d+)?$/m);
      assert.match(
        text,
        /^workflow_monitor_workflow_runs_total\{workflow="user-login",outcome="failed"\} 1$/m,
        'a failure retried once is one failed run',
      );
      daemon.kill();
    });
  },
);
