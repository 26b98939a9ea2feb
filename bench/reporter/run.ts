// bench/reporter: what the monitor reporter costs a suite. The six demo workflows against the
// demo app (started here, no faults: every run passes), run by `playwright test` with
// `--reporter=list` (baseline) and with `--reporter=list,./reporters/monitor-reporter.ts`
// (recording to PostgreSQL, migrated beforehand as a monitor's database is), in pairs from this
// one process, the order alternated every pair. Per run: wall time and CPU (user + system) of
// the `playwright test` tree (runner, workers, browsers: the children this process waited for,
// /proc/self/stat cutime + cstime), and of the embedded PostgreSQL (its postmaster and the
// backends it reaped) when the database is the bench's own. Prints the per-pair ratios, their
// medians, and the load average.
//   node bench/reporter/run.ts [--pairs 5] [--workers 2]
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startDemoApp } from '../../demo-app/app.ts';
import { migrate } from '../../db/migrate.ts';
import { benchDatabase } from '../database.ts';
import { cpuSeconds, loadAverage } from '../timing.ts';

const { values } = parseArgs({
  options: { pairs: { type: 'string', default: '5' }, workers: { type: 'string', default: '2' } },
});
const pairs = Number(values.pairs);
const root = join(import.meta.dirname, '..', '..');

const db = await benchDatabase(`wm_bench_reporter_${process.pid}`, 'wm-bench-reporter-pg-');
const postmaster = db.stateDir
  ? Number(readFileSync(join(db.stateDir, 'postgres', 'data', 'postmaster.pid'), 'utf8').split('\n')[0])
  : null;
const demo = await startDemoApp({ port: 0, host: '127.0.0.1', faults: '' });
const stateDir = mkdtempSync(join(tmpdir(), 'wm-bench-reporter-state-'));

type Run = { wallS: number; cpuS: number; dbCpuS: number };

async function suite(withReporter: boolean): Promise<Run> {
  const reporter = withReporter ? 'list,./reporters/monitor-reporter.ts' : 'list';
  const cpu0 = cpuSeconds('self', { own: false, children: true });
  const db0 = postmaster ? cpuSeconds(postmaster, { children: true }) : NaN;
  const t0 = performance.now();
  const child = spawn(
    process.execPath,
    [
      join(root, 'node_modules/@playwright/test/cli.js'),
      'test',
      '--retries=0',
      `--workers=${values.workers}`,
      `--reporter=${reporter}`,
    ],
    {
      cwd: root,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: {
        ...process.env,
        BASE_URL: demo.url,
        DATABASE_URL: db.url,
        MONITOR_STATE_DIR: stateDir,
        CI: '',
        FORCE_COLOR: '0',
      },
    },
  );
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const code = await new Promise<number | null>((r) => child.on('close', r));
  const wallS = (performance.now() - t0) / 1000;
  if (code !== 0) throw new Error(`playwright test (${reporter}) exited ${code}: ${stderr.slice(-2000)}`);
  if (withReporter && !/6 execution\(s\): 6 recorded/.test(stderr))
    throw new Error(`the monitor reporter did not record the six executions: ${stderr.slice(-2000)}`);
  // Backends exit when the reporter's pool closes; the postmaster reaps them shortly after.
  await new Promise((r) => setTimeout(r, 300));
  return {
    wallS,
    cpuS: cpuSeconds('self', { own: false, children: true }) - cpu0,
    dbCpuS: postmaster ? cpuSeconds(postmaster, { children: true }) - db0 : NaN,
  };
}

const r3 = (n: number) => Math.round(n * 1000) / 1000;
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
try {
  await migrate(db.url);
  await suite(false); // warm-up: browser binary and files in the page cache, the demo app's first pages
  const rows = [];
  for (let i = 0; i < pairs; i++) {
    const first = i % 2 === 0;
    const a = first ? await suite(false) : null;
    const b = await suite(true);
    const without = a ?? (await suite(false));
    rows.push({
      pair: i + 1,
      order: first ? 'list, then monitor' : 'monitor, then list',
      'wall list (s)': r3(without.wallS),
      'wall monitor (s)': r3(b.wallS),
      'wall ratio': r3(b.wallS / without.wallS),
      'cpu list (s)': r3(without.cpuS),
      'cpu monitor (s)': r3(b.cpuS),
      'cpu ratio': r3(b.cpuS / without.cpuS),
      'db cpu list (s)': r3(without.dbCpuS),
      'db cpu monitor (s)': r3(b.dbCpuS),
      'cpu+db ratio': r3((b.cpuS + b.dbCpuS) / (without.cpuS + without.dbCpuS)),
    });
    process.stdout.write(
      `pair ${i + 1}/${pairs}: wall ${rows.at(-1)!['wall ratio']}, cpu ${rows.at(-1)!['cpu ratio']}\n`,
    );
  }
  console.table(rows);
  console.log(
    `median over ${pairs} pairs: wall ratio ${r3(median(rows.map((r) => r['wall ratio'])))} (target <= 1.03), ` +
      `cpu ratio ${r3(median(rows.map((r) => r['cpu ratio'])))} (target <= 1.05), ` +
      `cpu incl. PostgreSQL ${r3(median(rows.map((r) => r['cpu+db ratio'])))}`,
  );
  console.log(`load average (1/5/15 min): ${loadAverage()}`);
} finally {
  await demo.close();
  await db.drop();
  rmSync(stateDir, { recursive: true, force: true });
}
