// bench/daemon-memory: the daemon's memory with --workflows schedules (default 1,000 trivial specs,
// each on "*/5 * * * *"), the real daemon process of the test harness on its own embedded
// PostgreSQL. Measured from outside: VmRSS every 250 ms and its peak (VmHWM) from /proc; from
// inside: the V8 heap (used / total) and external memory that /metrics reports (prom-client's
// default metrics). Phases: after discovery (idle, every schedule known), then, with --slots N,
// while N compressed-clock slots run (every schedule overridden to "*/--slot-seconds s", one
// coalesced invocation per slot, MONITOR_REPORTER=off as bench/scheduler does), then idle again.
// A first daemon start measures nothing: it warms Node's compile cache, as in service.
// --snapshot writes a heap snapshot at the end of each phase (SIGUSR2, --heapsnapshot-signal) into
// the repository root, to look at. The daemon starts with the shipped launchers' Node flags
// (scheduler/node-args.ts); --node-args replaces them ('' for none: V8's defaults), --node-options
// is its NODE_OPTIONS.
//   node bench/daemon-memory/run.ts [--workflows 1000] [--slots 1] [--slot-seconds 30] [--snapshot]
//     [--node-args '--max-semi-space-size=1'] [--node-options ...]
import { readFileSync } from 'node:fs';
import { chmod, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { overrideVariable } from '../../config/schedule-overrides.ts';
import { ensureDatabaseUrl, stopEmbedded } from '../../db/embedded/server.ts';
import { migrate } from '../../db/migrate.ts';
import { daemonTestEnv, startDaemonProcess, tempDir } from '../../test/helpers/daemon-harness.ts';
import { idleSuite } from '../suite.ts';
import { cpuSeconds, loadAverage } from '../timing.ts';

const { values } = parseArgs({
  options: {
    workflows: { type: 'string', default: '1000' },
    slots: { type: 'string', default: '1' },
    'slot-seconds': { type: 'string', default: '30' },
    snapshot: { type: 'boolean', default: false },
    'node-options': { type: 'string', default: '' },
    'node-args': { type: 'string' },
  },
});
const count = Number(values.workflows);
const slots = Number(values.slots);
const slotSeconds = Number(values['slot-seconds']);
const ids = Array.from({ length: count }, (_, i) => `bench-${String(i).padStart(4, '0')}`);

const status = (pid: number, field: string) => {
  try {
    const text = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(new RegExp(`${field}:\\s+(\\d+)`).exec(text)?.[1] ?? 0) / 1024;
  } catch {
    return 0;
  }
};
const mb = (n: number) => Math.round(n * 10) / 10;

/** Resident MB by kind of mapping: the node binary's pages, malloc's [heap], other anonymous memory (V8's heap among it). */
function residentBy(pid: number): { binaryMb: number; mallocMb: number; anonMb: number } {
  const out = { binaryMb: 0, mallocMb: 0, anonMb: 0 };
  let kind: keyof typeof out | null = null;
  try {
    for (const line of readFileSync(`/proc/${pid}/smaps`, 'utf8').split('\n')) {
      const head = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
      if (head) {
        const name = head[1] ?? '';
        kind = name === '' ? 'anonMb' : name === '[heap]' ? 'mallocMb' : name.endsWith('/node') ? 'binaryMb' : null;
        continue;
      }
      const rss = /^Rss:\s+(\d+)/.exec(line);
      if (rss && kind) out[kind] += Number(rss[1]) / 1024;
    }
  } catch {
    // gone
  }
  return { binaryMb: mb(out.binaryMb), mallocMb: mb(out.mallocMb), anonMb: mb(out.anonMb) };
}

async function heap(port: number): Promise<{ heapUsedMb: number; heapTotalMb: number; externalMb: number }> {
  const text = await fetch(`http://127.0.0.1:${port}/metrics`).then((r) => r.text());
  const value = (name: string) =>
    Number(new RegExp(`^workflow_monitor_${name} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN) / 2 ** 20;
  return {
    heapUsedMb: mb(value('nodejs_heap_size_used_bytes')),
    heapTotalMb: mb(value('nodejs_heap_size_total_bytes')),
    externalMb: mb(value('nodejs_external_memory_bytes')),
  };
}

const pgState = await tempDir('wm-bench-mem-pg-');
await chmod(pgState.dir, 0o755);
const url = await ensureDatabaseUrl({ stateDir: pgState.dir, databaseUrl: null, log: () => undefined });
await migrate(url);
const specs = await idleSuite(ids);
const state = await tempDir('wm-bench-mem-');
const rows: Record<string, string | number>[] = [];
const phase = async (name: string, pid: number, port: number, peak: number) =>
  rows.push({
    phase: name,
    'RSS now (MB)': mb(status(pid, 'VmRSS')),
    'RSS peak in phase (MB)': mb(peak),
    ...(await heap(port)),
    ...residentBy(pid),
    'daemon CPU so far (s)': cpuSeconds(pid),
  });

async function daemonRun(
  overrides: Record<string, string>,
  measure: (pid: number, port: number) => Promise<void>,
  snapshot = values.snapshot,
) {
  const nodeArgs = values['node-args']?.split(' ').filter(Boolean);
  const daemon = await startDaemonProcess(
    {
      ...daemonTestEnv({ databaseUrl: url, stateDir: state.dir, workflowsDir: specs.dir }, { secondCron: true }),
      MONITOR_REPORTER: 'off',
      MONITOR_WORKERS: '2',
      MONITOR_CATCH_UP_SECONDS: '0',
      MONITOR_CONCURRENCY: '2',
      NODE_OPTIONS: [values['node-options'], snapshot ? '--heapsnapshot-signal=SIGUSR2' : ''].filter(Boolean).join(' '),
      ...overrides,
    },
    nodeArgs ? { nodeArgs } : {},
  );
  try {
    await measure(daemon.pid, daemon.port!);
    if (snapshot) {
      daemon.signal('SIGUSR2');
      await new Promise((r) => setTimeout(r, 15_000));
    }
  } finally {
    daemon.signal('SIGINT');
    await Promise.race([daemon.exited, new Promise((r) => setTimeout(r, 60_000))]);
    await daemon.destroy();
  }
  return daemon;
}

let peak = 0;
const sample = (pid: number) => setInterval(() => (peak = Math.max(peak, status(pid, 'VmRSS'))), 250);
try {
  // A first start that measures nothing: it writes Node's compile cache (scheduler/node-args.ts),
  // which every later start finds warm, as every start but the first after an upgrade does.
  await daemonRun({}, async () => undefined, false);
  // Idle with every schedule known: discovery done, nothing due for minutes.
  await daemonRun({}, async (pid, port) => {
    const sampler = sample(pid);
    await new Promise((r) => setTimeout(r, 10_000));
    clearInterval(sampler);
    await phase(`idle, ${count} schedules`, pid, port, peak);
  });
  if (slots > 0) {
    const overrides = Object.fromEntries(ids.map((id) => [overrideVariable(id), `*/${slotSeconds} * * * * *`]));
    peak = 0;
    await daemonRun(overrides, async (pid, port) => {
      const sampler = sample(pid);
      const deadline = Date.now() + (slots + 2) * slotSeconds * 1000 + 180_000;
      // Until N slots' invocations ended (counted by result in /metrics).
      while (Date.now() < deadline) {
        const text = await fetch(`http://127.0.0.1:${port}/metrics`).then((r) => r.text());
        const done = [...text.matchAll(/^workflow_monitor_invocations_total\{[^}]*\} (\S+)$/gm)].reduce(
          (n, m) => n + Number(m[1]),
          0,
        );
        if (done >= slots) break;
        await new Promise((r) => setTimeout(r, 1_000));
      }
      clearInterval(sampler);
      await phase(`${slots} slot(s) of ${count} run`, pid, port, peak);
      rows.at(-1)!['VmHWM (MB)'] = mb(status(pid, 'VmHWM'));
    });
  }
  console.table(rows);
  if (values.snapshot) {
    const snaps = (await readdir(join(import.meta.dirname, '..', '..'))).filter((f) => f.endsWith('.heapsnapshot'));
    console.log(`heap snapshots (repository root): ${snaps.join(', ') || 'none'}`);
  }
  console.log(`target: RSS < 150 MB with ${count} schedules`);
  console.log(`load average (1/5/15 min): ${loadAverage()}`);
} finally {
  await specs.remove();
  await state.remove();
  await stopEmbedded({ stateDir: pgState.dir }).catch(() => undefined);
  await pgState.remove();
}
