import path from 'node:path';
import { addDashboardRoutes } from '../../dashboard/routes.ts';
import { openDatabase } from '../../db/open.ts';
import { dashboardSchedules } from '../../scheduler/describe-schedule.ts';
import { statusSources, statusWorkflows } from '../../scheduler/status-sources.ts';
import { runDiscovery } from '../../scheduler/daemon-discovery.ts';
import { createHttpServer } from '../../scheduler/http-server.ts';
import { parseCommand } from './args.ts';
import { cliSchedulerConfig } from './scheduler-config.ts';

const help = `
usage: workflow-monitor dashboard

Serves the dashboard alone (the daemon serves it too, on the same address): overview, workflow
pages, failure views with screenshots and traces, notifications and reports, live. Read-only.
Environment: MONITOR_HTTP_HOST (127.0.0.1), MONITOR_HTTP_PORT (9464), DASHBOARD_TOKEN (required
off loopback; Bearer, or Basic with the token as password), DATABASE_URL (embedded when unset).
`;

export default async function dashboard(args: string[]): Promise<number | void> {
  const parsed = parseCommand(args, {}, help);
  if (parsed === null) return 0;
  if (parsed === 'error') return 1;
  const { env, config } = cliSchedulerConfig('dashboard');
  const found = await runDiscovery({ config, env });
  for (const w of found.warnings) process.stderr.write(`dashboard: warning: ${w}\n`);
  const { pool } = await openDatabase(config, { log: (l) => process.stderr.write(`dashboard: ${l}\n`) });
  const server = createHttpServer({ log: (l) => process.stderr.write(`dashboard: ${l}\n`) });
  const startedAt = new Date();
  addDashboardRoutes(server, {
    pool: () => pool,
    schedules: () => dashboardSchedules(found.schedules, config.policy),
    daemon: () => ({ status: 'not running here (dashboard only)', startedAt: startedAt.toISOString() }),
    artifactsDir: path.join(config.stateDir, 'artifacts'),
    token: config.dashboardToken,
    status: statusSources(config.statusPage, config.policy.maintenance, () => statusWorkflows(found.schedules)),
  });
  const address = await server.listen(config.httpPort, config.httpHost);
  process.stdout.write(`dashboard on http://${address.host}:${address.port}/ (Ctrl-C stops it)\n`);
  const stop = () => {
    void server
      .close()
      .then(() => pool.end())
      .finally(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
