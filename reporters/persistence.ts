// The reporter's way to the database: connect (embedded or DATABASE_URL), check the schema's
// version (migrate only when one is due), replay any outbox, then save rows; whenever PostgreSQL
// cannot be reached, or does not answer within the bound, rows go to the outbox; an entry
// PostgreSQL refuses for what it holds becomes a dead letter. Every execution ends as exactly one
// of recorded, spooled, dead-lettered or lost, which is what the end-of-run line counts.
// Saves are batched: the rows of every save() waiting are written together (one run upsert, one
// multi-row statement for executions with their steps, metrics and health) once `batchSize`
// executions wait or `flushMs` after the first; each save() still learns its own outcome.
// The database modules (slonik, pg, the migrator) load in the background, on the first connect.
import type { DbPool } from '../db/pool.ts';
import { applyIsolated, describeError, outboxFileName, replayOutbox, spool } from '../db/outbox.ts';
import type { Isolated, OutboxEntry } from '../db/outbox.ts';
import { writeDeadLetters } from '../db/outbox-dead.ts';
import type { ExecutionRecord, NotificationLogRecord, RunRecord } from '../core/records.ts';
import type * as ExecutionsTable from '../db/tables/executions.ts';
import type * as NotificationLogsTable from '../db/tables/notification-logs.ts';
import type * as RunsTable from '../db/tables/runs.ts';

export type PersistenceLog = (message: string) => void;

type Tables = typeof ExecutionsTable & typeof RunsTable & typeof NotificationLogsTable;
let loaded: Promise<Tables> | null = null;
const tables = (): Promise<Tables> =>
  (loaded ??= Promise.all([
    import('../db/tables/executions.ts'),
    import('../db/tables/runs.ts'),
    import('../db/tables/notification-logs.ts'),
  ]).then(([executions, runs, logs]) => ({ ...executions, ...runs, ...logs })));

export async function applyEntries(pool: DbPool, entries: OutboxEntry[]): Promise<void> {
  const { upsertRun, insertExecutions, insertSpooledNotifications } = await tables();
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
  /** A batch is written once this many executions wait (default 50)... */
  batchSize?: number;
  /** ...or this many ms after its first save (default 5). */
  flushMs?: number;
};

type Waiting = { batch: Batch; done: (saved: boolean) => void };

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
  private queue: Waiting[] = [];
  private queued = 0;
  private timer: NodeJS.Timeout | null = null;

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
      const [{ openDatabase }] = await Promise.all([import('../db/open.ts'), tables()]);
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
      return await new Promise<boolean>((done) => this.enqueue(pool, { batch, done }));
    } finally {
      batch.settled = true;
      this.open.delete(batch);
    }
  }

  private enqueue(pool: DbPool, waiting: Waiting): void {
    this.queue.push(waiting);
    this.queued += executionsIn(waiting.batch.entries);
    if (this.queued >= (this.options.batchSize ?? 50)) this.flush(pool);
    else this.timer ??= setTimeout(() => this.flush(pool), this.options.flushMs ?? 5);
  }

  /** Writes every save waiting as one batch; each learns its own outcome. */
  private flush(pool: DbPool): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const waiting = this.queue;
    this.queue = [];
    this.queued = 0;
    void this.write(pool, waiting).catch((error: unknown) => {
      this.options.log(`unexpected: ${describe(error)}`);
      for (const w of waiting) w.done(false);
    });
  }

  private async write(pool: DbPool, waiting: Waiting[]): Promise<void> {
    const live = waiting.filter((w) => !w.batch.settled);
    for (const w of waiting) if (w.batch.settled) w.done(false); // spooled by settleAll() already
    const entries = live.flatMap((w) => w.batch.entries);
    let timer: NodeJS.Timeout | undefined;
    const bound = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new SaveTimeout(`no answer from PostgreSQL within ${this.timeoutMs} ms`)),
        this.timeoutMs,
      );
    });
    const outcome: Isolated = await Promise.race([applyIsolated(entries, (e) => applyEntries(pool, e)), bound])
      .catch((error: unknown) => ({ applied: [], dead: [], rest: entries, error }))
      .finally(() => clearTimeout(timer));
    const applied = new Set(outcome.applied);
    const dead = new Map(outcome.dead.map((d) => [d.entry, d]));
    const rest = outcome.rest.length;
    if (outcome.dead.length)
      this.options.log(
        `${outcome.dead.length} row(s) refused by PostgreSQL, moved to outbox/dead/: ${outcome.dead[0]!.reason}`,
      );
    if (rest) this.options.log(`could not save ${rest} row(s), spooling: ${describe(outcome.error)}`);
    await Promise.all(
      live.map(async ({ batch, done }) => {
        if (batch.settled) return done(false); // spooled by settleAll() while we waited
        const own = batch.entries.filter((e) => applied.has(e));
        const refused = batch.entries.flatMap((e) => dead.get(e) ?? []);
        const left = batch.entries.filter((e) => !applied.has(e) && !dead.has(e));
        this.saved += executionsIn(own);
        if (refused.length) await this.deadLetter(refused);
        if (left.length) return done(await this.settle({ entries: left, settled: false }));
        done(refused.length === 0);
      }),
    );
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
