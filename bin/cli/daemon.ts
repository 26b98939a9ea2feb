import { readDemoConfig, type DemoConfigResult } from '../../demo-app/config.ts';
import { checkDaemonConfig, runDaemon } from '../../scheduler/run-daemon.ts';
import { parseCommand } from './args.ts';
import { processEnv } from '../../config/env.ts';

const help = `
usage: workflow-monitor daemon

Runs the scheduler in the foreground: discovers the workflows (playwright test --list), runs each
on its schedule, housekeeping, and HTTP /healthz and /metrics. SIGTERM/SIGINT stop it cleanly
(exit 0), SIGHUP re-reads the suite. Bad configuration: every problem listed, exit 2.

Environment (defaults): MONITORING_ENABLED (true), MONITORING_INTERVAL_MINUTES (15),
MONITOR_SCHEDULE_<WORKFLOW_ID> (cron override), MONITOR_CONCURRENCY (2),
MONITOR_RUN_TIMEOUT_SECONDS (1020), MONITOR_HTTP_HOST (127.0.0.1), MONITOR_HTTP_PORT (9464),
HEARTBEAT_URL, DATABASE_URL (embedded PostgreSQL when unset), MONITOR_RUN_ON_START (false; npm start
sets true). Without BASE_URL the daemon hosts the demo app (DEMO_HOST, DEMO_PORT, DEMO_FAULTS, DEMO_VARIANT) for
every run. See scheduler/README.md.
`;

/**
 * Without BASE_URL the daemon hosts the demo app itself, for its whole life: every run uses the
 * same server (faults set at run time stay set), and a run ending cannot take the server away
 * from another one still going, as one webServer per `playwright test` would.
 */
async function hostDemoApp(env: NodeJS.ProcessEnv, demo: DemoConfigResult | null): Promise<number | null> {
  if (!demo) return null;
  if (!demo.ok) {
    for (const p of demo.problems) process.stderr.write(`workflow-monitor daemon: configuration error: ${p}\n`);
    return 2;
  }
  const { host, port, faults, adminToken, log, variant } = demo.config;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  // Loaded only when the daemon hosts it (BASE_URL unset).
  const [{ startDemoApp }, { formatFault }] = await Promise.all([
    import('../../demo-app/app.ts'),
    import('../../demo-app/faults.ts'),
  ]);
  try {
    const app = await startDemoApp({ host, port, faults, adminToken, log, variant });
    env.BASE_URL = app.url;
    process.stdout.write(
      `[scheduler] BASE_URL unset: hosting the demo app on ${app.url} (faults: ${faults.map(formatFault).join(',') || 'none'}${variant === 'alternate' ? ', face: alternate' : ''})\n`,
    );
  } catch (error) {
    // Like Playwright's reuseExistingServer: a demo app already listening there is used as is.
    const up = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(3_000) }).then(
      (r) => r.ok || r.status === 503,
      () => false,
    );
    if (!up) {
      process.stderr.write(
        `workflow-monitor daemon: the demo app could not listen on ${host}:${port} (DEMO_HOST/DEMO_PORT): ${(error as Error).message}\n`,
      );
      return 1;
    }
    env.BASE_URL = url;
    process.stdout.write(`[scheduler] BASE_URL unset: using the demo app already on ${url}\n`);
  }
  return null;
}

export default async function daemon(args: string[]): Promise<number | void> {
  const parsed = parseCommand(args, {}, help);
  if (parsed === null) return 0;
  if (parsed === 'error') return 1;
  // Every problem (the demo app's included) before anything starts: no demo app for a daemon that cannot run.
  const env = processEnv();
  const demo = env.BASE_URL?.trim() ? null : readDemoConfig(env);
  const config = await checkDaemonConfig(env, demo && !demo.ok ? demo.problems : []);
  const failed = await hostDemoApp(env, demo);
  if (failed !== null) return failed;
  await runDaemon(env, config);
}
