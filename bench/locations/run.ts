// Issue 16 at scale, by simulation: 10 locations x 1,000 workflows on 5-minute schedules, driven
// through pg-boss, the slot claims, the execution insert and the alert policy's transaction as the
// daemons and their reporters do (simulate.ts; no browser: the results are made up). Per slot,
// phase by phase, every location's daemon at once; then the same number of jobs as ONE location
// (`local`, 10,000 workflows shared by as many daemons), the baseline: same jobs, same
// parallelism, but no workflow shared between locations (no quorum over shared rows).
// Prints jobs per second through pg-boss, policy decisions per second, the rows (and bytes) per
// hour that 10 x 1,000 at 5 minutes writes, counted back from the tables, and the headroom:
// measured capacity against the 33 jobs/s that 10 x 1,000 every 5 minutes needs.
//   node bench/locations/run.ts [--locations 10] [--workflows 1000] [--slots 4] [--steps 4]
//     [--local-fail 2] [--outage-fail 1] [--baseline true]
// On DATABASE_URL's server (a database of its own, dropped afterwards), else an embedded one.
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { sql } from 'slonik';
import { z } from 'zod';
import { migrate } from '../../db/migrate.ts';
import { createDbPool, type DatabasePool } from '../../db/pool.ts';
import { createPolicyEngine } from '../../notifiers/policy/engine.ts';
import { loadSchedulerConfig } from '../../scheduler/config.ts';
import { dueQueueFor, startQueue } from '../../scheduler/queue.ts';
import { benchDatabase } from '../database.ts';
import { phases, simulateSlot, type Lane, type PhaseMs } from './simulate.ts';
import { loadAverage } from '../timing.ts';

const { values: args } = parseArgs({
  options: {
    locations: { type: 'string', default: '10' },
    workflows: { type: 'string', default: '1000' },
    slots: { type: 'string', default: '4' },
    steps: { type: 'string', default: '4' },
    'local-fail': { type: 'string', default: '2' },
    'outage-fail': { type: 'string', default: '1' },
    baseline: { type: 'string', default: 'true' },
  },
});
const L = Number(args.locations);
const W = Number(args.workflows);
const slots = Number(args.slots);
const slotMinutes = 5;
const round = (x: number) => (x >= 100 ? Math.round(x) : Math.round(x * 10) / 10);
const fmt = (x: number) => Math.round(x).toLocaleString('en-US');

const count = z.object({ n: z.coerce.number() });
const tables = [
  'workflow_executions',
  'workflow_steps',
  'workflow_metrics',
  'alert_observations',
  'alert_events',
  'scheduler_slot_runs',
  'monitor_runs',
] as const;

async function rowCounts(pool: DatabasePool): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of tables)
    out[t] = await pool.oneFirst(sql.type(count)`SELECT count(*) AS n FROM ${sql.identifier([t])}`);
  out['pgboss.job'] = await pool.oneFirst(
    sql.type(count)`SELECT count(*) AS n FROM pgboss.job WHERE name LIKE 'wm-due%'`,
  );
  // alert_observations is pruned to a bounded history per workflow: count what was written.
  out['alert_observations (written)'] = await pool.oneFirst(
    sql.type(count)`SELECT coalesce(max(seq), 0) AS n FROM alert_observations`,
  );
  return out;
}

type ModeResult = {
  name: string;
  jobs: number;
  ms: PhaseMs;
  decisions: number;
  alerts: number;
  rows: Record<string, number>;
  bytes: number;
};

async function runMode(name: string, lanes: Lane[]): Promise<ModeResult> {
  const db = await benchDatabase(`bench_locations_${Date.now()}`, 'wm-bench-locations-');
  const pool = await createDbPool(db.url, { maxPoolSize: lanes.length + 2 });
  try {
    await migrate(db.url);
    const c = loadSchedulerConfig({ DATABASE_URL: db.url, MONITOR_HOUSEKEEPING: 'false' });
    // One pg-boss for all the simulated daemons (their connections would only crowd the server);
    // each location's queue made as startQueue makes it, the first by startQueue itself.
    const first = lanes[0]!.location;
    const boss = await startQueue({ ...c, location: first }, db.url, () => undefined);
    for (const l of new Set(lanes.map((x) => x.location)))
      if (l !== first) await boss.createQueue(dueQueueFor(l), { policy: 'stately' });
    const engine = createPolicyEngine(c.policy);
    const o = {
      pool,
      boss,
      engine,
      steps: Number(args.steps),
      localFailPercent: Number(args['local-fail']),
      outageFailPercent: Number(args['outage-fail']),
    };
    const sizeOf = () => pool.oneFirst(sql.type(count)`SELECT pg_database_size(current_database()) AS n`);
    const bytes0 = await sizeOf();
    const ms = Object.fromEntries(phases.map((p) => [p, 0])) as PhaseMs;
    const start = Math.floor(Date.now() / (slotMinutes * 60_000)) * slotMinutes * 60_000 - slots * slotMinutes * 60_000;
    let decisions = 0;
    let alerts = 0;
    const jobs = lanes.reduce((n, l) => n + l.workflowIds.length, 0);
    console.log(`${name}: ${lanes.length} lane(s), ${fmt(jobs)} jobs a slot, ${slots} slot(s); load ${loadAverage()}`);
    for (let s = 0; s < slots; s++) {
      const before = { ...ms };
      const out = await simulateSlot(o, lanes, new Date(start + s * slotMinutes * 60_000), s, ms);
      decisions += out.decisions;
      alerts += out.alerts;
      const took = phases.map((p) => `${p} ${fmt(ms[p] - before[p])}`).join(', ');
      console.log(
        `  slot ${s + 1}/${slots}: ${took} ms; ${out.decisions} decisions, ${out.alerts} alerts due; load ${loadAverage()}`,
      );
    }
    const rows = await rowCounts(pool);
    const bytes = (await sizeOf()) - bytes0;
    await boss.stop({ graceful: false, close: true });
    return { name, jobs: jobs * slots, ms, decisions, alerts, rows, bytes };
  } finally {
    await pool.end();
    await db.drop();
  }
}

