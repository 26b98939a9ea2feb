// `npm run test:unit`: every *.test.ts of the tree through node:test, one process per file, with
// test/global-setup.ts (one PostgreSQL and one migrated template for all files).
// - At most --concurrency (3) files that work run at once: each takes a CPU slot as it starts
//   (test/helpers/cpu-slot.ts, preloaded). Files that mostly wait (`mostlyWaiting`: real
//   schedules, outages, timeouts; measured under 0.25 CPU-s per second of wall) run beside them
//   in slots of their own, at most --waiting (5) at once; on 2 CPUs three working files is what
//   the machine takes (six at once, or six plus the waiting ones, drove the load to 16-30 and
//   failed timing-bound daemon tests; all twelve waiting ones at once, to 27).
// - The quick files (the ones off `slowestFirst`, a few seconds each) take slots of a third pool,
//   at most --quick (3) at once: they start last, and three at a time left half the CPUs idle.
// - Of those, at most --heavy (3) real Playwright suites with Chromium run at once, machine-wide
//   (test/helpers/heavy-slots.ts).
// - The slowest files start first, so that the short ones fill the gaps instead of the long ones
//   making a tail; a file missing from that list still runs (after them, in name order).
//
// - A file starts only while the machine is not overloaded (test/helpers/load-gate.ts: at most
//   --load-per-cpu (4) runnable tasks per CPU, one start every 2 s at most; a file that waited
//   60 s starts anyway), so that the first minutes do not pile every file on at once. The 2 s
//   apply only while the file started last still runs (one that has ended needs no time for the
//   samples to see it); the end's tail itself was the quick files' three slots, not the spacing.
//
//   node test/run.ts [--concurrency N] [--quick N] [--heavy N] [--waiting N] [--load-per-cpu N] [--durations <file>]
//                    [--cpu-log <file>] [files...]
//
// `--durations` also writes one line per file with its wall time, slowest first
// (test/helpers/file-durations.ts). `--cpu-log` has every Node process of the run log its CPU
// (test/helpers/cpu-log.mjs) and prints where it went, by kind of process. Exit 1 when a test
// fails. The last lines say how busy the slots, the machine and its CPUs were.
import { globSync } from 'node:fs';
import { createWriteStream } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { run } from 'node:test';
import { spec } from 'node:test/reporters';
import fileDurations from './helpers/file-durations.ts';
import { startSlotServer } from './helpers/heavy-slots.ts';
import { startLoadGate } from './helpers/load-gate.ts';
import { cpuJiffies, cpuTable } from './helpers/cpu-table.ts';
import { availableParallelism } from 'node:os';

const root = path.resolve(import.meta.dirname, '..');

/**
 * The order files start in: the longest first (their tests' wall time, the most of three runs of
 * node test/run.ts --durations on main of 2026-12-04), so that short ones fill the gaps instead of
 * long ones making a tail. A file missing from this list still runs, after them, in name order;
 * every file that mostly waits is on it, so that each starts in the first minute (a 36-s waiting
 * file left to the end was the run's last 35 s).
 */
