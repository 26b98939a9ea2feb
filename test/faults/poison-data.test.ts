// Issue 14, item 1: poison data must not stop everything. A NUL byte and lone surrogates in the
// target's /api/health JSON, and an outbox left by an older version holding a NUL row and an
// entry PostgreSQL refuses whatever is done to it, against a real (embedded) PostgreSQL: every
// run is recorded, the storable rows are stored with a marker, the refused entry becomes a
// dead letter with its reason, and /healthz shows the backlog and the dead letters.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'slonik';
import { z } from 'zod';
import { createDbPool } from '../../db/pool.ts';
import { outboxStatus, spool, type OutboxEntry } from '../../db/outbox.ts';
import { readDeadLetters } from '../../db/outbox-dead.ts';
import type { RunRecord } from '../../core/records.ts';
import { executionRecord } from '../helpers/db.ts';
import { removeRun, runPlaywright } from '../helpers/playwright-run.ts';
import { replayLocalOutbox } from '../../scheduler/housekeeping.ts';
import { createHttpServer } from '../../scheduler/http-server.ts';
import { addDaemonRoutes } from '../../scheduler/routes.ts';
import { createMetrics } from '../../scheduler/metrics.ts';
import { ledger } from './helpers/counts.ts';
import { startPayloadTarget } from './helpers/payload-target.ts';
import { ownPostgres } from './helpers/pg-freeze.ts';

const runRecord = (runId: string): RunRecord => ({
  runId,
  trigger: 'manual',
  grep: null,
  host: 'h',
  startedAt: new Date(),
  endedAt: new Date(),
  status: 'passed',
  ciUrl: null,
});

// As the target sends it: JSON escapes for a NUL, a lone high and a lone low surrogate, also in a key.
const poisonHealth =
  '{"status":"healthy","checks":{"database":{"status":"healthy","message":"db\\u0000ok \\ud800"},' +
  '"cache":{"status":"healthy"}},"note":"\\udc00 tail","k\\u0000ey":1}';

test('poison in /api/health and in the outbox: every run recorded, markers stored, the refused entry dead-lettered, nothing blocked', async () => {
  const pg = await ownPostgres();
  const target = await startPayloadTarget({ health: [{ body: poisonHealth }] });
  const pool = await createDbPool(pg.url);
  try {
    // An outbox as the previous version left it: a row with a NUL in its error (refused then,
    // storable now), and a row no cleaning makes storable (a priority the schema forbids).
    const nulRow = executionRecord({
      runId: 'old_run',
      testId: 'nul',
      error: 'boom\u0000here',
      status: 'failed',
      outcome: 'unexpected',
    });
    const refused = executionRecord({ runId: 'old_run', testId: 'refused', priority: 'urgent' as never });
    await spool(pg.stateDir, 'old_run', [
      { kind: 'run', record: runRecord('old_run') },
      { kind: 'execution', record: nulRow },
      { kind: 'execution', record: refused },
    ] as OutboxEntry[]);

    const env = { BASE_URL: target.url, DATABASE_URL: '', MONITOR_STATE_DIR: pg.stateDir, MONITOR_RUN_ID: '' };
    const lines: string[] = [];
    for (const runId of ['poison_run_1', 'poison_run_2']) {
      const run = await runPlaywright(
        ['test', '--retries=0', '--grep', '@health-check(?![-\\w])'],
        { ...env, MONITOR_RUN_ID: runId },
        { monitor: true },
      );
      try {
        assert.equal(run.code, 0, `the health check passes: the platform said healthy\n${run.stderr}`);
        lines.push(run.stderr);
        assert.match(
          run.stderr,
          new RegExp(`run ${runId}: 1 execution\\(s\\): 1 recorded\\n`),
          'the end-of-run line is true',
        );
      } finally {
        await removeRun(run);
      }
    }
    assert.match(lines[0]!, /refused by PostgreSQL/, 'the first run says it moved an entry aside');
    assert.doesNotMatch(lines.join('\n'), /database unavailable/);

    // Counts: 2 runs + the storable old row stored, the refused one dead, nothing waiting.
    const counted = await ledger(pool, pg.stateDir);
    assert.deepEqual(counted, { stored: 3, storedKeys: 3, spooled: 0, dead: 1 }, '0 lost, 0 duplicated');
    const stored = await pool.any(sql.type(
      z.object({ message: z.string().nullable(), note: z.string().nullable(), keys: z.array(z.string()) }),
    )`
      SELECT payload #>> '{checks,database,message}' AS message, payload ->> 'note' AS note,
        ARRAY(SELECT jsonb_object_keys(payload)) AS keys FROM system_health_checks`);
    assert.equal(stored.length, 2);
    for (const s of stored) {
      assert.equal(s.message, 'db\uFFFDok \uFFFD', 'NUL and the lone surrogate became the marker');
      assert.equal(s.note, '\uFFFD tail');
      assert.ok(s.keys.includes('k\uFFFDey'), 'keys are cleaned too');
    }
    const oldError = await pool.oneFirst(sql.type(z.object({ error: z.string().nullable() }))`
      SELECT error FROM workflow_executions WHERE run_id = 'old_run' AND test_id = 'nul'`);
    assert.equal(oldError, 'boom\uFFFDhere');
    const [dead] = await readDeadLetters(pg.stateDir);
    assert.match(dead!.reason, /refused by PostgreSQL: .*check/i, 'the dead letter says why');
    assert.equal(
      (JSON.parse(dead!.line) as { record: { testId: string } }).record.testId,
      'refused',
      'and keeps the entry as it was',
    );
  } finally {
    await pool.end();
    await target.close();
    await pg.stop();
  }
});

