// When PostgreSQL cannot be reached, rows wait in an append-only outbox file per run and are
// replayed by the next process that can reach it. Replays are safe to repeat: executions
// are unique on (run_id, test_id, retry) and runs are upserted.
import { appendFile, mkdir, readdir, readFile, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { ExecutionRecord, NotificationLogRecord, RunRecord } from './types.ts';

export type OutboxEntry =
  | { kind: 'run'; record: RunRecord }
  | { kind: 'execution'; record: ExecutionRecord }
  /** A delivery made while the database was away (offline alerting): its notification_logs row. */
  | { kind: 'notification'; record: NotificationLogRecord };

export const outboxDir = (stateDir: string): string => join(stateDir, 'outbox');

const fileFor = (stateDir: string, runId: string) =>
  join(outboxDir(stateDir), `${runId.replace(/[^\w.-]/g, '_')}.jsonl`);

export async function spool(stateDir: string, runId: string, entries: OutboxEntry[]): Promise<void> {
  if (!entries.length) return;
  await mkdir(outboxDir(stateDir), { recursive: true });
  await appendFile(fileFor(stateDir, runId), entries.map((e) => `${JSON.stringify(e)}\n`).join(''));
}

const dateFields = ['startedAt', 'endedAt'] as const;

export function parseEntry(line: string): OutboxEntry | null {
  try {
    const entry = JSON.parse(line) as OutboxEntry;
    const record = entry.record as Record<string, unknown>;
    for (const field of dateFields) {
      if (typeof record[field] === 'string') record[field] = new Date(record[field]);
    }
    return entry.kind === 'run' || entry.kind === 'execution' || entry.kind === 'notification' ? entry : null;
  } catch {
    return null; // a line cut short by a crash mid-write: the rest of the file still counts
  }
}

export type ReplayResult = { files: number; entries: number; failed: number };

/**
 * Hands every spooled entry to `apply`, one file at a time. A file is claimed by renaming it
 * first, so two processes replaying at once never apply the same file concurrently; when
 * `apply` fails, the entries go back to the outbox for the next attempt.
 */
const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** A process killed mid-replay leaves its claimed file behind: give it back to the outbox. */
async function reclaimAbandoned(dir: string, names: string[]): Promise<void> {
  for (const name of names) {
    const match = /^(.+\.jsonl)\.replaying-(\d+)-\d+$/.exec(name);
    if (!match || alive(Number(match[2]))) continue;
    const text = await readFile(join(dir, name), 'utf8').catch(() => null);
    if (text === null) continue;
    await appendFile(join(dir, match[1]!), text);
    await unlink(join(dir, name)).catch(() => undefined);
  }
}

export async function replayOutbox(stateDir: string, apply: (entries: OutboxEntry[]) => Promise<void>): Promise<ReplayResult> {
  const dir = outboxDir(stateDir);
  await reclaimAbandoned(dir, await readdir(dir).catch(() => [] as string[]));
  const names = await readdir(dir).catch(() => [] as string[]);
  const result: ReplayResult = { files: 0, entries: 0, failed: 0 };
  for (const name of names.filter((n) => n.endsWith('.jsonl'))) {
    const claimed = join(dir, `${name}.replaying-${process.pid}-${Date.now()}`);
    try {
      await rename(join(dir, name), claimed);
    } catch {
      continue; // another process claimed it
    }
    const text = await readFile(claimed, 'utf8');
    const entries = text.split('\n').filter(Boolean).map(parseEntry).filter((e): e is OutboxEntry => e !== null);
    try {
      await apply(entries);
      await unlink(claimed);
      result.files++;
      result.entries += entries.length;
    } catch (error) {
      await appendFile(join(dir, name), text);
      await unlink(claimed);
      result.failed++;
      if (result.failed === 1) throw error;
    }
  }
  return result;
}

/** Entries in the outbox, without claiming them (status and tests). */
export async function pendingEntries(stateDir: string): Promise<number> {
  const dir = outboxDir(stateDir);
  const names = await readdir(dir).catch(() => [] as string[]);
  let count = 0;
  for (const name of names) {
    if (name.endsWith('.jsonl')) count += (await readFile(join(dir, name), 'utf8')).split('\n').filter(Boolean).length;
  }
  return count;
}
