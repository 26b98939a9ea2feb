import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { outboxDir, parseEntry, pendingEntries, replayOutbox, spool } from './outbox.ts';
import type { OutboxEntry } from './outbox.ts';
import { executionRecord } from '../test/helpers/db.ts';
import { runRecord } from '../test/helpers/records.ts';

test('spooled entries come back with their dates, and a failed replay keeps them', async () => {
  const state = await mkdtemp(join(tmpdir(), 'wm-outbox-'));
  try {
    const record = executionRecord();
    await spool(state, 'run/1', [{ kind: 'execution', record }]);
    await spool(state, 'run/1', [
      {
        kind: 'run',
        record: runRecord({ runId: 'run/1' }),
      },
    ]);
    assert.equal(await pendingEntries(state), 2);
    await assert.rejects(
      replayOutbox(state, async () => {
        throw new Error('database down');
      }),
      /database down/,
    );
    assert.equal(await pendingEntries(state), 2, 'nothing lost when the replay fails');
    const seen: OutboxEntry[] = [];
    const result = await replayOutbox(state, async (entries) => {
      seen.push(...entries);
    });
    assert.deepEqual(result, { files: 1, entries: 2, failed: 0, deadLettered: 0 });
    const replayed = seen[0]!.record as typeof record;
    assert.ok(replayed.startedAt instanceof Date);
    assert.equal(replayed.startedAt.getTime(), record.startedAt.getTime());
    assert.equal(await pendingEntries(state), 0);
  } finally {
    await rm(state, { recursive: true, force: true });
  }
});

test('a file claimed by a process that died is replayed by the next one; torn lines become dead letters', async () => {
  const state = await mkdtemp(join(tmpdir(), 'wm-outbox-'));
  try {
    await spool(state, 'r', [{ kind: 'execution', record: executionRecord() }]);
    const [name] = await readdir(outboxDir(state));
    // pid 2147483647 does not exist: its claim is abandoned.
    const { rename } = await import('node:fs/promises');
    await rename(join(outboxDir(state), name!), join(outboxDir(state), `${name}.replaying-2147483647-1`));
    await writeFile(join(outboxDir(state), 'torn.jsonl'), '{"kind":"execution","rec');
    const seen: OutboxEntry[] = [];
    const result = await replayOutbox(state, async (entries) => {
      seen.push(...entries);
    });
    assert.equal(seen.length, 1);
    assert.equal(result.deadLettered, 1, 'the torn line is kept aside, not dropped');
    assert.equal(await pendingEntries(state), 0);
    assert.equal(parseEntry('not json'), null);
  } finally {
    await rm(state, { recursive: true, force: true });
  }
});
