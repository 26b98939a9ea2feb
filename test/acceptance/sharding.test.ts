// Sharding: `npx playwright test --shard=1/2` and `--shard=2/2` (the monitor reporter from the
// config) are one logical run: two run rows linked by their group, with their shard index, every
// execution stored exactly once, and `merge-reports` with the config records nothing again.
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { spawnSync } from 'node:child_process';
import type { Scratch } from './helpers/scratch.ts';
import { executionsPerTest, runsWithExecutions, scratchWithDemoPort, withScratchDb } from './helpers/procs.ts';

let s: Scratch;
before(async () => {
  s = await scratchWithDemoPort();
});
after(() => s.cleanup());

test('two shards and merge-reports: one run group, each execution stored once', async () => {
  for (const shard of [1, 2]) {
    // Shards usually run on machines of their own; here one after the other, each blob in its own folder.
    const r = await s.run('npx', ['playwright', 'test', `--shard=${shard}/2`], {
      env: { MONITOR_RUN_ID: 'nightly-42', PLAYWRIGHT_BLOB_OUTPUT_DIR: `blob-report/shard-${shard}` },
    });
    assert.equal(r.code, 0, r.output);
  }
  const recorded = await withScratchDb(s, runsWithExecutions);
  assert.deepEqual(
    recorded.map((r) => [r.id, r.runGroup, r.shardIndex, r.shardTotal, r.status]),
    [
      ['nightly-42-shard1of2', 'nightly-42', 1, 2, 'passed'],
      ['nightly-42-shard2of2', 'nightly-42', 2, 2, 'passed'],
    ],
  );
  assert.equal(
    recorded.reduce((n, r) => n + r.executions, 0),
    6,
    JSON.stringify(recorded),
  );
  assert.ok(
    recorded.every((r) => r.executions > 0),
    'each shard ran a part',
  );

  const merged = path.join(s.dir, 'all-blobs');
  mkdirSync(merged);
  for (const shard of [1, 2]) {
    const dir = path.join(s.dir, 'blob-report', `shard-${shard}`);
    for (const f of readdirSync(dir)) copyFileSync(path.join(dir, f), path.join(merged, f));
  }
  assert.equal(readdirSync(merged).filter((f) => f.endsWith('.zip')).length, 2, 'one blob per shard');
  const m = await s.run('npx', ['playwright', 'merge-reports', '--config', 'playwright.config.ts', 'all-blobs']);
  assert.equal(m.code, 0, m.output);
  assert.match(m.output, /6 passed/);
  assert.match(
    m.output,
    /merge-reports: the shards recorded their executions when they ran; nothing is recorded again/,
  );
  const after = await withScratchDb(s, runsWithExecutions);
  assert.deepEqual(after, recorded, 'merge-reports added no run and no execution');
  const perTest = await withScratchDb(s, executionsPerTest);
  assert.equal(perTest.size, 6);
  assert.ok(
    [...perTest.values()].every((n) => n === 1),
    JSON.stringify([...perTest]),
  );
  // blob-report/ is ignored: the copy's git status shows none of it.
  spawnSync('git', ['init', '-q'], { cwd: s.dir });
  const status = spawnSync('git', ['status', '--porcelain', '--ignored=no', '--', 'blob-report'], {
    cwd: s.dir,
    encoding: 'utf8',
  });
  assert.equal(status.stdout.trim(), '', status.stdout);
});
