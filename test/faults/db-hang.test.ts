// Issue 14, item 2: a database that hangs mid-run loses nothing. The embedded PostgreSQL's
// postmaster and backends are stopped with SIGSTOP once the first of three executions has
// landed; the other two must be spooled within the reporter's bound, the run must end with a
// true summary printed last, and after SIGCONT a replay stores each execution exactly once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFile, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sql } from 'slonik';
import { z } from 'zod';
import { createDbPool } from '../../db/pool.ts';
import { outboxDir, replayOutbox } from '../../db/outbox.ts';
import { applyEntries } from '../../reporters/persistence.ts';
import { removeRun, repoRoot, runPlaywright } from '../helpers/playwright-run.ts';
import { ledger } from './helpers/counts.ts';
import { startPayloadTarget } from './helpers/payload-target.ts';
import { freezePostgres, ownPostgres } from './helpers/pg-freeze.ts';

const gateSpec = (id: string, title: string) => `import { test, expect, workflow } from '../fixtures/index.ts';
test('${title}', workflow({ id: '${id}', priority: 'low', schedule: '*/5 * * * *' }), async ({ request }) => {
  await test.step('Pass the gate', async () => { expect((await request.get('/api/gate', { timeout: 120_000 })).status()).toBe(200); });
});
`;

/** Gate specs (`gate-a` "Gate A", ...) in a suite folder below the repository root. */
async function gateSuite(letters: string[]): Promise<string> {
  const specs = await mkdtemp(join(repoRoot, '.monitor-test-specs-hang-'));
  for (const l of letters)
    await writeFile(join(specs, `gate-${l}.spec.ts`), gateSpec(`gate-${l}`, `Gate ${l.toUpperCase()}`));
  return specs;
}

/** The gate suite on one worker, recorded into `stateDir`'s embedded PostgreSQL. */
function runGates(
  target: { url: string },
  stateDir: string,
  specs: string,
  runId: string,
  env: Record<string, string>,
) {
  return runPlaywright(
    ['test', '--retries=0', '--workers=1'],
    {
      BASE_URL: target.url,
      DATABASE_URL: '',
      MONITOR_STATE_DIR: stateDir,
      MONITOR_RUN_ID: runId,
      MONITOR_WORKFLOWS_DIR: specs,
      ...env,
    },
    { monitor: true, timeoutMs: 300_000 },
  );
}

/** Whatever happened: the server thawed and stopped, the target closed, the suite removed. */
async function cleanUp(
  thaw: (() => void) | null,
  target: { close(): Promise<unknown> },
  specs: string,
  pg: { stop(): Promise<unknown> },
): Promise<void> {
  thaw?.();
  await target.close();
  await rm(specs, { recursive: true, force: true });
  await pg.stop();
}

