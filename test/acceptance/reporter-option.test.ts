// `--reporter=<x>` on Playwright's command line replaces the configured reporters; the CLI's
// commands (`run`, `critical`, `health`) keep recording whatever reporter options they pass on.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Scratch } from './helpers/scratch.ts';
import { runsWithExecutions, scratchWithDemoPort, withScratchDb } from './helpers/procs.ts';

let s: Scratch;
before(async () => {
  s = await scratchWithDemoPort();
});
after(() => s.cleanup());

/** Runs the command and returns the runs it added, with their executions. */
async function recordedBy(command: string, args: string[]) {
  const before = new Set((await withScratchDb(s, runsWithExecutions)).map((r) => r.id));
  const r = await s.run(command, args);
  assert.equal(r.code, 0, r.output);
  return { output: r.output, added: (await withScratchDb(s, runsWithExecutions)).filter((row) => !before.has(row.id)) };
}

for (const [args, executions, pattern] of [
  [['workflow-monitor', 'run', 'health-check', '--', '--reporter=dot'], 1, /^[·.]+$/m],
  [['workflow-monitor', 'health', '--', '--reporter', 'line'], 1, /\[1\/1\]/],
  [['workflow-monitor', 'critical', '--', '--reporter=dot', '--workers=1'], 4, /^[·.]+$/m],
  [['run', 'monitor:once', '--', '--grep', '@health-check', '--reporter=dot'], 1, /^[·.]+$/m],
] as const) {
  const command = args[0] === 'run' ? 'npm' : 'npx';
  test(`${command} ${args.join(' ')} prints with that reporter and still records`, async () => {
    const { output, added } = await recordedBy(command, [...args]);
    assert.match(output, pattern, 'the reporter asked for prints');
    assert.equal(added.length, 1, JSON.stringify(added));
    assert.equal(added[0]!.executions, executions, output);
    assert.equal(added[0]!.status, 'passed');
  });
}

test('npx playwright test --reporter=dot alone records nothing (the README says so next to the commands)', async () => {
  const { added } = await recordedBy('npx', ['playwright', 'test', '--grep', '@health-check', '--reporter=dot']);
  assert.deepEqual(added, []);
  const { added: kept } = await recordedBy('npx', [
    'playwright',
    'test',
    '--grep',
    '@health-check',
    '--reporter=dot,./reporters/monitor-reporter.ts',
  ]);
  assert.equal(kept.length, 1);
  assert.equal(kept[0]!.executions, 1);
});