test("the daemon's replay: a refused entry never blocks the files after it; /healthz shows the backlog, then the dead letters", async () => {
  const pg = await ownPostgres();
  const pool = await createDbPool(pg.url);
  const server = createHttpServer();
  const health = {
    startedAt: new Date(),
    lastTickAt: new Date(),
    lastTickError: null,
    databaseReachable: true,
    enabled: true,
    workflows: 0,
    running: 0,
    stopping: false,
  };
  addDaemonRoutes(server, { health, staleMs: 60_000, metrics: createMetrics(), stateDir: pg.stateDir });
  const address = await server.listen(0, '127.0.0.1');
  const healthz = async () =>
    (await (await fetch(`http://127.0.0.1:${address.port}/healthz`)).json()) as Record<string, unknown>;
  try {
    // File a: a good row, a refused row, a row with lone surrogates in a step title; file b: two good rows.
    await spool(pg.stateDir, 'run_a', [
      { kind: 'run', record: runRecord('run_a') },
      { kind: 'execution', record: executionRecord({ runId: 'run_a', testId: 't1' }) },
      { kind: 'execution', record: executionRecord({ runId: 'run_a', testId: 't2', durationMs: 1e12 }) },
      {
        kind: 'execution',
        record: executionRecord({
          runId: 'run_a',
          testId: 't3',
          steps: [{ index: 0, title: 'Open \ud83d', durationMs: 1, error: '\udfff' }],
        }),
      },
    ]);
    await spool(pg.stateDir, 'run_b', [
      { kind: 'run', record: runRecord('run_b') },
      { kind: 'execution', record: executionRecord({ runId: 'run_b', testId: 't4' }) },
      { kind: 'execution', record: executionRecord({ runId: 'run_b', testId: 't5' }) },
    ]);
    const before = await healthz();
    assert.equal(before.spoolBacklog, 7, 'every waiting line is counted');
    assert.equal(before.deadLetters, 0);

    await replayLocalOutbox(pool, pg.stateDir, () => undefined);
    const counted = await ledger(pool, pg.stateDir);
    assert.deepEqual(
      counted,
      { stored: 4, storedKeys: 4, spooled: 0, dead: 1 },
      '5 expected = 4 stored + 1 dead: 0 lost, 0 duplicated',
    );
    const title = await pool.oneFirst(sql.type(z.object({ title: z.string() }))`
      SELECT s.title FROM workflow_steps s JOIN workflow_executions e ON e.id = s.execution_id WHERE e.test_id = 't3'`);
    assert.equal(title, 'Open \uFFFD');
    const after = await healthz();
    assert.equal(after.spoolBacklog, 0);
    assert.equal(after.deadLetters, 1);
    assert.match(
      String((after.lastDeadLetter as { reason: string }).reason),
      /refused by PostgreSQL: .*(out of range|integer)/i,
    );
    // Replaying again adds nothing, and the dead letter is not retried on every pass.
    await replayLocalOutbox(pool, pg.stateDir, () => undefined);
    assert.deepEqual(await ledger(pool, pg.stateDir), counted);
    assert.equal((await outboxStatus(pg.stateDir)).deadLetters, 1);
  } finally {
    await server.close();
    await pool.end();
    await pg.stop();
  }
});