const slowestFirst = [
  'scheduler/daemon-locations.test.ts', // 312 s
  'scheduler/daemon-failures.test.ts', // 302 s
  'test/faults/db-outage-slots.test.ts', // 181 s
  'test/workflows-e2e.test.ts', // 179 s with 6 runs; 4 since 2026-12-07 (110 s with two other files only)
  'test/failure-causes-e2e.test.ts', // 165 s (since 2026-12-07 also the faces' single faults)
  'test/alerts-e2e.test.ts', // 162 s
  'test/acceptance/broken-spec.test.ts', // 158 s
  'scheduler/daemon-demo.test.ts', // 135 s
  'test/locations-netns-e2e.test.ts', // 121 s
  'scheduler/daemon-location-offline.test.ts', // 107 s
  'test/faults/slot-once.test.ts', // 96 s
  'test/faults/slot-lease.test.ts', // 77 s
  'test/persistence-e2e.test.ts', // 64 s
  'test/workflows-faces-e2e.test.ts', // 129 s with 6 runs; 2 since 2026-12-07 (58 s with two other files only)
  'test/acceptance/cli-commands.test.ts', // 52 s
  'test/faults/hanging-page.test.ts', // 50 s
  'scheduler/daemon-cluster.test.ts', // 45 s
  'test/faults/db-hang.test.ts', // 44 s
  'test/acceptance/reporter-option.test.ts', // 41 s
  'scheduler/daemon-capacity.test.ts', // 39 s
  'test/acceptance/dashboard-alerts-metrics.test.ts', // 39 s
  'scheduler/daemon-schedule.test.ts', // 33 s
  'notifiers/delivery/deliver.test.ts', // 30 s
  'test/faults/db-down-alerts.test.ts', // 30 s
  'test/status-e2e.test.ts', // 26 s
  'test/acceptance/parent-gone.test.ts', // 23 s
  'test/acceptance/config-errors.test.ts', // 20 s
  'test/dashboard-e2e.test.ts', // 19 s
  'test/acceptance/alert-routing.test.ts', // 18 s
  'test/acceptance/sharding.test.ts', // 18 s
  'test/faults/hung-webhook.test.ts', // 15 s
  'test/acceptance/runbook-sql.test.ts', // 15 s
  'test/acceptance/reports-on-demand.test.ts', // 12 s
  'test/acceptance/redaction.test.ts', // 11 s
  'test/locations-e2e.test.ts', // 10 s
];

/**
 * Files that mostly wait: CPU-seconds (the file's process and its children, sampled from /proc
 * every second) under 0.25 per second of wall, on main of 2026-12-02 (node test/run.ts
 * --durations, with a /proc sampler beside it). They take a waiting slot, not a CPU slot.
 */
const mostlyWaiting = [
  'scheduler/daemon-locations.test.ts', // 52 CPU-s in 369 s (with the offline test, then one file)
  'scheduler/daemon-location-offline.test.ts',
  'test/faults/db-outage-slots.test.ts', // 15 in 164
  'scheduler/daemon-failures.test.ts', // 8 in 90
  'test/faults/slot-once.test.ts', // 8 in 82
  'test/faults/slot-lease.test.ts', // 5 in 74
  'scheduler/daemon-cluster.test.ts', // 14 in 69
  'test/faults/hanging-page.test.ts', // 6 in 49
  'scheduler/daemon-capacity.test.ts', // 11 in 48
  'test/faults/db-hang.test.ts', // 8 in 36
  'notifiers/delivery/deliver.test.ts', // under 2 in 31
  'test/faults/hung-webhook.test.ts', // 4 in 16
];

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    concurrency: { type: 'string', default: '3' },
    quick: { type: 'string', default: '3' },
    heavy: { type: 'string', default: '3' },
    waiting: { type: 'string', default: '5' },
    'load-per-cpu': { type: 'string', default: '4' },
    durations: { type: 'string' },
    'cpu-log': { type: 'string' },
  },
});

const all = globSync('**/*.test.ts', {
  cwd: root,
  exclude: (name: string) => path.basename(name) === 'node_modules' || path.basename(name).startsWith('.'),
}).sort();
const chosen = positionals.length ? positionals.map((f) => path.relative(root, path.resolve(f))) : all;
const rank = (f: string) => (slowestFirst.includes(f) ? slowestFirst.indexOf(f) : slowestFirst.length);
const files = [...chosen].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b)).map((f) => path.join(root, f));

