import { getLatestExecutions } from '../../db/tables/execution-queries.ts';
import { exitOnConfigError } from '../../config/parse-env.ts';
import { loadSchedulerConfig } from '../../scheduler/config.ts';
import { runDiscovery } from '../../scheduler/daemon-discovery.ts';
import { brokenLines } from '../../scheduler/discover.ts';
import { scheduleRows } from '../../scheduler/describe-schedule.ts';
import { parseCommand } from './args.ts';
import { withCliDatabase } from './database.ts';
import { printRows } from './output.ts';
import { processEnv } from '../../config/env.ts';

const help = `
usage: workflow-monitor list [--json] [--no-db]

Every workflow the daemon would schedule: id, priority, schedule in words (with the
MONITOR_SCHEDULE_<ID> overrides applied), next run, and the latest recorded status.
  --json    machine-readable output
  --no-db   do not read last statuses from the database
`;

export default async function list(args: string[]): Promise<number> {
  const parsed = parseCommand(args, { json: { type: 'boolean' }, 'no-db': { type: 'boolean' } }, help);
  if (parsed === null) return 0;
  if (parsed === 'error') return 1;
  const env = processEnv();
  let config;
  try {
    config = loadSchedulerConfig(env);
  } catch (error) {
    exitOnConfigError(error, 'workflow-monitor list');
  }
  const d = await runDiscovery({ config, env });
  for (const p of d.problems) process.stderr.write(`workflow-monitor list: ${p}\n`);
  for (const b of brokenLines(d.broken)) process.stderr.write(`workflow-monitor list: ${b}\n`);
  let latest = new Map<string, { status: string; startedAt: Date }>();
  if (!parsed.values['no-db']) {
    try {
      latest = new Map((await withCliDatabase(getLatestExecutions)).map((e) => [e.workflowId, e]));
    } catch (error) {
      process.stderr.write(`workflow-monitor list: no last statuses (database: ${(error as Error).message})\n`);
    }
  }
  const rows = scheduleRows(d.schedules, new Date(), config.timezone).map((r) => ({
    id: r.id,
    priority: r.priority,
    schedule: r.schedule,
    cron: r.cron,
    source: r.source,
    nextRun: r.nextRun,
    lastStatus: latest.get(r.id)?.status ?? null,
    lastRun: latest.get(r.id)?.startedAt.toISOString() ?? null,
  }));
  printRows(rows, parsed.values.json ?? false);
  return d.problems.length || d.broken.length ? 2 : 0;
}
