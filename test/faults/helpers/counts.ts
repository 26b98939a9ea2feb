// What a fault test counts: executions stored in PostgreSQL, waiting in the outbox, set aside as
// dead letters; "0 lost, 0 duplicated" is expected = stored + spooled + dead, each key once.
import { sql } from 'slonik';
import { z } from 'zod';
import type { DbPool } from '../../../db/pool.ts';
import { outboxDir } from '../../../db/outbox.ts';
import { readDeadLetters } from '../../../db/outbox-dead.ts';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

export type Ledger = { stored: number; storedKeys: number; spooled: number; dead: number };

/** Executions in the database (rows, and distinct (run, test, retry) keys), the outbox and the dead letters. */
export async function ledger(pool: DbPool, stateDir: string, runIds?: string[]): Promise<Ledger> {
  const filter = runIds ? sql.fragment`WHERE run_id = ANY(${sql.array(runIds, 'text')})` : sql.fragment``;
  const row = await pool.one(sql.type(z.object({ stored: z.number(), keys: z.number() }))`
    SELECT count(*)::int AS stored, count(DISTINCT (run_id, test_id, retry))::int AS keys FROM workflow_executions ${filter}`);
  let spooled = 0;
  for (const name of await readdir(outboxDir(stateDir)).catch(() => [] as string[])) {
    if (!name.endsWith('.jsonl')) continue;
    const text = await readFile(join(outboxDir(stateDir), name), 'utf8');
    spooled += text.split('\n').filter((l) => l.includes('"kind":"execution"')).length;
  }
  const dead = (await readDeadLetters(stateDir)).filter((d) => d.line.includes('"kind":"execution"')).length;
  return { stored: row.stored, storedKeys: row.keys, spooled, dead };
}
