// What the headless shell saves: the whole suite against the healthy demo app with the full
// Chromium (what the monitor gave every run before, and what a user gets who points
// CHROMIUM_PATH at it) and with the headless shell (what a headless run takes now where one is
// installed), in pairs within one process (the order alternates, so drift in machine load falls
// on both sides): CPU-seconds of the whole run (runner, workers, browsers: /proc's waited-for
// children) and wall time, with the median of the ratios.
//   node bench/browser/run.ts [--pairs 5] [--workers 2] [--full /usr/bin/chromium] [--shell <path>]
import { parseArgs } from 'node:util';
import { startDemoApp } from '../../demo-app/app.ts';
import { resolveChromium } from '../../fixtures/browser.ts';
import { notPassed, removeRun, runPlaywright } from '../../test/helpers/playwright-run.ts';
import { cpuSeconds, loadAverage, median } from '../timing.ts';

const headless = resolveChromium();
const headed = resolveChromium(undefined, { headless: false });
const { values } = parseArgs({
  options: {
    pairs: { type: 'string', default: '5' },
    workers: { type: 'string', default: '2' },
    full: { type: 'string', default: headed.found ? headed.path : '' },
    shell: { type: 'string', default: headless.found ? headless.path : '' },
  },
});
const pairs = Number(values.pairs);
const workers = Number(values.workers);
const problems = [
  ...(!Number.isInteger(pairs) || pairs < 1 ? ['--pairs needs a whole number >= 1'] : []),
  ...(!Number.isInteger(workers) || workers < 1 ? ['--workers needs a whole number >= 1'] : []),
  ...(!values.full ? ['--full: no Chromium found; give its path'] : []),
  ...(!values.shell || values.shell === values.full ? ['--shell: no headless shell found; give its path'] : []),
];
if (problems.length) {
  for (const p of problems) process.stderr.write(`bench/browser: ${p}\n`);
  process.exit(2);
}

const demo = await startDemoApp({ port: 0, host: '127.0.0.1' });
type Mode = 'full' | 'shell';
type Cost = { cpu: number; wall: number };

async function suite(mode: Mode): Promise<Cost> {
  const cpu0 = cpuSeconds('self', { own: false, children: true });
  const started = performance.now();
  const run = await runPlaywright(['test', '--retries=0', `--workers=${workers}`], {
    BASE_URL: demo.url,
    CHROMIUM_PATH: mode === 'full' ? values.full : values.shell,
  });
  const cost = {
    wall: (performance.now() - started) / 1000,
    cpu: cpuSeconds('self', { own: false, children: true }) - cpu0,
  };
  await removeRun(run);
  const failed = notPassed(run);
  if (run.code !== 0 || failed.length)
    throw new Error(`suite with the ${mode} browser did not pass: ${failed.join(', ')}\n${run.stderr.slice(-1000)}`);
  return cost;
}

try {
  process.stdout.write(`full: ${values.full}\nshell: ${values.shell}\nload average before: ${loadAverage()}\n`);
  await suite('full'); // warm-up: compile caches, both browsers' files in the page cache
  await suite('shell');
  const rows: Record<Mode, Cost>[] = [];
  for (let i = 0; i < pairs; i++) {
    const order: Mode[] = i % 2 ? ['shell', 'full'] : ['full', 'shell'];
    const t = {} as Record<Mode, Cost>;
    for (const mode of order) t[mode] = await suite(mode);
    rows.push(t);
    process.stdout.write(
      `pair ${i + 1}/${pairs}: full ${t.full.cpu.toFixed(2)} CPU-s in ${t.full.wall.toFixed(2)} s, ` +
        `shell ${t.shell.cpu.toFixed(2)} CPU-s in ${t.shell.wall.toFixed(2)} s, CPU ratio ${(t.shell.cpu / t.full.cpu).toFixed(3)}\n`,
    );
  }
  const m = (mode: Mode, k: keyof Cost) => median(rows.map((r) => r[mode][k])).toFixed(2);
  process.stdout.write(
    `suite (6 workflows, ${workers} workers, ${pairs} pairs), medians: full ${m('full', 'cpu')} CPU-s in ${m('full', 'wall')} s, ` +
      `shell ${m('shell', 'cpu')} CPU-s in ${m('shell', 'wall')} s; ratio shell/full CPU ${median(rows.map((r) => r.shell.cpu / r.full.cpu)).toFixed(3)}, ` +
      `wall ${median(rows.map((r) => r.shell.wall / r.full.wall)).toFixed(3)}; load average after: ${loadAverage()}\n`,
  );
} finally {
  await demo.close();
}
