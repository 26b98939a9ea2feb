// The reporter's way to the database: connect (embedded or DATABASE_URL), migrate, replay
// any outbox, then save rows; whenever PostgreSQL cannot be reached, rows go to the outbox.
import { createDbPool } from '../db/pool.ts';
import type { DbPool } from '../db/pool.ts';
import { ensureDatabaseUrl } from '../db/embedded.ts';
import { migrate } from '../db/migrate.ts';
import { insertExecutions } from '../db/executions.ts';
import { upsertRun } from '../db/runs.ts';
import { replayOutbox, spool } from '../db/outbox.ts';
import type { OutboxEntry } from '../db/outbox.ts';
import type { ExecutionRecord, NotificationLogRecord, RunRecord } from '../db/types.ts';
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

export class Persistence {
  private pool: DbPool | null = null;
  /** The pool once connected and migrated; null when the database is unavailable. */
  readonly ready: Promise<DbPool | null>;
  /** Executions this process replayed from the outbox: the alert policy gets them next (issue 14 item 3). */
  readonly replayed: ExecutionRecord[] = [];
  /** Executions (not run rows) saved and spooled, for the end-of-run line. */
  spooled = 0;
  saved = 0;

  private readonly options: { stateDir: string; databaseUrl?: string | undefined; runId: string; log: PersistenceLog };

  constructor(options: Persistence['options']) {
    this.options = options;
    this.ready = this.connect();
  }

  private async connect(): Promise<DbPool | null> {
    try {
      const url = await ensureDatabaseUrl({ stateDir: this.options.stateDir, databaseUrl: this.options.databaseUrl });
      await migrate(url);
      this.pool = await createDbPool(url);
      const pool = this.pool;
      const replayed = await replayOutbox(this.options.stateDir, async (entries) => {
        await applyEntries(pool, entries);
        this.replayed.push(...entries.flatMap((e) => (e.kind === 'execution' ? [e.record] : [])));
      });
      if (replayed.entries) this.options.log(`replayed ${replayed.entries} spooled rows from ${replayed.files} outbox file(s)`);
      return this.pool;
    } catch (error) {
      this.options.log(`database unavailable, spooling to the outbox: ${describe(error)}`);
      return null;
    }
  }

  /** Saves the entries (true), or spools them when the database cannot take them (false). Never throws. */
  async save(entries: OutboxEntry[]): Promise<boolean> {
    const pool = await this.ready;
    if (pool) {
      try {
        await applyEntries(pool, entries);
        this.saved += entries.filter((e) => e.kind === 'execution').length;
        return true;
      } catch (error) {
        this.options.log(`could not save ${entries.length} row(s), spooling: ${describe(error)}`);
      }
    }
    try {
      await spool(this.options.stateDir, this.options.runId, entries);
      this.spooled += entries.filter((e) => e.kind === 'execution').length;
    } catch (error) {
      this.options.log(`could not spool either; ${entries.length} row(s) lost: ${describe(error)}`);
    }
    return false;
  }

  /** A delivery log row made while the database was away: it lands with the replay. */
  async spoolNotification(record: NotificationLogRecord): Promise<void> {
    await spool(this.options.stateDir, this.options.runId, [{ kind: 'notification', record }]);
  }

  async close(): Promise<void> {
    await this.ready;
    await this.pool?.end().catch(() => undefined);
  }
}

export function describe(error: unknown): string {
  const e = error as { message?: string; code?: string };
  return (e?.message ?? String(error)).split('\n')[0]! + (e?.code ? ` (${e.code})` : '');
}
