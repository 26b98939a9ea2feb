// The reporter's way to the database: connect (embedded or DATABASE_URL), migrate, replay
// any outbox, then save rows; whenever PostgreSQL cannot be reached, or does not answer within
// the bound, rows go to the outbox; an entry PostgreSQL refuses for what it holds becomes a
// dead letter. Every execution ends as exactly one of recorded, spooled, dead-lettered or lost,
// which is what the end-of-run line counts.
import type { DbPool } from '../db/pool.ts';
import { openDatabase } from '../db/open.ts';
import { insertExecutions } from '../db/executions.ts';
import { upsertRun } from '../db/runs.ts';
import { applyIsolated, describeError, outboxFileName, replayOutbox, spool } from '../db/outbox.ts';
import type { OutboxEntry } from '../db/outbox.ts';
import { writeDeadLetters } from '../db/outbox-dead.ts';
import type { ExecutionRecord, NotificationLogRecord, RunRecord } from '../core/records.ts';
import { insertSpooledNotifications } from '../db/notification-logs.ts';

export type PersistenceLog = (message: string) => void;

export async function applyEntries(pool: DbPool, entries: OutboxEntry[]): Promise<void> {
  const executions = entries.filter((e) => e.kind === 'execution').map((e) => e.record as ExecutionRecord);
  const runs = entries.filter((e) => e.kind === 'run').map((e) => e.record as RunRecord);
  // A run before its executions; the last spooled state of a run wins.
  const latest = new Map(runs.map((r) => [r.runId, r]));
  for (const run of latest.values()) await upsertRun(pool, run);
  if (executions.length) await insertExecutions(pool, executions);
  await insertSpooledNotifications(pool, entries);
}

type Batch = { entries: OutboxEntry[]; settled: boolean };

const executionsIn = (entries: OutboxEntry[]) => entries.filter((e) => e.kind === 'execution').length;

class SaveTimeout extends Error {
  override name = 'SaveTimeout';
}

export type PersistenceOptions = {
  stateDir: string;
  databaseUrl: string | undefined;
  runId: string;
  log: PersistenceLog;
  /** Bound on each save (and on each statement and connection attempt); past it the rows are spooled. */
  timeoutMs?: number;
};

export class Persistence {
  private pool: DbPool | null = null;
  private closing = false;
  /** The pool once connected and migrated; null when the database is unavailable. */
  readonly ready: Promise<DbPool | null>;
  /** Executions this process replayed from the outbox: the alert policy gets them next (issue 14 item 3). */
  readonly replayed: ExecutionRecord[] = [];
  /** Executions (not run rows) by where they ended up, for the end-of-run line. */
  saved = 0;
  spooled = 0;
  deadLettered = 0;
  lost = 0;
  private readonly open = new Set<Batch>();
  private readonly options: PersistenceOptions;
  private readonly timeoutMs: number;

  constructor(options: PersistenceOptions) {
    this.options = options;
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.ready = this.connect();
  }

  /** Executions handed to save() whose outcome is not known yet. */
  get unsettled(): number {
    let n = 0;
    for (const b of this.open) n += executionsIn(b.entries);
    return n;
  }

  private async connect(): Promise<DbPool | null> {
    let pool: DbPool;
    try {
      const t = this.timeoutMs;
      ({ pool } = await openDatabase(this.options, {
        pool: {
          statementTimeoutMs: t,
          queryTimeoutMs: t + 1_000,
          connectionTimeoutMs: Math.min(5_000, t),
          connectionRetryLimit: 1,
        },
      }));
    } catch (error) {
      this.options.log(`database unavailable, spooling to the outbox: ${describe(error)}`);
      return null;
    }
    if (this.closing) {
      await pool.end().catch(() => undefined);
      return null;
    }
    this.pool = pool;
    // A replay that fails (the database went away again) leaves the outbox for the next process;
    // it does not make this run's own saves give up on a database that answers.
    try {
      const replayed = await replayOutbox(this.options.stateDir, async (entries) => {
        await applyEntries(pool, entries);
        this.replayed.push(...entries.flatMap((e) => (e.kind === 'execution' ? [e.record] : [])));
      });
      if (replayed.entries)
        this.options.log(`replayed ${replayed.entries} spooled rows from ${replayed.files} outbox file(s)`);
      if (replayed.deadLettered)
        this.options.log(`${replayed.deadLettered} outbox entr(y/ies) refused by PostgreSQL moved to outbox/dead/`);
    } catch (error) {
      this.options.log(`outbox replay stopped, the rest waits for the next run: ${describe(error)}`);
    }
    return pool;
  }

