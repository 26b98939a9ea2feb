// Real runs recorded by the monitor reporter in a real PostgreSQL: what lands, what happens
// when the database goes away in the middle of a run, and two runs starting at once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFile, mkdtemp, readdir, rm, writeFile, chmod } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'slonik';
import { z } from 'zod';
import { withDemo } from './helpers/demo.ts';
import { freshDatabase } from './helpers/db.ts';
import { removeRun, repoRoot, runPlaywright } from './helpers/playwright-run.ts';
import { createDbPool } from '../db/pool.ts';
import type { DbPool } from '../db/pool.ts';
import { ensureDatabaseUrl, stopEmbedded } from '../db/embedded/server.ts';
import { outboxDir, pendingEntries, replayOutbox } from '../db/outbox.ts';
import { applyEntries } from '../reporters/persistence.ts';
import { executionRow } from '../db/tables/execution-queries.ts';

const count = (
  pool: DbPool,
  table: 'workflow_executions' | 'workflow_steps' | 'workflow_metrics' | 'system_health_checks' | 'monitor_runs',
) => pool.oneFirst(sql.type(z.object({ n: z.number() }))`SELECT count(*)::int AS n FROM ${sql.identifier([table])}`);

const attemptRow = executionRow.pick({
  workflowId: true,
  status: true,
  outcome: true,
  retry: true,
  failedStep: true,
  tracePath: true,
  screenshotPath: true,
});
const attemptColumns = sql.fragment`workflow_id AS "workflowId", status, outcome, retry, failed_step AS "failedStep",
  trace_path AS "tracePath", screenshot_path AS "screenshotPath"`;

async function tempStateDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'wm-state-'));
  await chmod(dir, 0o755); // the embedded server may run as the OS user postgres
  return dir;
}

test('a full run with two faults leaves six executions, their steps, metrics, health and artifacts', async () => {
  const db = await freshDatabase();
  const stateDir = await tempStateDir();
  try {
    await withDemo('health-down,checkout-error', async (demo) => {
      const run = await runPlaywright(
        ['test', '--retries=0'],
        {
          BASE_URL: demo.url,
          DATABASE_URL: db.url,
          MONITOR_STATE_DIR: stateDir,
          MONITOR_RUN_ID: 'run_full_1',
          CI: '',
          MONITOR_TRIGGER: '',
        },
        { monitor: true },
      );
      try {
        assert.equal(run.code, 1, 'the run fails because two workflows fail');
        const rows = await db.pool.any(sql.type(attemptRow)`
          SELECT ${attemptColumns} FROM workflow_executions ORDER BY workflow_id`);
        assert.equal(rows.length, 6);
        const failed = rows.filter((r) => r.status !== 'passed');
        assert.deepEqual(
          failed.map((r) => [r.workflowId, r.failedStep]),
          [
            ['health-check', 'Platform reports healthy'],
            ['order-placement', 'Review and place order'],
          ],
        );
        for (const r of failed) {
          assert.ok(
            r.tracePath && existsSync(r.tracePath) && r.tracePath.startsWith(join(stateDir, 'artifacts')),
            `${r.workflowId}: durable trace`,
          );
        }
        assert.ok(
          failed.find((r) => r.workflowId === 'order-placement')?.screenshotPath,
          'order-placement keeps its screenshot',
        );
        assert.ok(existsSync(failed.find((r) => r.workflowId === 'order-placement')!.screenshotPath!));
        for (const r of rows.filter((x) => x.status === 'passed'))
          assert.equal(r.tracePath, null, 'no artifacts kept for passes');
        assert.ok((await count(db.pool, 'workflow_steps')) >= 6 * 3);
        assert.equal(await count(db.pool, 'workflow_metrics'), 6);
        assert.equal(await count(db.pool, 'system_health_checks'), 1);
        const health = await db.pool.one(sql.type(
          z.object({ healthy: z.boolean(), database_healthy: z.boolean().nullable() }),
        )`
          SELECT healthy, database_healthy FROM system_health_checks`);
        assert.deepEqual(health, { healthy: false, database_healthy: false });
        const runRow = await db.pool.one(sql.type(
          z.object({ status: z.string(), trigger: z.string(), ended: z.boolean() }),
        )`
          SELECT status, trigger, ended_at IS NOT NULL AS ended FROM monitor_runs WHERE run_id = 'run_full_1'`);
        // Outside CI and without MONITOR_TRIGGER, a run is manual.
        assert.deepEqual(runRow, { status: 'failed', trigger: 'manual', ended: true });
      } finally {
        await removeRun(run);
      }
    });
  } finally {
    await db.drop();
    await rm(stateDir, { recursive: true, force: true });
  }
});

