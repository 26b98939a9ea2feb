// When PostgreSQL cannot be reached, rows wait in an append-only outbox file per run and are
// replayed by the next process that can reach it. Replays are safe to repeat: executions
// are unique on (run_id, test_id, retry) and runs are upserted. An entry that PostgreSQL
// refuses for what it holds (not because it is away) becomes a dead letter (db/outbox-dead.ts)
// and never blocks the others.
import { appendFile, mkdir, readdir, readFile, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { ExecutionRecord, NotificationLogRecord, RunRecord } from '../core/records.ts';
import { isEntryError } from './pg-error.ts';
import { readDeadLetters, writeDeadLetters, type DeadLetter } from './outbox-dead.ts';
import { pidAlive } from './file-lock.ts';

export type OutboxEntry =
  | { kind: 'run'; record: RunRecord }
  | { kind: 'execution'; record: ExecutionRecord }
  /** A delivery made while the database was away (offline alerting): its notification_logs row. */
  | { kind: 'notification'; record: NotificationLogRecord };

export type ApplyEntries = (entries: OutboxEntry[]) => Promise<void>;

export const outboxDir = (stateDir: string): string => join(stateDir, 'outbox');

export const outboxFileName = (runId: string): string => `${runId.replace(/[^\w.-]/g, '_')}.jsonl`;

const fileFor = (stateDir: string, runId: string) => join(outboxDir(stateDir), outboxFileName(runId));

const lineOf = (e: OutboxEntry): string => JSON.stringify(e);

export async function spool(stateDir: string, runId: string, entries: OutboxEntry[]): Promise<void> {
  if (!entries.length) return;
  await mkdir(outboxDir(stateDir), { recursive: true });
  await appendFile(fileFor(stateDir, runId), entries.map((e) => `${lineOf(e)}\n`).join(''));
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
    return null; // a line cut short by a crash mid-write: a dead letter, the rest of the file still counts
  }
}

export const describeError = (error: unknown): string => {
  const e = error as { message?: string; code?: string; cause?: { message?: string } };
  const message = (e?.message ?? String(error)).split('\n')[0]!;
  const cause = e?.cause?.message && e.cause.message !== message ? `: ${e.cause.message.split('\n')[0]}` : '';
  return `${message}${cause}${e?.code ? ` (${e.code})` : ''}`;
};

export type Isolated = {
  applied: OutboxEntry[];
  dead: (DeadLetter & { entry: OutboxEntry })[];
  rest: OutboxEntry[];
  error: unknown;
};

/**
 * Applies the entries as one batch; when PostgreSQL refuses the batch for its contents, applies
 * them one by one (runs first), so that only the entries it refuses again are set aside as dead.
 * Stops at the first error that is the database's state (`error`, with the entries not applied
 * in `rest`).
 */
export async function applyIsolated(
  entries: OutboxEntry[],
  apply: ApplyEntries,
  lineFor: (e: OutboxEntry) => string = lineOf,
): Promise<Isolated> {
  const result: Isolated = { applied: [], dead: [], rest: [], error: null };
  if (!entries.length) return result;
  try {
    await apply(entries);
    result.applied = entries;
    return result;
  } catch (error) {
    if (!isEntryError(error)) return { ...result, rest: entries, error };
  }
  const ordered = [...entries.filter((e) => e.kind === 'run'), ...entries.filter((e) => e.kind !== 'run')];
  for (const [i, entry] of ordered.entries()) {
    try {
      await apply([entry]);
      result.applied.push(entry);
    } catch (error) {
      if (!isEntryError(error)) return { ...result, rest: ordered.slice(i), error };
      result.dead.push({ entry, line: lineFor(entry), reason: `refused by PostgreSQL: ${describeError(error)}` });
    }
  }
  return result;
}

export type ReplayResult = { files: number; entries: number; failed: number; deadLettered: number };

/** A process killed mid-replay leaves its claimed file behind: give it back to the outbox. */
async function reclaimAbandoned(dir: string, names: string[]): Promise<void> {
  for (const name of names) {
    const match = /^(.+\.jsonl)\.replaying-(\d+)-\d+$/.exec(name);
    if (!match || pidAlive(Number(match[2]))) continue;
    const text = await readFile(join(dir, name), 'utf8').catch(() => null);
    if (text === null) continue;
    await appendFile(join(dir, match[1]!), text);
    await unlink(join(dir, name)).catch(() => undefined);
  }
}

