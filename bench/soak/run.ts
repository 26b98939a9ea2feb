// Soak bench (not in npm test): the real daemon on a 10-second schedule for --minutes (30 by
// default) against the demo app, its own PostgreSQL and a webhook sink, with a fault every
// --fault-every minutes, in turn: DB stop, DB hang (SIGSTOP), webhook hang, target down, daemon
// SIGKILL mid-run and restart. Prints slots due, executions stored/spooled, lost, duplicated, slots
// recorded missed (per slot: one execution or one missed record), alerts expected vs sent, the
// daemon's RSS and the load average at start and end, and how soon after each restart the slot
// the killed daemon left running was re-run.
//
//   node bench/soak/run.ts --minutes 30 --fault-every 3 --hold 60
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { chmod } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { createDbPool } from '../../db/pool.ts';
import { quickDaemon, startDaemonProcess, tempDir, type DaemonProcess } from '../../test/helpers/daemon-harness.ts';
import { freePort } from '../../test/helpers/net.ts';
import { startOwnPostgres } from '../../test/faults/own-postgres.ts';
import { startHttpSink } from '../../test/sinks/http-sink.ts';
import { faultKinds, inject, startDemo, type FaultWindow, type Rig } from './faults.ts';
import { resumeTimings, startedRuns, tally } from './tally.ts';

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '30' },
    'fault-every': { type: 'string', default: '3' },
    hold: { type: 'string', default: '60' },
    workflow: { type: 'string', default: 'health-check' },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  process.stdout.write(
    'node bench/soak/run.ts [--minutes 30] [--fault-every 3 (minutes between faults)] [--hold 60 (seconds each fault lasts)] [--workflow health-check]\n' +
      `faults, in turn: ${faultKinds.join(', ')}\n`,
  );
  process.exit(0);
}
const minutes = Number(values.minutes);
const faultEveryMs = Number(values['fault-every']) * 60_000;
const holdMs = Number(values.hold) * 1000;
const workflowId = values.workflow!;
if (!(minutes > 0) || !(faultEveryMs > 0) || !(holdMs > 0)) {
  process.stderr.write('bench/soak: --minutes, --fault-every and --hold must be positive numbers\n');
  process.exit(2);
}
const slotMs = 10_000;
const t0 = Date.now();
const log = (line: string) => process.stdout.write(`[soak +${Math.round((Date.now() - t0) / 1000)}s] ${line}\n`);

const rssMb = (pid: number): number | null => {
  try {
    const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Math.round(Number(kb) / 1024) : null;
  } catch {
    return null;
  }
};

const pg = await startOwnPostgres();
const sink = await startHttpSink();
const state = await tempDir('wm-soak-');
await chmod(state.dir, 0o755);
const demoPort = await freePort();
const lines: { at: Date; text: string }[] = [];
const never = '0 0 1 1 *';
const schedules = Object.fromEntries(
  ['health-check', 'product-listing', 'user-login', 'user-registration', 'farm-creation', 'order-placement'].map(
    (id) => [`MONITOR_SCHEDULE_${id.toUpperCase().replace(/-/g, '_')}`, id === workflowId ? '*/10 * * * * *' : never],
  ),
);
const env = {
  DATABASE_URL: pg.url,
  MONITOR_STATE_DIR: state.dir,
  BASE_URL: `http://127.0.0.1:${demoPort}`,
  CI: '',
  MONITOR_ALLOW_SECOND_CRON: 'true',
  ...schedules,
  ...quickDaemon,
  MONITOR_RUN_TIMEOUT_SECONDS: '90',
  MONITOR_DRAIN_TIMEOUT_MS: '10000',
  ALERT_WEBHOOK_URL: sink.urlFor('/hook'),
  ALERT_ROUTES: 'critical=webhook',
  ALERT_POLICY: JSON.stringify({ storm: { holdSeconds: 0 } }),
  NOTIFY_REQUEST_TIMEOUT_MS: '5000',
  NOTIFY_DELIVERY_TIMEOUT_MS: '15000',
};

