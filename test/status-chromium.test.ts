// The status page and the dashboard's new views in Chromium (issue 17 items 1, 5, 6): /status
// without JavaScript on a phone, markup in names and titles rendered as text with no script
// running, a tile's beat bar (colour by outcome, hover title, click opens the execution) and the
// workflow page's incident timeline with the alert sent for the outage.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from '@playwright/test';
import { addDashboardRoutes } from '../dashboard/routes.ts';
import { chromiumArgs, resolveChromium } from '../fixtures/browser.ts';
import { createHttpServer } from '../scheduler/http-server.ts';
import { parsePolicyConfig } from '../notifiers/policy/config.ts';
import { parseStatusPageConfig } from '../config/status-page.ts';
import { statusSources } from '../scheduler/status-sources.ts';
import { seedStatus, statusEnv, statusWorkflows } from './helpers/status-seed.ts';
import { testRig } from './helpers/rig.ts';

test(
  'status page and beat bar in Chromium: no script needed, none runs, phone-width; beat bar and incident timeline',
  { timeout: 240_000 },
  async (t) => {
    const { db, sink: slack } = await testRig(t, { sink: {} });
    const now = new Date();
    const env = {
      ...statusEnv(now),
      SLACK_WEBHOOK_URL: slack.urlFor('/services/T0/B0/xoxb-hook-token-771'),
      NOTIFY_BACKOFF_BASE_MS: '50',
    };
    const alerting = await seedStatus(db, env, now);
    t.after(() => alerting.close());
    assert.ok(slack.requests.length >= 1, 'the outage was alerted on Slack');

    const server = createHttpServer();
    addDashboardRoutes(server, {
      pool: () => db.pool,
      daemon: () => ({ status: 'ok' }),
      artifactsDir: '/nonexistent',
      token: null,
      schedules: () =>
        statusWorkflows.map((w) => ({
          workflowId: w.id,
          title: w.title,
          priority: w.priority,
          tags: w.tags,
          cron: '*/5 * * * *',
          description: 'Every 5 minutes',
          alertAfterFailures: 2,
        })),
      status: statusSources(parseStatusPageConfig(env), parsePolicyConfig(env).maintenance, () => statusWorkflows),
    });
    const { port } = await server.listen(0, '127.0.0.1');
    t.after(() => server.close());
    const base = `http://127.0.0.1:${port}`;
    const resolved = resolveChromium();
    assert.ok(resolved.found, resolved.found ? '' : resolved.problem);
    const browser = await chromium.launch({ executablePath: resolved.path, args: chromiumArgs() });
    t.after(() => browser.close());

    // A phone without JavaScript: everything is there, nothing overflows sideways.
    const phone = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 390, height: 844 } });
    const p = await phone.newPage();
    await p.goto(`${base}/status`);
    assert.equal(await p.locator('h1').textContent(), 'Acme <script>window.pwned=1</script> status');
    assert.equal(await p.locator('section h2').filter({ hasText: 'Shop' }).textContent(), 'Shop <b>ping</b>');
    assert.match((await p.locator('.banner').textContent()) ?? '', /Some systems are down/);
    assert.equal(await p.locator('.wf', { hasText: 'Login' }).locator('.state').textContent(), 'Outage');
    assert.equal(await p.locator('.wf', { hasText: 'Product Listing' }).locator('.state').textContent(), 'Maintenance');
    assert.equal(
      await p
        .locator('.bar span')
        .evaluateAll((cells) => cells.reduce((n, c) => n + Number(c.getAttribute('data-days') ?? 1), 0)),
      180,
    );
    assert.match((await p.locator('body').textContent()) ?? '', /Database upgrade: .*\(in progress\)/);
    assert.match(
      (await p.locator('section', { hasText: 'Current incident' }).textContent()) ?? '',
      /Ongoing: User <img src=x onerror=alert\(1\)> Login/,
    );
    const wide = await p.evaluate(() =>
      [...document.querySelectorAll('body *')]
        .filter((e) => e.getBoundingClientRect().right > 390)
        .map((e) => `${e.tagName}.${e.className}`)
        .slice(0, 5)
        .join(' '),
    );
    assert.ok(
      (await p.evaluate(() => document.documentElement.scrollWidth)) <= 390,
      `no sideways scrolling on a phone: ${wide} ${await p.evaluate(() => `${document.documentElement.scrollWidth} ${window.innerWidth}`)}`,
    );
    await p.screenshot({ path: 'test-results/status-phone.png', fullPage: true });
    await phone.close();

    // With JavaScript on: no script of the page's data runs (no dialog, no global set).
    const desk = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const d = await desk.newPage();
    const dialogs: string[] = [];
    d.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    for (const path of ['/status', '/status/incidents/1']) {
      await d.goto(`${base}${path}`);
      assert.equal(await d.evaluate(() => (window as unknown as { pwned?: number }).pwned), undefined, path);
    }
    await d.goto(`${base}/status`);
    await d.screenshot({ path: 'test-results/status-desktop.png', fullPage: true });

    // The dashboard: the User Login tile's beat bar.
    await d.goto(`${base}/`);
    const tile = d.locator('.tile[data-workflow="user-login"]');
    await tile.locator('.beats').waitFor();
    assert.equal(await tile.locator('.beat').count(), 4);
    assert.equal(await tile.locator('.beat.failed').count(), 4);
    // Within the last 7 days: the daily runs seeded at 01:00 UTC of each of the last ten days (six
    // or seven of them, by the time of day), the one 3 days ago failed.
    const today = Math.floor(now.getTime() / 86_400_000) * 86_400_000;
    const inWeek = Array.from({ length: 10 }, (_, i) => i).filter(
      (i) => today - (i + 1) * 86_400_000 + 3_600_000 > now.getTime() - 7 * 86_400_000,
    );
    assert.equal(
      await d.locator('.tile[data-workflow="product-listing"] .beat.passed').count(),
      inWeek.filter((i) => i !== 2).length,
    );
    assert.equal(await d.locator('.tile[data-workflow="product-listing"] .beat.failed').count(), 1);
    assert.match((await tile.locator('.beat').first().getAttribute('title')) ?? '', /\d.* · 1000 ms · failed$/);
    await tile.screenshot({ path: 'test-results/beat-bar.png' });
    await tile.locator('.beat').last().click();
    await d.locator('#error').waitFor();
    assert.match(d.url(), /#\/execution\/\d+\//);
    assert.match((await d.locator('h1').textContent()) ?? '', /User Login/);

    // The workflow page: its incident timeline, with the Slack alert.
    await d.goto(`${base}/#/workflow/user-login`);
    const row = d.locator('#incidents tr[data-open="true"]');
    await row.waitFor();
    assert.match((await row.textContent()) ?? '', /ongoing\d+ min.*took too long.*failure via slack: sent/i);
    assert.deepEqual(dialogs, []);
  },
);
