// Applies db/migrations/*.sql with node-pg-migrate. Concurrent callers (the reporter of one run,
// the daemon, the CLI starting at the same moment) queue on its advisory lock instead of
// failing, and the wait is bounded by lock_timeout.
import { fileURLToPath } from 'node:url';
import { runner } from 'node-pg-migrate';
import { z } from 'zod';
import { sql } from 'slonik';
import { DatabaseUnavailableError } from '../config/database-url.ts';
import { withDatabase } from './pool.ts';

export const migrationsDir = fileURLToPath(new URL('./migrations', import.meta.url));

export type MigrateOptions = {
  /** Bound on waiting for another process's migration, and on each statement. */
  timeoutMs?: number;
  log?: (line: string) => void;
};

/** Applies pending migrations; returns the names applied (empty when up to date). */
export async function migrate(url: string, options: MigrateOptions = {}): Promise<string[]> {
  try {
    return await migrateOnce(url, options);
  } catch (error) {
    // One line naming the URL (password redacted) and what failed, never a stack.
    throw error instanceof DatabaseUnavailableError ? error : new DatabaseUnavailableError(error, url);
  }
}

async function migrateOnce(url: string, options: MigrateOptions): Promise<string[]> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const log = options.log ?? (() => undefined);
  const applied = await runner({
    databaseUrl: {
      connectionString: url,
      connectionTimeoutMillis: 10_000,
      lock_timeout: timeoutMs,
      statement_timeout: timeoutMs,
      // Client side too: a hung server answers nothing, so statement_timeout never fires.
      query_timeout: timeoutMs + 10_000,
      application_name: 'workflow-monitor-migrate',
    },
    dir: migrationsDir,
    migrationsTable: 'schema_migrations',
    direction: 'up',
    checkOrder: true,
    singleTransaction: true,
    advisoryLockMode: 'wait',
    // Errors are thrown and reported by the caller in one line; the logger would print a stack.
    logger: { debug: () => undefined, info: log, warn: log, error: () => undefined },
  });
  // Today's and the next days' partitions exist before the first insert of the day, so the
  // ingest path rarely has to run DDL.
  await withDatabase(
    url,
    (pool) =>
      pool.query(sql.type(z.object({ created: z.number() }))`
    SELECT monitor_ensure_day_partitions(now() - interval '1 day', now() + interval '2 days') AS created`),
    { maxPoolSize: 1, statementTimeoutMs: timeoutMs },
  );
  return applied.map((m) => m.name);
}