test('PostgreSQL hung by SIGSTOP after the first row: 3 executions = 1 recorded + 2 spooled, summary last and true, replayed exactly once', async () => {
  const pg = await ownPostgres();
  // The first /api/gate request passes; the others wait until the database is frozen.
  const target = await startPayloadTarget({ gateFreePasses: 1 });
  const specs = await gateSuite(['a', 'b', 'c']);
  let thaw: (() => void) | null = null;
  try {
    const runId = 'hang_run_1';
    const running = runGates(target, pg.stateDir, specs, runId, { MONITOR_DB_TIMEOUT_MS: '4000' });

    let pool = await createDbPool(pg.url);
    let landed = 0;
    for (let i = 0; i < 1200 && landed < 1; i++) {
      landed = (await ledger(pool, pg.stateDir, [runId]).catch(() => ({ stored: 0 }))).stored;
      if (!landed) await new Promise((r) => setTimeout(r, 250));
    }
    assert.equal(landed, 1, 'the first execution landed');
    await target.gateReached(2); // the second test is waiting at the gate: nothing else can land
    await pool.end();
    thaw = await freezePostgres(pg.stateDir);
    target.openGate();

    const run = await running;
    try {
      assert.equal(run.code, 0, `the run's exit code stays the workflows' own\n${run.stderr}`);
      const lines = run.stderr.split('\n').filter((l) => l.startsWith('[monitor]'));
      const summary = `[monitor] run ${runId}: 3 execution(s): 1 recorded, 2 spooled to the outbox for replay`;
      assert.equal(lines.at(-1), summary, `the summary is true and printed last:\n${lines.join('\n')}`);
      // Frozen: only the outbox can be read now. Two executions wait there.
      const files = (await readdir(outboxDir(pg.stateDir))).filter((n) => n.endsWith('.jsonl'));
      assert.deepEqual(files, [`${runId}.jsonl`]);
    } finally {
      await removeRun(run);
    }

    thaw();
    pool = await createDbPool(pg.url);
    await copyFile(join(outboxDir(pg.stateDir), `${runId}.jsonl`), join(pg.stateDir, 'outbox-copy.jsonl'));
    const replayed = await replayOutbox(pg.stateDir, (entries) => applyEntries(pool, entries));
    assert.equal(replayed.deadLettered, 0);
    assert.deepEqual(
      await ledger(pool, pg.stateDir, [runId]),
      { stored: 3, storedKeys: 3, spooled: 0, dead: 0 },
      '3 expected: 0 lost, 0 duplicated',
    );
    // The same file replayed a second time (two processes, a crash mid-replay) adds nothing.
    await copyFile(join(pg.stateDir, 'outbox-copy.jsonl'), join(outboxDir(pg.stateDir), 'again.jsonl'));
    await replayOutbox(pg.stateDir, (entries) => applyEntries(pool, entries));
    assert.deepEqual(
      await ledger(pool, pg.stateDir, [runId]),
      { stored: 3, storedKeys: 3, spooled: 0, dead: 0 },
      'exactly once',
    );
    const status = await pool.oneFirst(
      sql.type(z.object({ status: z.string() }))`SELECT status FROM monitor_runs WHERE run_id = ${runId}`,
    );
    assert.equal(status, 'passed', 'the final run row arrived too');
    await pool.end();
  } finally {
    await cleanUp(thaw, target, specs, pg);
  }
});

test('PostgreSQL hung before the run starts: the saves still waiting at the end are spooled, the summary is last and true, replayed once', async () => {
  const pg = await ownPostgres();
  const target = await startPayloadTarget({ gateFreePasses: 1000 });
  const specs = await gateSuite(['a', 'b']);
  let thaw: (() => void) | null = null;
  try {
    const runId = 'hang_run_2';
    thaw = await freezePostgres(pg.stateDir);
    // Connecting to a server that answers nothing outlasts the drain: what still waits then is spooled.
    const run = await runGates(target, pg.stateDir, specs, runId, {
      MONITOR_DB_TIMEOUT_MS: '2000',
      MONITOR_DRAIN_TIMEOUT_MS: '3000',
    });
    try {
      assert.equal(run.code, 0, `the run's exit code stays the workflows' own\n${run.stderr}`);
      const lines = run.stderr.split('\n').filter((l) => l.startsWith('[monitor]'));
      assert.equal(
        lines.at(-1),
        `[monitor] run ${runId}: 2 execution(s): 0 recorded, 2 spooled to the outbox for replay`,
        `the summary is true and printed last:\n${lines.join('\n')}`,
      );
    } finally {
      await removeRun(run);
    }
    thaw();
    const pool = await createDbPool(pg.url);
    await replayOutbox(pg.stateDir, (entries) => applyEntries(pool, entries));
    await replayOutbox(pg.stateDir, (entries) => applyEntries(pool, entries));
    assert.deepEqual(
      await ledger(pool, pg.stateDir, [runId]),
      { stored: 2, storedKeys: 2, spooled: 0, dead: 0 },
      '2 expected: 0 lost, 0 duplicated',
    );
    await pool.end();
  } finally {
    await cleanUp(thaw, target, specs, pg);
  }
});