/**
 * Hands every spooled entry to `apply`, one file at a time. A file is claimed by renaming it
 * first, so two processes replaying at once never apply the same file concurrently. Entries
 * PostgreSQL refuses for their contents, and lines that are not entries, become dead letters;
 * when the database itself fails, the entries not applied go back to the outbox and the error
 * is thrown (the other files wait for the next attempt).
 */
export async function replayOutbox(stateDir: string, apply: ApplyEntries): Promise<ReplayResult> {
  const dir = outboxDir(stateDir);
  await reclaimAbandoned(dir, await readdir(dir).catch(() => [] as string[]));
  const names = await readdir(dir).catch(() => [] as string[]);
  const result: ReplayResult = { files: 0, entries: 0, failed: 0, deadLettered: 0 };
  for (const name of names.filter((n) => n.endsWith('.jsonl'))) {
    const claimed = join(dir, `${name}.replaying-${process.pid}-${Date.now()}`);
    try {
      await rename(join(dir, name), claimed);
    } catch {
      continue; // another process claimed it
    }
    const lines = (await readFile(claimed, 'utf8')).split('\n').filter(Boolean);
    const original = new Map<OutboxEntry, string>();
    const unreadable: DeadLetter[] = [];
    for (const line of lines) {
      const entry = parseEntry(line);
      if (entry) original.set(entry, line);
      else unreadable.push({ line, reason: 'not a readable outbox entry (a line cut short by a crash?)' });
    }
    const lineFor = (e: OutboxEntry) => original.get(e) ?? lineOf(e);
    const outcome = await applyIsolated([...original.keys()], apply, lineFor);
    await writeDeadLetters(stateDir, name, [...unreadable, ...outcome.dead]);
    if (outcome.rest.length) await appendFile(join(dir, name), outcome.rest.map((e) => `${lineFor(e)}\n`).join(''));
    await unlink(claimed);
    result.entries += outcome.applied.length;
    result.deadLettered += unreadable.length + outcome.dead.length;
    if (outcome.error) {
      result.failed++;
      throw outcome.error;
    }
    result.files++;
  }
  return result;
}

/** Entries in the outbox, without claiming them (status and tests). */
export async function pendingEntries(stateDir: string): Promise<number> {
  return (await outboxStatus(stateDir)).pendingEntries;
}

export type OutboxStatus = {
  pendingEntries: number;
  pendingFiles: number;
  deadLetters: number;
  lastDeadLetter: { at: string; reason: string } | null;
};

/** The spool backlog and the dead letters, for /healthz and the dashboard. */
export async function outboxStatus(stateDir: string): Promise<OutboxStatus> {
  const dir = outboxDir(stateDir);
  const names = await readdir(dir).catch(() => [] as string[]);
  let pending = 0;
  let files = 0;
  for (const name of names) {
    // Claimed files (".replaying-") are still waiting too: counted until their replay ends.
    if (!/\.jsonl($|\.replaying-)/.test(name)) continue;
    const text = await readFile(join(dir, name), 'utf8').catch(() => '');
    const n = text.split('\n').filter(Boolean).length;
    if (n) {
      pending += n;
      files++;
    }
  }
  const dead = await readDeadLetters(stateDir);
  const last = dead.reduce<(typeof dead)[number] | null>((a, b) => (!a || b.at > a.at ? b : a), null);
  return {
    pendingEntries: pending,
    pendingFiles: files,
    deadLetters: dead.length,
    lastDeadLetter: last ? { at: last.at, reason: last.reason } : null,
  };
}

/** Execution entries waiting in one run's outbox file (the daemon's end-of-run line). */
export async function spooledExecutions(stateDir: string, runId: string): Promise<number> {
  const text = await readFile(fileFor(stateDir, runId), 'utf8').catch(() => '');
  return text.split('\n').filter((l) => l.includes('"kind":"execution"')).length;
}
