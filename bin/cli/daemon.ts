import { runDaemon } from '../../scheduler/run-daemon.ts';
import { parseCommand } from './args.ts';

const help = `
usage: workflow-monitor daemon

Runs the scheduler in the foreground: discovers the workflows (playwright test --list), runs each
on its schedule, housekeeping, and HTTP /healthz and /metrics. SIGTERM/SIGINT stop it cleanly
(exit 0), SIGHUP re-reads the suite. Bad configuration: every problem listed, exit 2.

Environment (defaults): MONITORING_ENABLED (true), MONITORING_INTERVAL_MINUTES (15),
MONITOR_SCHEDULE_<WORKFLOW_ID> (cron override), MONITOR_CONCURRENCY (2),
MONITOR_RUN_TIMEOUT_SECONDS (1020), MONITOR_HTTP_HOST (127.0.0.1), MONITOR_HTTP_PORT (9464),
HEARTBEAT_URL, DATABASE_URL (embedded PostgreSQL when unset). See scheduler/README.md.
`;

export default async function daemon(args: string[]): Promise<number | void> {
  const parsed = parseCommand(args, {}, help);
  if (parsed === null) return 0;
  if (parsed === 'error') return 1;
  await runDaemon();
}