const ids = (from: number, n: number) => Array.from({ length: n }, (_, i) => `wf-${from + i}`);
const locationNames = Array.from({ length: L }, (_, i) => `loc-${String(i).padStart(2, '0')}`);
const started = loadavg();
const main = await runMode(
  `${L} locations x ${fmt(W)} workflows`,
  locationNames.map((location) => ({ location, workflowIds: ids(0, W) })),
);
const base =
  args.baseline === 'true'
    ? await runMode(
        `baseline: 1 location x ${fmt(L * W)} workflows, ${L} daemons`,
        locationNames.map((_, i) => ({ location: 'local', workflowIds: ids(i * W, W) })),
      )
    : null;

const perSecond = (n: number, ms: number) => (n * 1000) / ms;
const boss = (r: ModeResult) => r.ms.enqueue + r.ms.fetch + r.ms.done;
const total = (r: ModeResult) => phases.reduce((n, p) => n + r.ms[p], 0);
const neededPerSecond = (L * W) / (slotMinutes * 60);
console.log(`\nFigures (2 CPUs shared; load average before ${loadAverage(started)}, now ${loadAverage()}):`);
for (const r of [main, base].filter((x): x is ModeResult => x !== null)) {
  console.log(
    `${r.name}: ${fmt(r.jobs)} jobs, ${fmt(r.decisions)} policy decisions, ${r.alerts} alerts due at once (held ones wait in alert_events)`,
  );
  console.log(
    `  pg-boss (file + fetch + complete, with the runs' bookkeeping in "done"): ${fmt(perSecond(r.jobs, boss(r)))} jobs/s; ` +
      `file ${fmt(perSecond(r.jobs, r.ms.enqueue))}/s, fetch ${fmt(perSecond(r.jobs, r.ms.fetch))}/s`,
  );
  console.log(
    `  slot claims ${fmt(perSecond(r.jobs, r.ms.claim))}/s, executions stored ${fmt(perSecond(r.jobs, r.ms.record))}/s, ` +
      `policy decisions ${fmt(perSecond(r.decisions, r.ms.policy))}/s`,
  );
  console.log(
    `  end to end ${fmt(perSecond(r.jobs, total(r)))} jobs/s = ${round(perSecond(r.jobs, total(r)) / neededPerSecond)} x the ` +
      `${round(neededPerSecond)} jobs/s that ${L} x ${fmt(W)} every ${slotMinutes} min needs: this PostgreSQL carries ` +
      `about ${fmt(perSecond(r.jobs, total(r)) * slotMinutes * 60)} (workflow, location) pairs on ${slotMinutes}-minute schedules`,
  );
}
if (base) {
  const ratio = (a: number, b: number) => (a / b).toFixed(2);
  console.log(
    `ratio ${L} locations / baseline, time per job: pg-boss ${ratio(boss(main), boss(base))}, claims ${ratio(main.ms.claim, base.ms.claim)}, ` +
      `executions ${ratio(main.ms.record, base.ms.record)}, policy ${ratio(main.ms.policy / main.decisions, base.ms.policy / base.decisions)}, ` +
      `end to end ${ratio(total(main), total(base))}`,
  );
}
const perHour = (n: number) => (n / slots) * (60 / slotMinutes);
console.log(
  `\nRows per hour that ${L} x ${fmt(W)} on ${slotMinutes}-minute schedules writes (counted back, ${slots} slots):`,
);
for (const [t, n] of Object.entries(main.rows)) console.log(`  ${t.padEnd(30)} ${fmt(perHour(n)).padStart(12)}`);
const mbPerHour = perHour(main.bytes) / 1e6;
console.log(
  `  database growth ${fmt(mbPerHour)} MB/hour, ${round((mbPerHour * 24) / 1000)} GB/day before retention ` +
    `(pg-boss keeps completed jobs 3 days: ${fmt(perHour(main.rows['pgboss.job']!) * 72)} rows)`,
);
