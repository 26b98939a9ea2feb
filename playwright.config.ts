// The monitored workflows are an ordinary Playwright suite: this file is all a Playwright
// user needs to read to know how they run.
import { defineConfig, devices } from '@playwright/test';
import type { ReporterDescription } from '@playwright/test';
import { loadDotEnv } from './config/dotenv.ts';
import { loadPlaywrightEnv } from './config/playwright.ts';
import type { RunnerConfig } from './config/runner.ts';
import { chromiumArgs, resolveChromium } from './fixtures/browser.ts';

loadDotEnv();
// Every problem at once, one line each naming the variable, before anything runs (exit 2): the
// runner's and workers' variables, the reporter's (DATABASE_URL's syntax included), the alert
// channels and policy, and the browser.
const { env, runner, recording, problems: own, demoFaults, demoVariant, inWorker, headed } = loadPlaywrightEnv();
const listing = process.argv.includes('--list');
// The headless shell where one is installed, the full browser for --headed, --ui and --debug.
const browser = resolveChromium(env, { headless: !headed });
// The alert settings are checked once, by the runner (a worker loads this file too, and has no
// use for them): loaded only there.
const alertProblems = inWorker
  ? []
  : [(await import('./notifiers/alert-settings.ts')).loadAlertSettings(env)].flatMap((r) => (r.ok ? [] : r.problems));
const problems = [...new Set([...own, ...alertProblems, ...(!browser.found && !listing ? [browser.problem] : [])])];
if (problems.length || !runner) {
  for (const line of problems) process.stderr.write(`playwright.config: configuration error: ${line}\n`);
  process.exit(2);
}
const cfg: RunnerConfig = runner;

const demoURL = `http://${cfg.DEMO_HOST}:${cfg.DEMO_PORT}`;
const baseURL = cfg.BASE_URL ?? demoURL;

const reporters: ReporterDescription[] = [['list']];
// The monitor reporter records every attempt; MONITOR_REPORTER=off runs without recording.
if (recording) reporters.push(['./reporters/monitor-reporter.ts']);
// Sharded (`--shard=i/n`): each shard also writes a blob report (blob-report/), which
// `npx playwright merge-reports --config playwright.config.ts <folder>` turns into one report;
// the monitor reporter records every execution once, at the shard, and not again when merging.
if (process.argv.some((a) => a === '--shard' || a.startsWith('--shard='))) reporters.push(['blob']);

export default defineConfig({
  testDir: cfg.MONITOR_WORKFLOWS_DIR,
  testMatch: '**/*.spec.ts',
  outputDir: cfg.MONITOR_OUTPUT_DIR,
  fullyParallel: true,
  forbidOnly: true,
  retries: cfg.MONITOR_RETRIES,
  workers: cfg.MONITOR_WORKERS,
  timeout: cfg.MONITOR_TEST_TIMEOUT_MS,
  globalTimeout: cfg.MONITOR_GLOBAL_TIMEOUT_MS,
  reporter: reporters,
  use: {
    ...devices['Desktop Chrome'],
    baseURL,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    actionTimeout: cfg.MONITOR_ACTION_TIMEOUT_MS,
    navigationTimeout: cfg.MONITOR_NAVIGATION_TIMEOUT_MS,
    launchOptions: {
      ...(browser.found ? { executablePath: browser.path } : {}),
      args: chromiumArgs(),
    },
  },
  // The bundled demo app stands in for the platform when no BASE_URL is given.
  webServer: cfg.BASE_URL
    ? undefined
    : {
        command: 'node demo-app/server.ts',
        // 401 without the admin token means "up", whatever faults are switched on.
        url: `${demoURL}/__demo/faults`,
        reuseExistingServer: true,
        timeout: 30_000,
        stdout: 'ignore',
        stderr: 'pipe',
        gracefulShutdown: { signal: 'SIGINT', timeout: 5_000 },
        env: {
          DEMO_HOST: cfg.DEMO_HOST,
          DEMO_PORT: String(cfg.DEMO_PORT),
          DEMO_FAULTS: demoFaults,
          DEMO_VARIANT: demoVariant,
        },
      },
});
