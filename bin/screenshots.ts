// `npm run docs:screenshots`: the README's dashboard pictures, from a real run. Starts the demo app,
// runs the six workflows three times into a temporary embedded PostgreSQL (with `login-broken`,
// healthy, `login-broken` again: User Login has a resolved incident and an ongoing one), serves
// the dashboard and photographs the overview, the workflow page, the failure view of User Login,
// a tile's beat bar and the public status page with Chromium. Every port is chosen by the system
// (demo app, dashboard, embedded PostgreSQL). Writes docs/images/*.png.
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from '@playwright/test';
import { addDashboardRoutes } from '../dashboard/routes.ts';
import { startDemoApp } from '../demo-app/app.ts';
import { stopEmbedded } from '../db/embedded/server.ts';
import { openDatabase } from '../db/open.ts';
import { notifierVariables } from '../notifiers/config.ts';
import { chromiumArgs, resolveChromium } from '../fixtures/browser.ts';
import { loadReportsConfig } from '../reports/config.ts';
import { generateReport } from '../reports/generate.ts';
import { loadSchedulerConfig } from '../scheduler/config.ts';
import { dashboardSchedules } from '../scheduler/describe-schedule.ts';
import { discover } from '../scheduler/discover.ts';
import { createHttpServer } from '../scheduler/http-server.ts';
import { statusSources, statusWorkflows } from '../scheduler/status-sources.ts';
import { childEnv } from '../config/env.ts';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const out = path.join(root, 'docs', 'images');
const stateDir = mkdtempSync(path.join(tmpdir(), 'wm-shots-'));
chmodSync(stateDir, 0o755);
const step = (line: string) => process.stdout.write(`screenshots: ${line}\n`);
const demo = await startDemoApp({ port: 0, host: '127.0.0.1', faults: 'login-broken' });
try {
  const { url: databaseUrl, pool } = await openDatabase({ stateDir, databaseUrl: undefined }, { log: () => undefined });
  // No alert leaves for these pictures, whatever `.env` configures (set-but-empty wins over it).
  const silent = Object.fromEntries(notifierVariables.map((name) => [name, '']));
  const env = childEnv({
    ...silent,
    BASE_URL: demo.url,
    DATABASE_URL: databaseUrl,
    MONITOR_STATE_DIR: stateDir,
    MONITOR_RETRIES: '0',
    CI: '',
    STATUS_PAGE_TITLE: 'Farm platform status',
    STATUS_PAGE_DESCRIPTION: 'Checked every few minutes by real browser journeys.',
    STATUS_PAGE_GROUPS:
      'Shopping=product-listing+order-placement;Accounts=user-login+user-registration;Farms=farm-creation;Platform=health-check',
    MAINTENANCE_WINDOWS: JSON.stringify([
      { name: 'Weekly database maintenance', cron: '0 2 * * 0', durationMinutes: 60, workflows: ['order-placement'] },
    ]),
  });

  const cli = createRequire(import.meta.url).resolve('@playwright/test/cli');
  for (const faults of ['login-broken', '', 'login-broken']) {
    demo.setFaults(faults);
    step(`running the six workflows (faults: ${faults || 'none'})`);
    // Asynchronous: the demo app lives in this process and must keep answering.
    const child = spawn(process.execPath, [cli, 'test', '--output', path.join(stateDir, 'out')], {
      cwd: root,
      env,
      stdio: 'inherit',
    });
    await new Promise((resolve) => child.on('close', resolve));
  }
  const config = loadSchedulerConfig(env);
  const found = await discover({
    env,
    omitVariables: [],
    overrides: config.overrides,
    intervalMinutes: config.intervalMinutes,
    timezone: config.timezone,
    allowSeconds: false,
  });
  // This hour's report, so the overview shows recommendations as a person reads them.
  await generateReport(pool, {
    kind: 'hourly',
    periodEnd: new Date(Date.now() + 3_600_000),
    writeFiles: false,
    config: { ...loadReportsConfig(env), githubStepSummary: null },
  });
  const server = createHttpServer();
  addDashboardRoutes(server, {
    pool: () => pool,
    schedules: () => dashboardSchedules(found.schedules, config.policy),
    daemon: () => ({ status: 'ok', lastTickAt: new Date().toISOString(), databaseReachable: true, running: 0 }),
    artifactsDir: path.join(stateDir, 'artifacts'),
    token: null,
    status: statusSources(config.statusPage, config.policy.maintenance, () => statusWorkflows(found.schedules)),
  });
  const { port } = await server.listen(0, '127.0.0.1');
  const resolved = resolveChromium(env);
  if (!resolved.found) throw new Error(resolved.problem);
  const browser = await chromium.launch({ executablePath: resolved.path, args: chromiumArgs() });
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(`http://127.0.0.1:${port}/`);
  await page.locator('.tile').first().waitFor();
  await page.screenshot({ path: path.join(out, 'dashboard-overview.png') });
  await page
    .locator('.tile[data-workflow="user-login"]')
    .screenshot({ path: path.join(out, 'dashboard-beat-bar.png') });
  // The last hour: both runs of the picture lie within it.
  await page.goto(`http://127.0.0.1:${port}/#/workflow/user-login/1`);
  await page.locator('.chart canvas').first().waitFor();
  await page.screenshot({ path: path.join(out, 'dashboard-workflow.png'), fullPage: true });
  await page.locator('#executions tr[data-status="failed"]').first().click();
  await page.waitForFunction(
    () => ((document.getElementById('screenshot') as HTMLImageElement | null)?.naturalWidth ?? 0) > 0,
  );
  await page.screenshot({ path: path.join(out, 'dashboard-failure.png'), fullPage: true });
  await page.goto(`http://127.0.0.1:${port}/status`);
  await page.screenshot({ path: path.join(out, 'status-page.png'), fullPage: true });
  await browser.close();
  await server.close();
  await pool.end();
  step(
    `wrote ${path.relative(root, path.join(out, 'dashboard-overview.png'))}, dashboard-workflow.png, dashboard-failure.png, dashboard-beat-bar.png and status-page.png`,
  );
} finally {
  await demo.close();
  await stopEmbedded({ stateDir, log: () => undefined });
  rmSync(stateDir, { recursive: true, force: true });
}
