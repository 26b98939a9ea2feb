// The status page end to end (issue 17 acceptance): real runs of User Login and Product Listing
// against the demo app with the monitor reporter (faults on twice, then off), the alert policy
// deciding in PostgreSQL, the page served off the loopback default (127.0.0.2, DASHBOARD_TOKEN set,
// STATUS_PAGE_PUBLIC=true) and read in Chromium: the state per group, the incident and its
// duration, a maintenance window, the bars; every public response free of the accounts, the
// webhook token, the trace paths and the error messages of the failures the runs caused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import { sql } from 'slonik';
import { z } from 'zod';
import { addDashboardRoutes } from '../dashboard/routes.ts';
import { chromiumArgs, resolveChromium } from '../fixtures/browser.ts';
import { loadSchedulerConfig } from '../scheduler/config.ts';
import { createHttpServer } from '../scheduler/http-server.ts';
import { statusSources } from '../scheduler/status-sources.ts';
import { withDemo } from './helpers/demo.ts';
import { removeRun, runPlaywright } from './helpers/playwright-run.ts';
import { testRig } from './helpers/rig.ts';

const hookToken = 'T0STATUS/B0STATUS/statushooktoken42';
const grep = '@(user-login|product-listing)(?![-\\w])';

test(
  'status page over real runs: outage, recovery with its duration, maintenance, bars; public routes only, nothing private',
  { timeout: 600_000 },
  async (t) => {
    const { db, sink: slack, state } = await testRig(t, { sink: {}, state: 'wm-status-e2e-', open: true });
    const now = new Date();
    const env: Record<string, string> = {
      DATABASE_URL: db.url,
      MONITOR_STATE_DIR: state.dir,
      CI: '',
      SLACK_WEBHOOK_URL: slack.urlFor(`/services/${hookToken}`),
      MONITOR_HTTP_HOST: '127.0.0.2',
      DASHBOARD_TOKEN: 'status-e2e-token',
      STATUS_PAGE_PUBLIC: 'true',
      STATUS_PAGE_TITLE: 'Demo status',
      STATUS_PAGE_GROUPS: 'Shopping=product-listing;Accounts=user-login',
      MAINTENANCE_WINDOWS: JSON.stringify([
        {
          name: 'Catalogue reindex',
          workflows: ['product-listing'],
          start: now.toISOString(),
          end: new Date(now.getTime() + 6 * 3_600_000).toISOString(),
        },
      ]),
    };
    const config = loadSchedulerConfig({ ...process.env, ...env });
    const server = createHttpServer();
    addDashboardRoutes(server, {
      pool: () => db.pool,
      schedules: () => [],
      daemon: () => ({}),
      artifactsDir: join(state.dir, 'artifacts'),
      token: config.dashboardToken,
      status: statusSources(config.statusPage, config.policy.maintenance, () => [
        { id: 'user-login', title: 'User Login', priority: 'critical', tags: ['@critical'] },
        { id: 'product-listing', title: 'Product Listing', priority: 'high', tags: ['@high'] },
      ]),
    });
    const { port } = await server.listen(0, config.httpHost);
    t.after(() => server.close());
    const base = `http://${config.httpHost}:${port}`;
    const resolved = resolveChromium();
    assert.ok(resolved.found);
    const browser = await chromium.launch({ executablePath: resolved.path, args: chromiumArgs() });
    t.after(() => browser.close());
    const page = await browser.newPage();
    const publicBodies: string[] = [];
    const read = async () => {
      for (const p of [
        '/status',
        '/status.json',
        '/status/feed.atom',
        '/badge/user-login.svg',
        '/badge/user-login/uptime.svg?days=7',
      ]) {
        const r = await fetch(`${base}${p}`);
        assert.equal(r.status, 200, `${p} without a token`);
        publicBodies.push(await r.text());
      }
      // The browser keeps the page but revalidates it on each visit: no stale state after a change.
      await page.goto(`${base}/status`);
      publicBodies.push(await page.content());
      const state = (name: string) => page.locator('.wf', { hasText: name }).locator('.state').textContent();
      return {
        login: await state('User Login'),
        listing: await state('Product Listing'),
        text: await page.locator('body').innerText(),
      };
    };

    await withDemo('login-broken', async (demo) => {
      for (let i = 0; i < 2; i++)
        await removeRun(
          await runPlaywright(
            ['test', '--retries=0', '--grep', grep],
            { ...env, BASE_URL: demo.url },
            { monitor: true },
          ),
        );
      const down = await read();
      assert.equal(down.login, 'Outage');
      assert.equal(down.listing, 'Maintenance', 'the window covers Product Listing');
      assert.match(down.text, /Some systems are down/);
      assert.match(down.text, /Current incident\s+Ongoing: User Login/);
      assert.match(down.text, /Catalogue reindex: .* \(in progress\)/);
      assert.match(
        (await page.locator('.wf', { hasText: 'User Login' }).locator('.bar span').last().getAttribute('title')) ?? '',
        /: 0\.00 % of 2 runs$/,
      );
      for (const p of [
        '/',
        '/api/overview',
        '/api/workflow?id=user-login',
        '/trace-viewer/index.html',
        '/api/artifact?id=1&at=2020-01-01T00:00:00Z&kind=trace',
      ]) {
        assert.equal((await fetch(`${base}${p}`)).status, 401, `${p} still needs the token`);
      }

      demo.setFaults('');
      const healthy = await runPlaywright(
        ['test', '--retries=0', '--grep', grep],
        { ...env, BASE_URL: demo.url },
        { monitor: true },
      );
      await removeRun(healthy);
      assert.equal(
        healthy.code,
        0,
        `the healthy run passes: ${healthy.stderr.slice(-2000)}${healthy.stdout.slice(-1000)}`,
      );
      const up = await read();
      assert.equal(up.login, 'Operational');
      assert.doesNotMatch(up.text, /Current incident/);
      assert.match(up.text, /Resolved: User Login · [\d-]+ [\d:]+ UTC to [\d-]+ [\d:]+ UTC · \d+ min · \S/);
      assert.match(
        (await page.locator('.wf', { hasText: 'User Login' }).locator('.bar span').last().getAttribute('title')) ?? '',
        /: 33\.33 % of 3 runs$/,
      );
      await page.locator('a[href^="/status/incidents/"]').first().click();
      assert.match(await page.locator('body').innerText(), /Duration: \d+ min/);
      publicBodies.push(await page.content());
      await page.screenshot({ path: join(state.dir, 'status.png'), fullPage: true });
    });

    // What the runs caused: their errors, accounts and trace paths, and the webhook's token.
    const failures = await db.pool.any(sql.type(
      z.object({ error: z.string().nullable(), tracePath: z.string().nullable() }),
    )`
    SELECT error, trace_path AS "tracePath" FROM workflow_executions WHERE status <> 'passed'`);
    assert.ok(failures.length >= 2);
    const accounts = await db.pool.anyFirst(
      sql.type(
        z.object({ e: z.string() }),
      )`SELECT DISTINCT unnest(regexp_matches(coalesce(error, '') || ' ' || coalesce(failed_step, ''), '[\\w.+-]+@[\\w.-]+', 'g')) AS e FROM workflow_executions`,
    );
    const forbidden = [
      hookToken,
      'statushooktoken42',
      state.dir,
      ...accounts,
      ...failures
        .flatMap((f) => [f.tracePath, (f.error ?? '').split('\n')[0]!.slice(0, 60)])
        .filter((s): s is string => !!s && s.length > 8),
    ];
    assert.ok(slack.requests.length >= 2, 'the outage and the recovery were alerted');
    for (const body of publicBodies)
      for (const s of forbidden) assert.ok(!body.includes(s), `a public response shows "${s}"`);
  },
);
