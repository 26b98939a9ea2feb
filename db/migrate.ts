// Applies db/migrations/*.sql with node-pg-migrate. Concurrent callers (the reporter of one run,
// the daemon, the CLI starting at the same moment) queue on its advisory lock instead of
// failing, and the wait is bounded by lock_timeout. `schemaIsCurrent` is the cheap check every
// process makes first (one query): node-pg-migrate is loaded and run only when it says no.
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { sql, type CommonQueryMethods } from 'slonik';
import { DatabaseUnavailableError } from '../config/database-url.ts';
import { pgErrorCode } from './pg-error.ts';
import { withDatabase } from './pool.ts';

export const migrationsDir = fileURLToPath(new URL('./migrations', import.meta.url));

let files: { count: number; newest: string } | null = null;

/** The migration files (names without `.sql`, as node-pg-migrate records them): how many, and the newest. */
export function migrationFiles(): { count: number; newest: string } {
  if (files) return files;
  const names = readdirSync(migrationsDir)
    .filter((f) => f.endsWith('.sql'))
    .map((f) => f.slice(0, -'.sql'.length))
    .sort();
  files = { count: names.length, newest: names.at(-1) ?? '' };
  return files;
}

/**
 * True when every migration file is applied: as many applied as there are files, the newest the
 * same (names start with a fixed-width timestamp, so the newest is the greatest). One query; a
 * database never migrated (no schema_migrations) is not current.
 */
export async function schemaIsCurrent(db: CommonQueryMethods): Promise<boolean> {
  const want = migrationFiles();
  try {
    const row = await db.one(sql.type(z.object({ n: z.number(), newest: z.string().nullable() }))`
      SELECT count(*)::integer AS n, max(name) AS newest FROM schema_migrations`);
    return row.n === want.count && row.newest === want.newest;
  } catch (error) {
    if (pgErrorCode(error) === '42P01') return false; // undefined_table: never migrated
    throw error;
  }
}

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
  // Loaded only when a migration may be due (schemaIsCurrent said no, or db:migrate).
  const { runner } = await import('node-pg-migrate');
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
