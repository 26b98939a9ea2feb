// The dashboard end to end: real runs against the demo app with fault switches seed the database,
// the real daemon serves the page, and Chromium (driven by Playwright) checks the overview, the
// workflow page, the failure view with its screenshot and trace, the live update after a new run,
// and that a hostile error message stays text and a stored path cannot leave the artifacts folder.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from '@playwright/test';
import { sql } from 'slonik';
import { z } from 'zod';
import { insertExecutions } from '../db/tables/executions.ts';
import { insertNotificationLog } from '../db/tables/notification-logs.ts';
import { chromiumArgs, resolveChromium } from '../fixtures/browser.ts';
import { startDaemonProcess } from './helpers/daemon-harness.ts';
import { executionRecord } from './helpers/db.ts';
import { withDemo } from './helpers/demo.ts';
import { removeRun, runPlaywright } from './helpers/playwright-run.ts';
import { testRig } from './helpers/rig.ts';

const never = '0 0 1 1 *';

test(
  'dashboard: overview, workflow page, failure view, live update; XSS stays text, paths stay inside',
  { timeout: 300_000 },
  async (t) => {
    const { db, state } = await testRig(t, { state: 'wm-dash-', open: true });
    const env = { DATABASE_URL: db.url, MONITOR_STATE_DIR: state.dir, CI: '' };

    await withDemo('login-broken', async (demo) => {
      const seed = await runPlaywright(
        ['test', '--retries=0', '--grep', '@user-login(?![-\\w])|@product-listing(?![-\\w])|@health-check(?![-\\w])'],
        { ...env, BASE_URL: demo.url },
        { monitor: true },
      );
      await removeRun(seed);
      assert.equal(seed.code, 1, 'login fails under login-broken');

      // What a real run cannot produce: a hostile error and stored paths outside the artifacts folder.
      await insertExecutions(db.pool, [
        executionRecord({
          runId: 'run-hostile',
          testId: 'hostile',
          workflowId: 'product-listing',
          name: 'Product Listing',
          priority: 'high',
          status: 'failed',
          outcome: 'unexpected',
          startedAt: new Date(Date.now() - 3_600_000),
          error: '<script>window.__xss = 1</script><img src=x onerror="window.__xss = 2">',
          failedStep: 'Open <b>listing</b>',
          screenshotPath: '../../../../etc/passwd',
          tracePath: '/etc/hostname',
        }),
      ]);
      await insertNotificationLog(db.pool, {
        channel: 'slack',
        kind: 'failure',
        priority: 'critical',
        workflowId: 'user-login',
        runId: null,
        title: 'Workflow Failed: <i>User Login</i>',
        message: 'x',
        sent: false,
        throttled: true,
        error: 'throttled: 10 alerts in the last hour on this channel (max 10)',
        statusCode: null,
        attempts: 0,
        latencyMs: 0,
      });

      const daemon = await startDaemonProcess({
        ...env,
        BASE_URL: demo.url,
        MONITOR_HOUSEKEEPING: 'false',
        MONITOR_TICK_SECONDS: '1',
        ...Object.fromEntries(
          [
            'HEALTH_CHECK',
            'USER_LOGIN',
            'USER_REGISTRATION',
            'FARM_CREATION',
            'PRODUCT_LISTING',
            'ORDER_PLACEMENT',
          ].map((id) => [`MONITOR_SCHEDULE_${id}`, never]),
        ),
      });
      t.after(() => daemon.destroy());
      const base = `http://127.0.0.1:${daemon.port}`;
      const resolved = resolveChromium();
      assert.ok(resolved.found);
      const browser = await chromium.launch({ executablePath: resolved.path, args: chromiumArgs() });
      t.after(() => browser.close());
      const page = await browser.newPage();

      // Overview: a tile per workflow, coloured by state, with its figures and sparkline.
      await page.goto(base);
      const login = page.locator('.tile[data-workflow="user-login"]');
      await login.waitFor();
      assert.match((await login.getAttribute('class')) ?? '', /\bdown\b/);
      assert.match(await login.innerText(), /critical/i);
      assert.match(await login.innerText(), /success 24 h/);
      assert.equal(await page.locator('.tile').count(), 6, 'every discovered workflow has a tile');
      assert.match(
        (await page.locator('.tile[data-workflow="product-listing"]').getAttribute('class')) ?? '',
        /\bup\b|\bdown\b|\bfailing\b/,
      );
      assert.ok((await login.locator('svg.sparkline polyline').count()) === 1);
      assert.match(await page.locator('#daemon').innerText(), /daemon: /);
      await page.selectOption('select[aria-label="priority"]', 'high');
      await page.waitForFunction(() => document.querySelectorAll('.tile').length < 6);
      const high = await page
        .locator('.tile')
        .evaluateAll((tiles) => tiles.map((t) => t.getAttribute('data-workflow')));
      assert.ok(
        high.includes('product-listing') && !high.includes('user-login'),
        `filtered by priority: ${high.join(', ')}`,
      );
      await page.selectOption('select[aria-label="priority"]', '');
      await page.waitForFunction(() => document.querySelectorAll('.tile').length === 6);

      // The notification log, values as text.
      assert.match(
        await page.locator('#notifications').innerText(),
        /Workflow Failed: <i>User Login<\/i>[\s\S]*throttled/,
      );

      // The health check's failure view carries its health payload.
      await page.locator('.tile[data-workflow="health-check"]').click();
      await page.locator('#executions tr.link').first().click();
      await page.locator('#health').waitFor();
      assert.match(await page.locator('#health').innerText(), /database/i);
      await page.goto(base);

      // Workflow page (charts, step timings, executions), then the failure view: the error, the
      // failed step, the screenshot, the trace.
      await login.click();
      await page.locator('#steps tr').nth(1).waitFor();
      assert.ok((await page.locator('.chart canvas').count()) >= 2, 'duration and success-rate charts are drawn');
      assert.match(await page.locator('#steps').innerText(), /Open login page/);
      await page.locator('#executions tr[data-status="failed"]').first().click();
      await page.locator('#error').waitFor();
      assert.match(await page.locator('#failed-step').innerText(), /Sign In|sign in/i);
      assert.ok((await page.locator('#error').innerText()).length > 10);
      await page.waitForFunction(
        () => (document.getElementById('screenshot') as HTMLImageElement | null)?.naturalWidth ?? 0 > 0,
      );
      const traceHref = await page.locator('#trace').getAttribute('href');
      const trace = await page.request.get(`${base}${traceHref}`);
      assert.equal(trace.status(), 200);
      assert.equal((await trace.body()).subarray(0, 2).toString(), 'PK', 'the trace is a zip');
      // The link an alert carries (MONITOR_PUBLIC_URL) names the run and workflow: the same trace.
      const failedRun = await db.pool.oneFirst(
        sql.type(
          z.object({ r: z.string() }),
        )`SELECT run_id AS r FROM workflow_executions WHERE workflow_id = 'user-login' AND status = 'failed' LIMIT 1`,
      );
      const linked = await page.request.get(
        `${base}/api/artifact?run=${encodeURIComponent(failedRun)}&workflow=user-login&kind=trace`,
      );
      assert.equal((await linked.body()).subarray(0, 2).toString(), 'PK', 'the trace by run and workflow');
      // Viewable in the browser: Playwright's trace viewer, served by the dashboard, loads it.
      const viewer = await browser.newPage();
      await viewer.goto(`${base}${await page.locator('#trace-viewer').getAttribute('href')}`);
      await viewer.getByText('Open login page').first().waitFor({ timeout: 60_000 });
      await viewer.close();

      // Hostile values are shown as text; stored paths outside the artifacts folder are refused.
      const hostile = await db.pool.one(
        sql.type(
          z.object({ id: z.number(), at: z.date() }),
        )`SELECT id, started_at AS at FROM workflow_executions WHERE run_id = 'run-hostile'`,
      );
      await page.goto(`${base}/#/execution/${hostile.id}/${encodeURIComponent(hostile.at.toISOString())}`);
      // The login failure view shown before also has an #error: wait for this attempt's, not any.
      await page.locator('#error', { hasText: 'window.__xss = 1' }).waitFor();
      assert.match(await page.locator('#error').innerText(), /<script>window.__xss = 1<\/script>/);
      assert.equal(await page.locator('#failed-step').innerText(), 'Open <b>listing</b>');
      assert.equal(
        await page.evaluate(() => (window as unknown as { __xss?: number }).__xss),
        undefined,
        'no script ran',
      );
      for (const kind of ['screenshot', 'trace']) {
        const res = await page.request.get(
          `${base}/api/artifact?id=${hostile.id}&at=${encodeURIComponent(hostile.at.toISOString())}&kind=${kind}`,
        );
        assert.equal(res.status(), 404, `${kind} outside the artifacts folder is not served`);
      }

      // Live: a new run changes the overview without a reload.
      await page.goto(base);
      await login.waitFor();
      await page.evaluate(() => {
        (window as unknown as { __same?: boolean }).__same = true;
      });
      demo.setFaults('');
      const again = await runPlaywright(
        ['test', '--retries=0', '--grep', '@user-login(?![-\\w])'],
        { ...env, BASE_URL: demo.url },
        { monitor: true },
      );
      await removeRun(again);
      assert.equal(again.code, 0);
      // The page polls every 3 s; at load 46 the update took more than 20 s to show.
      await page.locator('.tile[data-workflow="user-login"].up').waitFor({ timeout: 60_000 });
      assert.equal(
        await page.evaluate(() => (window as unknown as { __same?: boolean }).__same),
        true,
        'the same page, not reloaded',
      );

      // Notifications and reports sections are there (empty or not).
      assert.ok(await page.getByRole('heading', { name: 'Notifications' }).isVisible());
      assert.ok(await page.getByRole('heading', { name: 'Reports' }).isVisible());
      daemon.signal('SIGTERM');
      assert.equal(await daemon.exited, 0);
    });
  },
);
