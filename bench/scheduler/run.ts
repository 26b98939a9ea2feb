// npm run bench:scheduler: 1,000 synthetic workflows on 5-minute schedules (a trivial spec each).
// Measures the real daemon (discovery, pg-boss, spawning) on a compressed clock: every
// "*/5 * * * *" is overridden to "*/BENCH_SLOT_SECONDS" seconds (test-only second-level cron),
// which changes how long the bench takes, not what one slot costs. Prints daemon RSS,
// tick-to-spawn latency p95, and invocations per hour with coalescing vs one per workflow; the
// monitor reporter records every run (a run counted as a pipeline failure fails the bench).
// First, the timekeeper's tick cost at 1,000 and 10,000 schedules against the previous algorithm
// (tick-cost.ts; BENCH_TICK_COUNTS, BENCH_TICK_MINUTES; BENCH_DAEMON=0 for the tick cost only).
// Every table is followed by the machine's load average.
import { readFileSync } from 'node:fs';
import { tickCost } from './tick-cost.ts';
import { coalesce } from '../../scheduler/coalesce.ts';
import { dueSlots } from '../../scheduler/due-slots.ts';
import { overrideVariable } from '../../config/schedule-overrides.ts';
import type { ResolvedSchedule } from '../../scheduler/schedules.ts';
import { daemonTestEnv, startDaemonProcess, tempDir } from '../../test/helpers/daemon-harness.ts';
import { idleSuite } from '../suite.ts';
import { chmod } from 'node:fs/promises';
import { ensureDatabaseUrl, stopEmbedded } from '../../db/embedded/server.ts';
import { migrate } from '../../db/migrate.ts';
import { loadAverage } from '../timing.ts';

const count = Number(process.env.BENCH_WORKFLOWS ?? 1000);
const slotSeconds = Number(process.env.BENCH_SLOT_SECONDS ?? 30);
const slotsToMeasure = Number(process.env.BENCH_SLOTS ?? 3);
await tickCost(
  (process.env.BENCH_TICK_COUNTS ?? '1000,10000').split(',').map(Number),
  Number(process.env.BENCH_TICK_MINUTES ?? 30),
);
if (process.env.BENCH_DAEMON === '0') process.exit(0);

const ids = Array.from({ length: count }, (_, i) => `bench-${String(i).padStart(4, '0')}`);

// Invocations per hour, by the daemon's own arithmetic over one real hour.
const schedules: ResolvedSchedule[] = ids.map((id) => ({
  workflowId: id,
  title: id,
  priority: 'low',
  tags: [],
  cron: '*/5 * * * *',
  source: 'spec',
}));
const hourStart = new Date('2025-01-01T00:00:00Z');
let coalescedPerHour = 0;
let perWorkflowPerHour = 0;
for (let m = 0; m < 60; m++) {
  const from = new Date(hourStart.getTime() + m * 60_000 - 1);
  const slots = dueSlots(schedules, from, new Date(from.getTime() + 60_000 - 1), 'UTC');
  perWorkflowPerHour += slots.length;
  coalescedPerHour += coalesce(slots).length;
}

const rss = (pid: number) => {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
  } catch {
    return 0;
  }
};

// Its own embedded PostgreSQL in a temporary folder (or BENCH_DATABASE_URL), stopped afterwards.
const pgState = await tempDir('wm-bench-pg-');
await chmod(pgState.dir, 0o755);
const url = await ensureDatabaseUrl({
  stateDir: pgState.dir,
  databaseUrl: process.env.BENCH_DATABASE_URL ?? null,
  log: () => undefined,
});
await migrate(url);
const specs = await idleSuite(ids);
const state = await tempDir('wm-bench-sched-');
const overrides = Object.fromEntries(ids.map((id) => [overrideVariable(id), `*/${slotSeconds} * * * * *`]));
const started = Date.now();
const daemon = await startDaemonProcess({
  ...daemonTestEnv({ databaseUrl: url, stateDir: state.dir, workflowsDir: specs.dir }, { secondCron: true }),
  // The reporter on: every run records its executions (a run that records nothing is a pipeline failure).
  MONITOR_REPORTER: '',
  MONITOR_WORKERS: '2',
  MONITOR_CATCH_UP_SECONDS: '0',
  MONITOR_CONCURRENCY: '2',
  ...overrides,
});
const discoveryMs = Date.now() - started;
let maxRss = rss(daemon.pid);
const sampler = setInterval(() => {
  maxRss = Math.max(maxRss, rss(daemon.pid));
}, 500);
try {
  await daemon.waitFor(/run \S+ ended/, (slotsToMeasure + 2) * slotSeconds * 1000 + 180_000, slotsToMeasure);
} finally {
  clearInterval(sampler);
  daemon.signal('SIGINT');
  await Promise.race([daemon.exited, new Promise((r) => setTimeout(r, 120_000))]);
  await daemon.destroy();
  await specs.remove();
  await state.remove();
  await stopEmbedded({ stateDir: pgState.dir }).catch(() => undefined);
  await pgState.remove();
}
const starts = daemon.lines.filter((l) => /run \S+ started/.test(l));
const lags = starts
  .map((l) => Number(/lag (\d+) ms/.exec(l)?.[1] ?? NaN))
  .filter(Number.isFinite)
  .sort((a, b) => a - b);
const ended = daemon.lines.filter((l) => /run \S+ ended/.test(l));
const failures = ended.filter((l) => /PIPELINE FAILURE/.test(l));
const recorded = ended.reduce((n, l) => n + Number(/executions: (\d+) recorded/.exec(l)?.[1] ?? 0), 0);
const sizes = starts.map((l) => Number(/(\d+) workflow\(s\)/.exec(l)?.[1] ?? 0));
const p95 = lags[Math.min(lags.length - 1, Math.ceil(0.95 * lags.length) - 1)] ?? NaN;
console.table([
  {
    workflows: count,
    'discovery+start (s)': Math.round(discoveryMs / 100) / 10,
    'daemon max RSS (MB)': Math.round(maxRss),
    'invocations measured': starts.length,
    'workflows per invocation': sizes.join('/'),
    'tick-to-spawn p95 (ms)': p95,
    'tick-to-spawn all (ms)': lags.join('/'),
    'runs ended': ended.length,
    'executions recorded': recorded,
    'pipeline failures': failures.length,
  },
]);
console.table([
  {
    'invocations/hour coalesced': coalescedPerHour,
    'invocations/hour one per workflow': perWorkflowPerHour,
    ratio: `${Math.round(perWorkflowPerHour / coalescedPerHour)}x fewer`,
  },
]);
console.log(`load average (1/5/15 min): ${loadAverage()}`);
if (failures.length) {
  console.error(`${failures.length} run(s) counted as pipeline failures:\n${failures.join('\n')}`);
  process.exitCode = 1;
}
