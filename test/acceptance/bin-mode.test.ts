// Every bin/ entry point with a shebang is committed executable, so that `npm install` or `npx`
// (which set the bit on package bins) leave a fresh clone's `git status` clean.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { repoRoot } from './helpers/scratch.ts';

test('every bin/*.ts with a shebang is committed with mode 100755', () => {
  const r = spawnSync('git', ['ls-files', '-s', '--', 'bin'], { cwd: repoRoot, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const rows = r.stdout
    .trim()
    .split('\n')
    .map((l) => {
      const [mode, , , file] = l.split(/\s+/);
      return { mode: mode!, file: file! };
    });
  const withShebang = rows.filter((row) => readFileSync(path.join(repoRoot, row.file), 'utf8').startsWith('#!'));
  assert.ok(
    withShebang.some((row) => row.file === 'bin/workflow-monitor.ts'),
    'bin/workflow-monitor.ts has a shebang',
  );
  const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { bin: Record<string, string> };
  for (const file of Object.values(pkg.bin))
    assert.ok(
      withShebang.some((row) => row.file === file),
      `${file} (package.json bin) has a shebang`,
    );
  for (const row of withShebang) assert.equal(row.mode, '100755', `${row.file} is committed as ${row.mode}`);
});