process.chdir(root);
// globalSetupPath is run()'s since Node 24; @types/node does not list it yet.
const options: NonNullable<Parameters<typeof run>[0]> & { globalSetupPath: string } = {
  files,
  // Every file may start: the CPU slots, not run(), hold the working ones back.
  concurrency: Number(values.concurrency) + Number(values.quick) + mostlyWaiting.length,
  execArgv: ['--import', path.join(root, 'test', 'helpers', 'cpu-slot.ts')],
  timeout: 600_000,
  globalSetupPath: path.join(root, 'test', 'global-setup.ts'),
};
// At most --heavy real suites with Chromium at once, machine-wide (test/helpers/heavy-slots.ts).
const slots = await startSlotServer(Number(values.heavy));
process.env.TEST_HEAVY_SLOTS = slots.address;
// A file starts only when the machine is not already overloaded (test/helpers/load-gate.ts):
// at most --load-per-cpu runnable tasks per CPU (averaged over 4 s), 2 s after the previous start.
const gate = startLoadGate({ perCpu: Number(values['load-per-cpu']), spacingMs: 2_000 });
// At most --concurrency working files at once (test/helpers/cpu-slot.ts).
const cpuSlots = await startSlotServer(Number(values.concurrency), { admit: gate.admit });
process.env.TEST_CPU_SLOTS = cpuSlots.address;
process.env.TEST_WAITING_FILES = mostlyWaiting.join(',');
// The quick files (off slowestFirst), at most --quick at once.
process.env.TEST_LONG_FILES = slowestFirst.join(',');
const quickSlots = await startSlotServer(Number(values.quick), { admit: gate.admit });
process.env.TEST_QUICK_SLOTS = quickSlots.address;
// At most --waiting of those at once.
const waitingSlots = await startSlotServer(Number(values.waiting), { admit: gate.admit });
process.env.TEST_WAITING_SLOTS = waitingSlots.address;
// Node's compile cache for every process of the run (test files, daemons, CLIs, Playwright): each
// module is type-stripped and compiled once, not once per process (about 0.7 CPU-s of a small
// file's 2). The folder npm's postinstall warms for the daemon (scheduler/compile-cache.mjs).
process.env.NODE_COMPILE_CACHE ||= path.join(root, 'node_modules', '.cache', 'node-compile-cache');
if (values['cpu-log']) {
  process.env.TEST_CPU_LOG = path.resolve(values['cpu-log']);
  const preload = `--import=${path.join(root, 'test', 'helpers', 'cpu-log.mjs')}`;
  process.env.NODE_OPTIONS = [process.env.NODE_OPTIONS, preload].filter(Boolean).join(' ');
}
const startedAt = { ...cpuJiffies(), ms: Date.now() };
const stream = run(options);
stream.on('close', () => {
  const s = (n: number) => `${Math.round(n)} s`;
  const line = (name: string, n: string | undefined, what: string, h: ReturnType<typeof slots.stats>) =>
    `${name} slots (${n}): ${h.granted} ${what}, held ${s(h.heldSeconds)} in all, ` +
    `waited ${s(h.waitedSeconds)} in all (longest ${s(h.longestWaitSeconds)})\n`;
  process.stdout.write(line('working-file', values.concurrency, 'files', cpuSlots.stats()));
  process.stdout.write(line('waiting-file', values.waiting, 'files', waitingSlots.stats()));
  process.stdout.write(line('quick-file', values.quick, 'files', quickSlots.stats()));
  process.stdout.write(line('heavy', values.heavy, 'real suites', slots.stats()));
  const load = gate.summary();
  process.stdout.write(
    `load (runnable tasks per CPU, 4-s average): mean ${load.meanPerCpu.toFixed(1)}, peak ${load.peakPerCpu.toFixed(1)}; ` +
      `${load.refused} refusal(s) above ${values['load-per-cpu']} (a held-back slot asks again every 250 ms)\n`,
  );
  const now = cpuJiffies();
  const busy = (now.busy - startedAt.busy) / Math.max(1, now.total - startedAt.total);
  const wall = (Date.now() - startedAt.ms) / 1000;
  if (values['cpu-log'])
    process.stdout.write(cpuTable(process.env.TEST_CPU_LOG!, root, busy, wall, availableParallelism()));
  else
    process.stdout.write(
      `CPU: busy ${(busy * 100).toFixed(0)}% of ${availableParallelism()} CPUs over ${wall.toFixed(0)} s\n`,
    );
  gate.stop();
  void slots.close();
  void cpuSlots.close();
  void waitingSlots.close();
  void quickSlots.close();
});
stream.on('test:fail', () => {
  process.exitCode = 1;
});
stream.compose(spec).pipe(process.stdout);
if (values.durations) stream.compose(fileDurations).pipe(createWriteStream(values.durations));
