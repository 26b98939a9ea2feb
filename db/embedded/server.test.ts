import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { sql } from 'slonik';
import { z } from 'zod';
import { clusterPaths, ensureDatabaseUrl, stopEmbedded } from './server.ts';
import { migrationsDir } from '../migrate.ts';
import { withDatabase } from '../pool.ts';

const run = promisify(execFile);
const quiet = () => undefined;

function stateDir(t: { after: (fn: () => Promise<void>) => void }): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'wm-embedded-'));
  chmodSync(dir, 0o755); // the server may run as the OS user postgres
  t.after(async () => {
    await stopEmbedded({ stateDir: dir, log: quiet }).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  });
  return dir;
}

async function selectOne(url: string): Promise<number> {
  return withDatabase(url, (pool) => pool.oneFirst(sql.type(z.object({ n: z.number() }))`SELECT 1 AS n`));
}

function postmasterPid(dir: string): number {
  return Number.parseInt(
    readFileSync(path.join(clusterPaths(dir).dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]!,
    10,
  );
}

async function waitGone(pid: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await sleep(50);
  }
  throw new Error(`pid ${pid} still alive`);
}

test('DATABASE_URL wins over the embedded server', async () => {
  const dir = path.join(tmpdir(), 'wm-never-created');
  assert.equal(await ensureDatabaseUrl({ stateDir: dir, databaseUrl: 'postgres://u@h:1/d' }), 'postgres://u@h:1/d');
  assert.equal(existsSync(dir), false);
});

test('starts, survives a SIGKILLed postmaster, stops and restarts', async (t) => {
  const dir = stateDir(t);
  const url = await ensureDatabaseUrl({ stateDir: dir, databaseUrl: null, ephemeral: true, log: quiet });
  const parsed = new URL(url);
  assert.equal(parsed.hostname, '127.0.0.1');
  assert.notEqual(parsed.port, '5432');
  assert.equal(parsed.pathname, '/workflow_monitor');
  assert.equal(await selectOne(url), 1);
  assert.equal(
    await ensureDatabaseUrl({ stateDir: dir, databaseUrl: null, log: quiet }),
    url,
    'a second caller shares it',
  );

  // A killed owner leaves postmaster.pid behind.
  const pid = postmasterPid(dir);
  process.kill(pid, 'SIGKILL');
  await waitGone(pid);
  assert.ok(existsSync(path.join(clusterPaths(dir).dataDir, 'postmaster.pid')));
  const lines: string[] = [];
  assert.equal(await ensureDatabaseUrl({ stateDir: dir, databaseUrl: null, log: (l) => lines.push(l) }), url);
  assert.equal(await selectOne(url), 1);
  assert.ok(
    lines.some((l) => l.includes('stale')),
    lines.join('\n'),
  );

  assert.equal(await stopEmbedded({ stateDir: dir, log: quiet }), true);
  assert.equal(await stopEmbedded({ stateDir: dir, log: quiet }), false);

  // A pid file naming a live process that is not this cluster's postmaster (pid reuse).
  writeFileSync(
    path.join(clusterPaths(dir).dataDir, 'postmaster.pid'),
    `${process.pid}\n${clusterPaths(dir).dataDir}\n`,
  );
  assert.equal(await ensureDatabaseUrl({ stateDir: dir, databaseUrl: null, log: quiet }), url);
  assert.equal(await selectOne(url), 1);
});

test('two processes starting a fresh state folder at once both succeed, migrations included', async (t) => {
  const dir = stateDir(t);
  const script = `
    import { ensureDatabaseUrl } from ${JSON.stringify(new URL('./server.ts', import.meta.url).href)};
    import { migrate } from ${JSON.stringify(new URL('../migrate.ts', import.meta.url).href)};
    const url = await ensureDatabaseUrl({ stateDir: process.argv[1], databaseUrl: null, ephemeral: true, log: () => {} });
    const applied = await migrate(url);
    console.log(JSON.stringify({ url, applied }));`;
  const spawnOne = () => run(process.execPath, ['--input-type=module', '-e', script, dir], { timeout: 90_000 });
  const results = await Promise.all([spawnOne(), spawnOne()]);
  const outputs = results.map(
    (r) => JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { url: string; applied: string[] },
  );
  assert.equal(outputs[0]?.url, outputs[1]?.url);
  const files = readdirSync(migrationsDir).filter((f) => f.endsWith('.sql'));
  assert.equal(outputs.flatMap((o) => o.applied).length, files.length, 'each migration ran once');
  assert.equal(await selectOne(outputs[0]!.url), 1);
});
