// The dashboard's pages in Chromium over a seeded database (issue 12 items 12, 14, 15): the
// workflow page's chart axes cover exactly the chosen window (read from uPlot's own scales),
// success stays within 0-100 %, the page keeps the daemon header and names the workflow; a
// failed run short of the alert threshold is an amber "failing" tile, distinct from DOWN and
// UP; recommendations and the health check are text a person reads, not JSON.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { chromium, type Page } from '@playwright/test';
import { addDashboardRoutes } from '../dashboard/routes.ts';
import { insertExecutions } from '../db/tables/executions.ts';
import { saveReport } from '../db/tables/reports.ts';
import { upsertWorkflowState, type WorkflowStateInput, type WorkflowStateName } from '../db/tables/workflow-states.ts';
import { chromiumArgs, resolveChromium } from '../fixtures/browser.ts';
import { createHttpServer } from '../scheduler/http-server.ts';
import { executionRecord } from './helpers/db.ts';
import { productListing } from './helpers/records.ts';
import { testRig } from './helpers/rig.ts';

const HOUR = 3_600_000;
const schedule = (workflowId: string, title: string, priority: string, alertAfterFailures: number) => ({
  workflowId,
  title,
  priority,
  tags: [],
  cron: '*/5 * * * *',
  description: 'Every 5 minutes',
  alertAfterFailures,
});

async function scales(page: Page, title: RegExp) {
  const box = page.locator('.chart', { hasText: title });
  await box.locator('canvas').waitFor();
  const read = (name: string) => box.getAttribute(`data-${name}`).then(Number);
  return { xMin: await read('x-min'), xMax: await read('x-max'), yMin: await read('y-min'), yMax: await read('y-max') };
}