let daemon: DaemonProcess | null = null;
const restarts: { spawnAt: Date; readyAt: Date }[] = [];
let seen = 0;
const collect = () => {
  if (!daemon) return;
  for (; seen < daemon.lines.length; seen++) lines.push({ at: new Date(), text: daemon.lines[seen]! });
};
const collector = setInterval(collect, 200);
const rig: Rig = {
  pg,
  sink,
  demoPort,
  demo: null,
  log,
  async killDaemon() {
    collect();
    // In the middle of a run (within 20 s), so the restart has a slot to resume: item 3's figure.
    const before = daemon?.lines.filter((l) => /run \S+ started \(pid/.test(l)).length ?? 0;
    await daemon?.waitFor(/run \S+ started \(pid/, 20_000, before + 1).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 1_000));
    collect();
    daemon?.signal('SIGKILL');
    await daemon?.exited;
  },
  async startDaemon() {
    // The old daemon's lines are all read first; the new one is read from its first line on.
    collect();
    daemon = null;
    const spawnAt = new Date();
    const next = await startDaemonProcess(env);
    restarts.push({ spawnAt, readyAt: new Date() });
    seen = 0;
    daemon = next;
    collect();
    log(`daemon pid ${next.pid} ready`);
  },
};

await startDemo(rig);
await rig.startDaemon();
const from = new Date();
const rssStart = rssMb(daemon!.pid);
const loadStart = loadavg();
const faults: FaultWindow[] = [];
const end = t0 + minutes * 60_000;
for (let i = 0; Date.now() + faultEveryMs < end; i++) {
  await new Promise((r) => setTimeout(r, faultEveryMs - holdMs));
  faults.push(await inject(rig, faultKinds[i % faultKinds.length]!, holdMs));
}
await new Promise((r) => setTimeout(r, Math.max(0, end - Date.now())));
const to = new Date();
const rssEnd = rssMb(daemon!.pid);
const loadEnd = loadavg();
collect();
// Let the last run finish and the outbox replay (the daemon replays at start and every 5 min).
log('stopping: SIGTERM, then waiting for the daemon');
daemon!.signal('SIGTERM');
await Promise.race([daemon!.exited, new Promise((r) => setTimeout(r, 120_000))]);
collect();
clearInterval(collector);

const pool = await createDbPool(pg.url);
const f = await tally({
  pool,
  stateDir: state.dir,
  workflowId,
  from,
  to,
  slotMs,
  started: startedRuns(lines, slotMs),
  faults,
  sink: sink.requests,
});
await pool.end();
const resumes = resumeTimings(lines, restarts.slice(1));
const load = (l: number[]) => l.map((x) => x.toFixed(2)).join(' ');
const out = [
  `soak: ${minutes} min, ${workflowId} every 10 s, a fault every ${values['fault-every']} min held ${values.hold} s: ${faults.map((x) => x.kind).join(', ')}`,
  `slots due ${f.slotsDue}; runs started ${f.runsStarted}; executions stored ${f.executionsStored}; spooled (not yet replayed) ${f.spooled}`,
  `runs started with no row nor outbox line ${f.lost} (a run killed with its daemon leaves none; the slot ledger below says whether its slot was lost); duplicated slots ${f.duplicatedSlots}; slots without an execution ${f.slotsWithoutExecution} ${JSON.stringify(f.slotsDuringFaults)}`,
  `alerts expected ${f.alertsExpected} (failure/recovery from the stored outcomes); sent ${f.alertsSent}; logged unsent ${f.alertsLoggedUnsent}; notification_logs rows ${f.logRows}`,
  `slots recorded missed ${f.slots.missed}; slots with neither an execution nor a missed record ${f.slots.lost.length}; slots with two records ${f.slots.duplicated.length}; executions of no slot ${f.slots.strays.length}; out of order ${f.slots.outOfOrder.length}`,
  `daemon RSS start ${rssStart ?? '?'} MB, end ${rssEnd ?? '?'} MB; load average (1/5/15 min) start ${load(loadStart)}, end ${load(loadEnd)}`,
  `re-runs after a daemon restart (tick ${env.MONITOR_TICK_SECONDS} s): ${resumes.length ? resumes.join('; ') : 'no restart left a slot to resume'}`,
];
for (const line of f.details) process.stdout.write(`  ${line}\n`);
for (const line of out) process.stdout.write(`${line}\n`);
await daemon!.destroy();
await rig.demo?.close();
await sink.close();
await pg.destroy();
await state.remove();
process.exit(0);
