// The file lock under contention from separate processes: never two holders at once. The lock
// used to be created empty and then written, and a process reading it in between took the holder
// for dead and broke it (two initdb runs on one folder in CI).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const lockModule = new URL('./file-lock.ts', import.meta.url).href;

test(
  'eight processes taking the lock 10 times each: never two holders, no update lost',
  { timeout: 120_000 },
  async (t) => {
    const dir = await mkdtemp(path.join(tmpdir(), 'wm-lock-'));
    t.after(() => rm(dir, { recursive: true, force: true }));
    const script = `
    import { appendFile, readFile, writeFile } from 'node:fs/promises';
    import { withFileLock } from ${JSON.stringify(lockModule)};
    const [dir] = process.argv.slice(1);
    for (let i = 0; i < 10; i++) {
      await withFileLock(dir + '/lock', { timeoutMs: 60_000 }, async () => {
        await appendFile(dir + '/log', 'enter ' + process.pid + '\\n');
        const n = Number(await readFile(dir + '/count', 'utf8').catch(() => '0'));
        await new Promise((r) => setTimeout(r, 2));
        await writeFile(dir + '/count', String(n + 1));
        await appendFile(dir + '/log', 'exit ' + process.pid + '\\n');
      });
    }`;
    await Promise.all(
      Array.from({ length: 8 }, () => run(process.execPath, ['--input-type=module', '-e', script, dir])),
    );
    assert.equal(await readFile(path.join(dir, 'count'), 'utf8'), '80');
    const lines = (await readFile(path.join(dir, 'log'), 'utf8')).trim().split('\n');
    for (let i = 0; i < lines.length; i += 2) {
      const [enter, exit] = [lines[i]!, lines[i + 1]!];
      assert.ok(
        enter.startsWith('enter ') && exit === enter.replace('enter', 'exit'),
        `overlap at line ${i}: ${lines.slice(i, i + 4).join(' | ')}`,
      );
    }
  },
);
