// The reporter's persistence against a real (embedded) PostgreSQL: a row it still refuses after
// cleaning is a dead letter with its reason, the others are stored, and the end-of-run line says so.
import { test } from 'node:test';
import assert from 'node:assert/strict';
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
