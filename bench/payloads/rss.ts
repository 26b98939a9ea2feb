// The runner's memory with a hostile health body: the real Health Check workflow against a tiny
// target whose /api/health is valid JSON of --mb megabytes (default 50), recorded by the monitor
// reporter in an embedded PostgreSQL of its own. Prints the peak RSS (VmHWM) of the runner
// process and of its largest worker, and the size of the stored payload.
//   node bench/payloads/rss.ts [--mb 50]
import { spawn } from 'node:child_process';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'slonik';
import { z } from 'zod';
import { createDbPool } from '../../db/pool.ts';
import { ownPostgres } from '../../test/faults/helpers/pg-freeze.ts';
import { startPayloadTarget } from '../../test/faults/helpers/payload-target.ts';

const { values } = parseArgs({ options: { mb: { type: 'string', default: '50' } } });
const mb = Number(values.mb);
const repoRoot = join(import.meta.dirname, '..', '..');

const padding = 'x'.repeat(mb * 1024 * 1024);
const body = `{"status":"healthy","checks":{"database":{"status":"healthy"},"cache":{"status":"healthy"}},"padding":"${padding}"}`;
const target = await startPayloadTarget({ health: [{ body }] });
const pg = await ownPostgres();

async function hwmKb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  return Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
}
async function descendants(root: number): Promise<number[]> {
  const parent = new Map<number, number>();
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = await readFile(`/proc/${name}/stat`, 'utf8').catch(() => '');
    parent.set(Number(name), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
  }
  const out: number[] = [];
  const walk = (p: number) => {
    for (const [c, pp] of parent)
      if (pp === p) {
        out.push(c);
        walk(c);
      }
  };
  walk(root);
  return out;
}

try {
  const child = spawn(
    process.execPath,
    [
      join(repoRoot, 'node_modules/@playwright/test/cli.js'),
      'test',
      '--grep',
      '@health-check(?![-\\w])',
      '--retries=0',
      '--workers=1',
    ],
    {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        BASE_URL: target.url,
        DATABASE_URL: '',
        MONITOR_STATE_DIR: pg.stateDir,
        MONITOR_REPORTER: '',
        FORCE_COLOR: '0',
      },
    },
  );
  let out = '';
  child.stdout.on('data', (d) => {
    out += d;
  });
  child.stderr.on('data', (d) => {
    out += d;
  });
  let runner = 0;
  const workers = new Map<number, number>();
  const sampler = setInterval(() => {
    void (async () => {
      runner = Math.max(runner, await hwmKb(child.pid!));
      for (const pid of await descendants(child.pid!)) {
        // Playwright's workers are node processes; the browser's are not counted here.
        const exe = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
        if (exe.split('\0')[0] === process.execPath)
          workers.set(pid, Math.max(workers.get(pid) ?? 0, await hwmKb(pid)));
      }
    })();
  }, 100);
  const code = await new Promise<number | null>((r) => child.on('close', r));
  clearInterval(sampler);
  const pool = await createDbPool(pg.url);
  const stored = await pool.maybeOne(sql.type(
    z.object({ bytes: z.number().nullable(), healthy: z.boolean(), status: z.string() }),
  )`
    SELECT octet_length(payload::text)::int AS bytes, healthy, status FROM system_health_checks ORDER BY started_at DESC LIMIT 1`);
  await pool.end();
  const largestWorker = Math.max(0, ...workers.values());
  console.log(
    out
      .split('\n')
      .filter((l) => /\[monitor\]|passed|failed|unhealthy|Error/.test(l))
      .slice(0, 12)
      .join('\n'),
  );
  console.log(`health body ${mb} MB; exit ${code}`);
  console.log(
    `runner peak RSS ${(runner / 1024).toFixed(0)} MB; largest worker peak RSS ${(largestWorker / 1024).toFixed(0)} MB`,
  );
  console.log(
    `stored payload: ${stored ? `${stored.bytes ?? 0} bytes (healthy=${stored.healthy}, status=${stored.status})` : 'none'}`,
  );
} finally {
  await target.close();
  await pg.stop();
}
