// The reporter's persistence against a real (embedded) PostgreSQL: a row it still refuses after
// cleaning is a dead letter with its reason, the others are stored, and the end-of-run line says so.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'slonik';
import { z } from 'zod';
import { readDeadLetters } from '../db/outbox-dead.ts';
import { pendingEntries } from '../db/outbox.ts';
import type { RunRecord } from '../core/records.ts';
import { executionRecord } from '../test/helpers/db.ts';
import { runRecord } from '../test/helpers/records.ts';
import { ownPostgres } from '../test/faults/helpers/pg-freeze.ts';
import { Persistence } from './persistence.ts';

test('a refused row is dead-lettered with its reason, the good ones are stored, the summary counts both', async () => {
  const pg = await ownPostgres();
  const lines: string[] = [];
  const persistence = new Persistence({
    stateDir: pg.stateDir,
    databaseUrl: pg.url,
    runId: 'p_run',
    log: (l) => lines.push(l),
    timeoutMs: 10_000,
  });
  try {
    const run: RunRecord = runRecord({ runId: 'p_run' });
    assert.equal(
      await persistence.save([
        { kind: 'run', record: run },
        { kind: 'execution', record: executionRecord({ runId: 'p_run', testId: 'ok', error: 'nul \u0000 inside' }) },
      ]),
      true,
    );
    assert.equal(
      await persistence.save([
        { kind: 'run', record: run },
        { kind: 'execution', record: executionRecord({ runId: 'p_run', testId: 'bad', status: 'exploded' as never }) },
      ]),
      false,
    );
    assert.equal(persistence.summary(2), '2 execution(s): 1 recorded, 1 refused by PostgreSQL (outbox/dead/)');
    const dead = await readDeadLetters(pg.stateDir);
    assert.equal(dead.length, 1);
    assert.match(dead[0]!.reason, /refused by PostgreSQL: .*check/i);
    assert.equal(await pendingEntries(pg.stateDir), 0, 'nothing is left to block later replays');
    assert.ok(
      lines.some((l) => /1 row\(s\) refused by PostgreSQL, moved to outbox\/dead\//.test(l)),
      lines.join('\n'),
    );
  } finally {
    await persistence.close();
    await pg.stop();
  }
});

test('saves made together are written as batches, and each save still learns its own outcome', async () => {
  const pg = await ownPostgres();
  const persistence = new Persistence({
    stateDir: pg.stateDir,
    databaseUrl: pg.url,
    runId: 'b_run',
    log: () => undefined,
    timeoutMs: 10_000,
    batchSize: 8,
  });
  try {
    const run: RunRecord = runRecord({ runId: 'b_run' });
    const saves = Array.from({ length: 20 }, (_, i) =>
      persistence.save([
        { kind: 'run', record: run },
        {
          kind: 'execution',
          record: executionRecord({
            runId: 'b_run',
            testId: `t${i}`,
            ...(i === 13 ? { status: 'exploded' as never } : {}),
          }),
        },
      ]),
    );
    const outcomes = await Promise.all(saves);
    assert.deepEqual(
      outcomes.flatMap((ok, i) => (ok ? [] : [i])),
      [13],
      'only the refused row fails its save',
    );
    assert.equal(persistence.summary(20), '20 execution(s): 19 recorded, 1 refused by PostgreSQL (outbox/dead/)');
    const pool = await persistence.ready;
    const stored = await pool!.oneFirst(sql.type(z.object({ n: z.number() }))`
      SELECT count(*)::integer AS n FROM workflow_executions WHERE run_id = 'b_run'`);
    assert.equal(stored, 19);
    assert.equal((await readDeadLetters(pg.stateDir)).length, 1);
  } finally {
    await persistence.close();
    await pg.stop();
  }
});