  /** Saves the entries (true), or spools/dead-letters them when the database cannot take them (false). Never throws. */
  async save(entries: OutboxEntry[]): Promise<boolean> {
    const batch: Batch = { entries, settled: false };
    this.open.add(batch);
    try {
      const pool = await this.ready;
      if (!pool) return await this.settle(batch);
      let timer: NodeJS.Timeout | undefined;
      const bound = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new SaveTimeout(`no answer from PostgreSQL within ${this.timeoutMs} ms`)),
          this.timeoutMs,
        );
      });
      const outcome = await Promise.race([applyIsolated(entries, (e) => applyEntries(pool, e)), bound])
        .catch((error: unknown) => ({ applied: [], dead: [], rest: entries, error }))
        .finally(() => clearTimeout(timer));
      if (batch.settled) return false; // spooled by settleAll() while we waited
      if (outcome.dead.length) {
        this.options.log(
          `${outcome.dead.length} row(s) refused by PostgreSQL, moved to outbox/dead/: ${outcome.dead[0]!.reason}`,
        );
        await this.deadLetter(outcome.dead);
      }
      this.saved += executionsIn(outcome.applied);
      if (!outcome.rest.length) return outcome.dead.length === 0;
      this.options.log(`could not save ${outcome.rest.length} row(s), spooling: ${describe(outcome.error)}`);
      return await this.settle({ entries: outcome.rest, settled: false });
    } finally {
      batch.settled = true;
      this.open.delete(batch);
    }
  }

  private async deadLetter(dead: { line: string; reason: string; entry: OutboxEntry }[]): Promise<void> {
    const n = executionsIn(dead.map((d) => d.entry));
    try {
      await writeDeadLetters(this.options.stateDir, outboxFileName(this.options.runId), dead);
      this.deadLettered += n;
    } catch (error) {
      this.lost += n;
      this.options.log(`could not write the dead letters either; ${dead.length} row(s) lost: ${describe(error)}`);
    }
  }

  private async settle(batch: Batch): Promise<false> {
    batch.settled = true;
    const n = executionsIn(batch.entries);
    try {
      await spool(this.options.stateDir, this.options.runId, batch.entries);
      this.spooled += n;
    } catch (error) {
      this.lost += n;
      this.options.log(`could not spool either; ${batch.entries.length} row(s) lost: ${describe(error)}`);
    }
    return false;
  }

  /**
   * Spools every save still waiting (for a connection that never came, a server that hangs), so
   * that when the run ends each execution is recorded or spooled. A save that still lands later
   * adds nothing on replay: inserts are idempotent.
   */
  async settleAll(): Promise<number> {
    const waiting = [...this.open].filter((b) => !b.settled);
    for (const b of waiting) {
      b.settled = true;
      await this.settle({ entries: b.entries, settled: false });
    }
    return waiting.reduce((n, b) => n + executionsIn(b.entries), 0);
  }

  /** One line, true when printed: every execution this run reported, by where it ended up. */
  summary(reported: number): string {
    const parts = [`${this.saved} recorded`];
    if (this.spooled) parts.push(`${this.spooled} spooled to the outbox for replay`);
    if (this.deadLettered) parts.push(`${this.deadLettered} refused by PostgreSQL (outbox/dead/)`);
    if (this.lost) parts.push(`${this.lost} lost`);
    const accounted = this.saved + this.spooled + this.deadLettered + this.lost;
    if (reported > accounted) parts.push(`${reported - accounted} not finished`);
    return `${reported} execution(s): ${parts.join(', ')}`;
  }

  /** A delivery log row made while the database was away: it lands with the replay. */
  async spoolNotification(record: NotificationLogRecord): Promise<void> {
    await spool(this.options.stateDir, this.options.runId, [{ kind: 'notification', record }]);
  }

  async close(): Promise<void> {
    this.closing = true;
    let timer: NodeJS.Timeout | undefined;
    const pool = await Promise.race([
      this.ready,
      new Promise<null>((r) => {
        timer = setTimeout(() => r(null), 1_000);
      }),
    ]);
    clearTimeout(timer);
    await Promise.race([pool?.end().catch(() => undefined), new Promise((r) => setTimeout(r, 12_000).unref())]);
  }
}

export function describe(error: unknown): string {
  return describeError(error);
}