test('a workflow that passes on retry is recorded as flaky with both attempts', async () => {
  const db = await freshDatabase();
  const stateDir = await tempStateDir();
  const specs = await mkdtemp(join(repoRoot, '.monitor-test-specs-'));
  try {
    await writeFile(
      join(specs, 'wobbly.spec.ts'),
      `import { test, expect, workflow } from '../fixtures/index.ts';
test('Wobbly Journey', workflow({ id: 'wobbly', priority: 'high', schedule: '*/5 * * * *' }), async ({ page }, info) => {
  await test.step('Open home', async () => { await page.goto('/'); });
  await test.step('Wobble', async () => { expect(info.retry, 'fails on the first attempt only').toBeGreaterThan(0); });
});
`,
    );
    await withDemo('', async (demo) => {
      const run = await runPlaywright(
        ['test', '--retries=1'],
        { BASE_URL: demo.url, DATABASE_URL: db.url, MONITOR_STATE_DIR: stateDir, MONITOR_WORKFLOWS_DIR: specs },
        { monitor: true },
      );
      try {
        assert.equal(run.code, 0, 'a flaky pass does not fail the run');
        const rows = await db.pool.any(sql.type(attemptRow)`
          SELECT ${attemptColumns} FROM workflow_executions ORDER BY retry`);
        assert.deepEqual(
          rows.map((r) => [r.retry, r.status, r.outcome, r.failedStep]),
          [
            [0, 'failed', 'unexpected', 'Wobble'],
            [1, 'passed', 'flaky', null],
          ],
        );
        assert.ok(rows[0]!.tracePath && existsSync(rows[0]!.tracePath), 'the failed attempt keeps its trace');
      } finally {
        await removeRun(run);
      }
    });
  } finally {
    await db.drop();
    await rm(stateDir, { recursive: true, force: true });
    await rm(specs, { recursive: true, force: true });
  }
});

test('PostgreSQL stopped mid-run: the run goes on, rows are spooled, replayed exactly once', async () => {
  const stateDir = await tempStateDir();
  try {
    const url = await ensureDatabaseUrl({ stateDir, databaseUrl: null, ephemeral: true, log: () => undefined });
    let pool = await createDbPool(url);
    await withDemo('', async (demo) => {
      const running = runPlaywright(
        ['test', '--retries=0', '--workers=1'],
        { BASE_URL: demo.url, DATABASE_URL: '', MONITOR_STATE_DIR: stateDir, MONITOR_RUN_ID: 'run_outage_1' },
        { monitor: true },
      );
      // Stop the server as soon as the first execution has landed.
      let stopped = false;
      for (let i = 0; i < 600 && !stopped; i++) {
        const n = await count(pool, 'workflow_executions').catch(() => 0);
        if (n >= 1) {
          await pool.end();
          await stopEmbedded({ stateDir, log: () => undefined });
          stopped = true;
        } else {
          await new Promise((r) => setTimeout(r, 250));
        }
      }
      assert.ok(stopped, 'the first execution landed');
      const run = await running;
      try {
        assert.equal(run.code, 0, `the run's exit code stays the workflows' own: ${run.stderr}`);
        assert.match(run.stderr, /spool/);
        assert.ok((await pendingEntries(stateDir)) > 0, 'rows wait in the outbox');
      } finally {
        await removeRun(run);
      }
    });
    // Back up: the next process replays the outbox; a copy replayed again adds nothing.
    await ensureDatabaseUrl({ stateDir, databaseUrl: null, log: () => undefined });
    pool = await createDbPool(url);
    const [file] = await readdir(outboxDir(stateDir));
    await copyFile(join(outboxDir(stateDir), file!), join(stateDir, 'outbox-copy.jsonl'));
    const replayed = await replayOutbox(stateDir, (entries) => applyEntries(pool, entries));
    assert.ok(replayed.entries > 0);
    assert.equal(await count(pool, 'workflow_executions'), 6, 'every execution arrived');
    assert.equal(await pendingEntries(stateDir), 0);
    await copyFile(join(stateDir, 'outbox-copy.jsonl'), join(outboxDir(stateDir), 'again.jsonl'));
    await replayOutbox(stateDir, (entries) => applyEntries(pool, entries));
    assert.equal(await count(pool, 'workflow_executions'), 6, 'exactly once');
    assert.equal(await count(pool, 'workflow_metrics'), 6);
    const status = await pool.oneFirst(
      sql.type(z.object({ status: z.string() }))`SELECT status FROM monitor_runs WHERE run_id = 'run_outage_1'`,
    );
    assert.equal(status, 'passed');
    await pool.end();
  } finally {
    await stopEmbedded({ stateDir, log: () => undefined }).catch(() => false);
    await rm(stateDir, { recursive: true, force: true });
  }
});

test('two runs started at the same moment on a fresh embedded database both succeed', async () => {
  const stateDir = await tempStateDir();
  try {
    await withDemo('', async (demo) => {
      const env = { BASE_URL: demo.url, DATABASE_URL: '', MONITOR_STATE_DIR: stateDir };
      const [a, b] = await Promise.all([
        runPlaywright(['test', '--retries=0', '--grep', '@health-check(?![-\\w])'], env, { monitor: true }),
        runPlaywright(['test', '--retries=0', '--grep', '@user-login(?![-\\w])'], env, { monitor: true }),
      ]);
      try {
        assert.equal(a.code, 0, a.stderr);
        assert.equal(b.code, 0, b.stderr);
        assert.doesNotMatch(a.stderr + b.stderr, /spool|unavailable/);
      } finally {
        await removeRun(a);
        await removeRun(b);
      }
    });
    const pool = await createDbPool(await ensureDatabaseUrl({ stateDir, databaseUrl: null, log: () => undefined }));
    assert.equal(await count(pool, 'monitor_runs'), 2);
    assert.equal(await count(pool, 'workflow_executions'), 2);
    await pool.end();
  } finally {
    await stopEmbedded({ stateDir, log: () => undefined }).catch(() => false);
    await rm(stateDir, { recursive: true, force: true });
  }
});
