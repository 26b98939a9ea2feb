// bench/flake: the whole suite, run N times on each face of the demo app with no fault, must
// give 0 failed and 0 flaky executions (issue 13). One demo app per face for all its runs, as a
// platform keeps its state between monitor runs; retries as the monitor runs them (1), so that
// a pass on retry shows up as flaky rather than being hidden.
//   node bench/flake/run.ts [--runs 30] [--faces standard,alternate] [--workers N]
// Prints one line per run and a summary per face; exit 1 when anything failed or was flaky.
import { parseArgs } from 'node:util';
import { startDemoApp } from '../../demo-app/app.ts';
import { parseVariant } from '../../demo-app/variant.ts';
import type { Variant } from '../../demo-app/variant.ts';
import { allSpecs, removeRun, runPlaywright } from '../../test/helpers/playwright-run.ts';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '30' },
    faces: { type: 'string', default: 'standard,alternate' },
    workers: { type: 'string' },
  },
});

const problems: string[] = [];
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1 || runs > 1000)
  problems.push(`--runs must be a whole number from 1 to 1000, got "${values.runs}"`);
const faces: Variant[] = [];
for (const name of values.faces
  .split(',')
  .map((f) => f.trim())
  .filter(Boolean)) {
  const face = parseVariant(name);
  if (typeof face === 'string') faces.push(face);
  else problems.push(`--faces: ${face.problem}`);
}
if (values.workers !== undefined && !/^[1-9]\d?$/.test(values.workers))
  problems.push(`--workers must be a whole number from 1 to 99, got "${values.workers}"`);
if (problems.length) {
  for (const p of problems) console.error(`bench/flake: ${p}`);
  process.exit(2);
}

type Tally = { runs: number; executions: number; failed: number; flaky: number; notes: string[]; wallMs: number };
const tallies = new Map<Variant, Tally>();

for (const face of faces) {
  const tally: Tally = { runs: 0, executions: 0, failed: 0, flaky: 0, notes: [], wallMs: 0 };
  tallies.set(face, tally);
  const demo = await startDemoApp({ port: 0, host: '127.0.0.1', variant: face });
  try {
    for (let i = 1; i <= runs; i++) {
      const started = performance.now();
      const args = ['test', '--retries=1', ...(values.workers ? [`--workers=${values.workers}`] : [])];
      const run = await runPlaywright(args, { BASE_URL: demo.url }, { timeoutMs: 600_000 });
      const ms = performance.now() - started;
      tally.wallMs += ms;
      tally.runs += 1;
      let failed = 0;
      let flaky = 0;
      const specs = run.report ? allSpecs(run.report) : [];
      for (const spec of specs) {
        for (const t of spec.tests) {
          tally.executions += 1;
          const firstError = t.results.find((r) => r.status !== 'passed')?.error?.message?.split('\n')[0] ?? '';
          if (t.status === 'flaky') {
            flaky += 1;
            tally.notes.push(`${face} run ${i}: ${spec.title} flaky: ${firstError}`);
          } else if (t.status !== 'expected') {
            failed += 1;
            tally.notes.push(`${face} run ${i}: ${spec.title} ${t.status}: ${firstError}`);
          }
        }
      }
      if (!run.report || specs.length !== 6) {
        failed += 1;
        tally.notes.push(
          `${face} run ${i}: no complete report (${specs.length} specs, exit ${run.code}): ${run.stderr.split('\n').slice(-3).join(' ')}`,
        );
      }
      tally.failed += failed;
      tally.flaky += flaky;
      console.log(
        `${face} run ${i}/${runs}: ${specs.length} workflows, ${failed} failed, ${flaky} flaky, ${(ms / 1000).toFixed(1)} s`,
      );
      await removeRun(run);
    }
  } finally {
    await demo.close();
  }
}

console.log('');
let bad = false;
for (const [face, t] of tallies) {
  console.log(
    `${face}: ${t.runs} runs, ${t.executions} executions, ${t.failed} failed, ${t.flaky} flaky, mean ${(t.wallMs / t.runs / 1000).toFixed(1)} s per run`,
  );
  for (const note of t.notes) console.log(`  ${note}`);
  if (t.failed || t.flaky) bad = true;
}
process.exit(bad ? 1 : 0);
