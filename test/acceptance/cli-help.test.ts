// `npx workflow-monitor --help`, as the README shows it, in a scratch copy of the project.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { scratchCopy, type Scratch } from './helpers/scratch.ts';

let s: Scratch;
before(async () => {
  s = await scratchCopy();
});
after(async () => {
  await s.cleanup();
});

test('npx workflow-monitor --help lists the commands and exits 0', async () => {
  const r = await s.run('npx', ['workflow-monitor', '--help']);
  assert.equal(r.code, 0, r.output);
  for (const cmd of ['list', 'run', 'daemon', 'reports']) assert.match(r.stdout, new RegExp(`\\b${cmd}\\b`));
});