test(
  'dashboard pages: chart axes are the chosen window, failing tiles, readable recommendations and health',
  { timeout: 180_000 },
  async (t) => {
    const { db, state } = await testRig(t, { state: 'wm-pages-' });
    const now = Date.now();
    await insertExecutions(db.pool, [
      // One passing run of User Login, 3 h ago: alone it used to stretch the axis over years.
      executionRecord({ runId: 'r1', startedAt: new Date(now - 3 * HOUR), health: null }),
      executionRecord({
        runId: 'r1',
        ...productListing,
        startedAt: new Date(now - 2 * HOUR),
      }),
      executionRecord({
        runId: 'r2',
        ...productListing,
        startedAt: new Date(now - HOUR),
        status: 'failed',
        outcome: 'unexpected',
        error: 'Error: listing empty',
      }),
      executionRecord({
        runId: 'r2',
        testId: 'hc',
        workflowId: 'health-check',
        name: 'Health Check',
        priority: 'critical',
        startedAt: new Date(now - HOUR),
        status: 'failed',
        outcome: 'unexpected',
        error: 'unhealthy: database',
        health: {
          healthy: false,
          status: 'unhealthy',
          responseTimeMs: 42,
          databaseHealthy: false,
          apiHealthy: true,
          cacheHealthy: true,
          payload: {
            status: 'unhealthy',
            checks: {
              database: { status: 'unhealthy', latency: 900, message: 'Database is slow' },
              cache: { status: 'healthy', latency: 4 },
            },
            version: '1.1.0',
          },
        },
      }),
      // Farm Creation from two locations: us fails once, eu never.
      ...(['eu', 'us', 'eu', 'us'] as const).map((location, i) =>
        executionRecord({
          runId: `loc-${i}`,
          testId: `fc-${i}`,
          workflowId: 'farm-creation',
          name: 'Farm Creation',
          location,
          startedAt: new Date(now - (4 - i) * HOUR),
          durationMs: location === 'us' ? 9_000 : 3_000,
          ...(i === 1 ? { status: 'failed' as const, outcome: 'unexpected' as const, error: 'Error: timeout' } : {}),
        }),
      ),
    ]);
    const since = (ms: number) => new Date(now - ms);
    /** A workflow's policy state since `sinceMs` ago, its last run then unless `s` says otherwise. */
    const setState = (workflowId: string, state: WorkflowStateName, sinceMs: number, s: Partial<WorkflowStateInput>) =>
      upsertWorkflowState(db.pool, {
        workflowId,
        state,
        since: since(sinceMs),
        consecutiveFailures: 0,
        consecutivePasses: 0,
        lastAlertAt: null,
        lastExecutionAt: since(sinceMs),
        details: {},
        ...s,
      });
    await setState('product-listing', 'up', 2 * HOUR, { consecutiveFailures: 1, lastExecutionAt: since(HOUR) });
    await setState('health-check', 'down', HOUR, { consecutiveFailures: 1, lastAlertAt: since(HOUR) });
    await setState('user-login', 'up', 3 * HOUR, { consecutivePasses: 1 });
    await saveReport(db.pool, {
      reportId: 'hourly-1',
      kind: 'hourly',
      periodStart: since(2 * HOUR),
      periodEnd: since(HOUR),
      totalExecutions: 3,
      passedExecutions: 2,
      failedExecutions: 1,
      flakyExecutions: 0,
      successRate: 2 / 3,
      avgDurationMs: 1000,
      p95DurationMs: 1000,
      criticalIssues: 1,
      successRateTrend: null,
      performanceTrend: null,
      errorRateTrend: null,
      recommendations: [
        {
          rule: 'failing',
          severity: 'warning',
          workflowId: 'product-listing',
          subject: 'Product Listing (product-listing)',
          finding: 'failed 1 of 2 runs (50.0 %).',
          action: 'Open its latest failure view.',
          evidence: { failures: 1 },
        },
      ],
      body: {},
    });

    const server = createHttpServer();
    addDashboardRoutes(server, {
      pool: () => db.pool,
      schedules: () => [
        schedule('user-login', 'User Login', 'critical', 1),
        schedule('product-listing', 'Product Listing', 'high', 2),
        schedule('health-check', 'Health Check', 'critical', 1),
      ],
      daemon: () => ({
        status: 'ok',
        lastTickAt: new Date().toISOString(),
        databaseReachable: true,
        runningInvocations: 0,
        // As /api/daemon gives them (scheduler/location-watch.ts locationView).
        locations: [
          { location: 'eu', lastSeenAt: new Date().toISOString(), offline: false },
          { location: 'us', lastSeenAt: new Date(Date.now() - 300_000).toISOString(), offline: true },
        ],
      }),
      artifactsDir: join(state.dir, 'artifacts'),
      token: null,
    });
    const { port } = await server.listen(0, '127.0.0.1');
    t.after(() => server.close());
    const base = `http://127.0.0.1:${port}`;
    const resolved = resolveChromium();
    assert.ok(resolved.found);
    const browser = await chromium.launch({ executablePath: resolved.path, args: chromiumArgs() });
    t.after(() => browser.close());
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });

    // Tiles: failing (amber, counted against the threshold), DOWN, UP.
    await page.goto(base);
    const failing = page.locator('.tile[data-workflow="product-listing"]');
    await failing.waitFor();
    assert.match((await failing.getAttribute('class')) ?? '', /\bfailing\b/);
    assert.match(await failing.locator('.badge').first().innerText(), /1 failure, alert after 2/i);
    assert.match((await page.locator('.tile[data-workflow="health-check"]').getAttribute('class')) ?? '', /\bdown\b/);
    assert.match((await page.locator('.tile[data-workflow="user-login"]').getAttribute('class')) ?? '', /\bup\b/);
    assert.equal(
      await failing.evaluate((e) => getComputedStyle(e).borderLeftColor),
      'rgb(221, 107, 32)',
      'amber, not green or red',
    );
    // Recommendations as sentences.
    const recommendation = await page.locator('ul.recommendations li').first().innerText();
    assert.match(
      recommendation,
      /Product Listing \(product-listing\) failed 1 of 2 runs[\s\S]*Open its latest failure view/,
    );
    assert.doesNotMatch(recommendation, /[{}"]/);

    // Workflow pages: the axis is the window (within a minute), success 0-100 %, header and name.
    for (const hours of [24, 1, 720]) {
      await page.goto(`${base}/#/workflow/user-login/${hours}`);
      await page.locator('h1', { hasText: 'User Login' }).waitFor();
      if (hours === 1) {
        assert.equal(await page.locator('.chart canvas').count(), 0, 'nothing in the last hour');
        continue;
      }
      const opened = Date.now() / 1000;
      const duration = await scales(page, /duration/);
      const success = await scales(page, /success rate/);
      for (const s of [duration, success]) {
        assert.ok(Math.abs(s.xMax - opened) < 60, `${hours} h: x max ${s.xMax} is now (${opened})`);
        assert.ok(Math.abs(s.xMax - s.xMin - hours * 3600) < 60, `${hours} h: x spans ${(s.xMax - s.xMin) / 3600} h`);
      }
      assert.deepEqual([success.yMin, success.yMax], [0, 100], `${hours} h: success axis`);
      assert.equal(duration.yMin, 0);
    }
    assert.match(await page.locator('#daemon').innerText(), /daemon: ok/, 'the workflow page keeps the daemon header');
    assert.match(await page.locator('#daemon').innerText(), /locations: eu seen \d+ s ago, us OFFLINE, seen 5 min ago/);
    assert.doesNotMatch(await page.locator('.chart').first().innerText(), /by location/, 'one location: one line');
    // Run from two locations: each chart has one line per location, the table says where.
    await page.goto(`${base}/#/workflow/farm-creation/24`);
    await page.locator('.chart', { hasText: 'duration (ms), every attempt, by location (eu, us)' }).waitFor();
    const legend = (chart: RegExp) => page.locator('.chart', { hasText: chart }).locator('.u-legend').innerText();
    assert.match(await legend(/^duration/), /duration ms · eu[\s\S]*duration ms · us/);
    assert.match(await legend(/^success rate/), /success % · eu[\s\S]*success % · us/);
    assert.deepEqual(Object.values(await scales(page, /success rate/)).slice(2), [0, 100]);
    const headers = await page.locator('#executions th').allInnerTexts();
    assert.equal(headers.join('|'), 'time|location|status|duration|failed step|error');
    assert.deepEqual(await page.locator('#executions tr.link td:nth-child(2)').allInnerTexts(), [
      'us',
      'eu',
      'us',
      'eu',
    ]);

    // The health check as text: the checks with their figures, no JSON.
    await page.goto(`${base}/#/workflow/health-check`);
    await page.locator('h1', { hasText: 'Health Check' }).waitFor();
    await page.locator('#executions tr.link').first().click();
    const health = page.locator('#health');
    await health.waitFor();
    const text = await health.innerText();
    assert.match(text, /Overall unhealthy[\s\S]*Database unhealthy, API healthy, cache healthy/);
    assert.match(text, /database\s+unhealthy\s+Database is slow · latency 900 ms/i);
    assert.match(text, /version 1\.1\.0/);
    assert.doesNotMatch(text, /[{}]/);

    // An alert's link (MONITOR_PUBLIC_URL): #/run/<run>/<workflow> opens that run's failure view.
    await page.goto(`${base}/#/run/r2/health-check`);
    await page.locator('#error', { hasText: 'unhealthy: database' }).waitFor();
    assert.match(await page.locator('h1').innerText(), /Health Check/);
    assert.equal((await page.request.get(`${base}/api/execution?run=r2&workflow=nope`)).status(), 404);
    if (process.env.WM_KEEP_SHOTS) {
      for (const [name, hash] of [
        ['overview', ''],
        ['workflow-24h', '#/workflow/user-login/24'],
        ['workflow-30d', '#/workflow/user-login/720'],
        ['workflow-locations', '#/workflow/farm-creation/24'],
      ]) {
        await page.goto(`${base}/${hash}`);
        await page
          .locator(hash ? '.chart' : '.tile')
          .first()
          .waitFor();
        await page.screenshot({ path: join(process.env.WM_KEEP_SHOTS, `${name}.png`), fullPage: true });
      }
      await page.goto(`${base}/#/workflow/health-check`);
      await page.locator('#executions tr.link').first().click();
      await page.locator('#health').waitFor();
      await page.screenshot({ path: join(process.env.WM_KEEP_SHOTS, 'health.png'), fullPage: true });
    }
  },
);
