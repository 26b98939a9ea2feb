// What evidence collection costs: the whole suite against the healthy demo app, with the
// evidence fixture on and off (MONITOR_EVIDENCE), in pairs within one process (the order
// alternates, so drift in machine load falls on both sides), and the median of the ratios.
//   node bench/evidence/run.ts [--pairs 5] [--workers 2]
import { parseArgs } from 'node:util';
import { startDemoApp } from '../../demo-app/app.ts';
import { notPassed, removeRun, runPlaywright } from '../../test/helpers/playwright-run.ts';
import { median } from '../timing.ts';

const { values } = parseArgs({
  options: { pairs: { type: 'string', default: '5' }, workers: { type: 'string', default: '2' } },
});
const pairs = Number(values.pairs);
const workers = Number(values.workers);
if (!Number.isInteger(pairs) || pairs < 1 || !Number.isInteger(workers) || workers < 1) {
  process.stderr.write('bench/evidence: --pairs and --workers need whole numbers >= 1\n');
  process.exit(2);
}

const demo = await startDemoApp({ port: 0, host: '127.0.0.1' });

async function suite(evidence: 'on' | 'off'): Promise<number> {
  const started = performance.now();
  const run = await runPlaywright(['test', '--retries=0', `--workers=${workers}`], {
    BASE_URL: demo.url,
    MONITOR_EVIDENCE: evidence,
  });
  const ms = performance.now() - started;
  await removeRun(run);
  const failed = notPassed(run);
  if (run.code !== 0 || failed.length)
    throw new Error(`suite with evidence ${evidence} did not pass: ${failed.join(', ')}\n${run.stderr.slice(-1000)}`);
  return ms;
}

try {
  await suite('on'); // warm-up: compile caches, browser files in the page cache
  const ratios: number[] = [];
  const on: number[] = [];
  const off: number[] = [];
  for (let i = 0; i < pairs; i++) {
    const order: ('on' | 'off')[] = i % 2 ? ['off', 'on'] : ['on', 'off'];
    const t: Record<string, number> = {};
    for (const mode of order) t[mode] = await suite(mode);
    on.push(t.on!);
    off.push(t.off!);
    ratios.push(t.on! / t.off!);
    process.stdout.write(
      `pair ${i + 1}/${pairs}: on ${(t.on! / 1000).toFixed(2)} s, off ${(t.off! / 1000).toFixed(2)} s, ratio ${(t.on! / t.off!).toFixed(3)}\n`,
    );
  }
  const ratio = median(ratios);
  process.stdout.write(
    `suite wall time (6 workflows, ${workers} workers, ${pairs} pairs): evidence on median ${(median(on) / 1000).toFixed(2)} s, ` +
      `off median ${(median(off) / 1000).toFixed(2)} s; median ratio on/off ${ratio.toFixed(3)} (target <= 1.03) ${ratio <= 1.03 ? 'OK' : 'OVER'}\n`,
  );
} finally {
  await demo.close();
}
