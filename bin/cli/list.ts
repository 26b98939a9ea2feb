import { getLatestExecutions } from '../../db/tables/execution-queries.ts';
import { runDiscovery } from '../../scheduler/daemon-discovery.ts';
import { brokenLines } from '../../scheduler/discover.ts';
import { scheduleRows } from '../../scheduler/describe-schedule.ts';
import { assessCapacity, slotMs } from '../../scheduler/capacity.ts';
import { liveDaemons, recentDurations, type LiveDaemons } from '../../db/tables/scheduler-capacity.ts';
import { listLocations, type LocationRow } from '../../db/tables/locations.ts';
import { locationView } from '../../scheduler/location-watch.ts';
import { parseCommand } from './args.ts';
import { cliSchedulerConfig } from './scheduler-config.ts';
import { withCliDatabase } from './database.ts';
import { printRows } from './output.ts';

const help = `
usage: workflow-monitor list [--json] [--no-db]

Every workflow the daemon would schedule: id, priority, schedule in words (with the
MONITOR_SCHEDULE_<ID> overrides applied), next run, the latest recorded status, the recent
duration (median of the last 10 attempts) and whether it fits its slot, and the locations it runs
from (MONITOR_LOCATIONS_<ID> or the spec's; "all": every location); then one capacity line: due
work over what the live daemons can run (workers x concurrency each; with no daemon alive, one
daemon with this configuration), a warning when a schedule cannot be met, and one line per
location of the runner registry (live daemons, when it was last seen, offline or not).
  --json    machine-readable output
  --no-db   do not read last statuses from the database
`;

export default async function list(args: string[]): Promise<number> {
  const parsed = parseCommand(args, { json: { type: 'boolean' }, 'no-db': { type: 'boolean' } }, help);
  if (parsed === null) return 0;
  if (parsed === 'error') return 1;
  const { env, config } = cliSchedulerConfig('workflow-monitor list');
  const d = await runDiscovery({ config, env });
  for (const p of d.problems) process.stderr.write(`workflow-monitor list: ${p}\n`);
  for (const b of brokenLines(d.broken)) process.stderr.write(`workflow-monitor list: ${b}\n`);
  let latest = new Map<string, { status: string; startedAt: Date }>();
  let durations = new Map<string, number>();
  let live: LiveDaemons = { daemons: 0, slots: 0 };
  let locations: LocationRow[] = [];
  if (!parsed.values['no-db']) {
    try {
      await withCliDatabase(async (pool) => {
        latest = new Map((await getLatestExecutions(pool)).map((e) => [e.workflowId, e]));
        durations = await recentDurations(
          pool,
          d.schedules.map((s) => s.workflowId),
        );
        live = await liveDaemons(pool, 5 * 60_000);
        locations = await listLocations(pool, 5 * 60_000);
      });
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
    locations: d.schedules.find((s) => s.workflowId === r.id)?.locations?.join(',') ?? 'all',
    nextRun: r.nextRun,
    lastStatus: latest.get(r.id)?.status ?? null,
    lastRun: latest.get(r.id)?.startedAt.toISOString() ?? null,
    recentDurationS: durations.has(r.id) ? Math.round(durations.get(r.id)! / 100) / 10 : null,
    fitsSlot: durations.has(r.id) ? durations.get(r.id)! <= slotMs(r.cron, config.timezone) : null,
  }));
  printRows(rows, parsed.values.json ?? false);
  const own = config.workers * config.concurrency;
  const c = assessCapacity({
    schedules: d.schedules,
    durations,
    slots: live.daemons ? live.slots : own,
    daemons: Math.max(1, live.daemons),
    timezone: config.timezone,
  });
  const line =
    `capacity: due work ${c.ratio.toFixed(2)}x what ${live.daemons ? `${live.daemons} live daemon(s)` : 'one daemon with this configuration'} ` +
    `can run (${c.slots} worker(s) in parallel; ${c.known} of ${d.schedules.length} workflow(s) with a recorded duration)` +
    (c.warning ? `\nWARNING: ${c.warning}` : '') +
    locations
      .map((r) => locationView(r))
      .map(
        (l) =>
          `\nlocation ${l.location}: ${l.offline ? `OFFLINE since ${l.offlineSince}` : 'online'}, ${l.daemons} live daemon(s), last seen ${l.lastSeenAt} (${l.lastSeenAgeSeconds} s ago) on ${l.host ?? '?'}, version ${l.version ?? '?'}`,
      )
      .join('');
  // Beside the JSON (stdout stays one document), after the table otherwise.
  (parsed.values.json ? process.stderr : process.stdout).write(`${line}\n`);
  return d.problems.length || d.broken.length ? 2 : 0;
}
