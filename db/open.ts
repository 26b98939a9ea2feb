// The one way into the database for every process: DATABASE_URL or the embedded PostgreSQL of
// MONITOR_STATE_DIR (config/database.ts says which), migrations applied, a pool opened. Entry
// points call `openDatabase` (or `withOpenDatabase` for one piece of work) and nothing else.
// `openDatabase` checks the schema's version first (one query, db/migrate.ts schemaIsCurrent)
// and runs the migrator only when a migration is due; `prepareDatabase` (db:migrate) always runs it.
import { DatabaseUnavailableError } from '../config/database-url.ts';
import type { DatabaseConfig } from '../config/database.ts';
import { clusterPaths, ensureDatabaseUrl, postmasterState } from './embedded/server.ts';
import { migrate, schemaIsCurrent } from './migrate.ts';
import { createDbPool, type DatabasePool, type DbPoolOptions } from './pool.ts';

export type OpenDatabaseOptions = {
  /** Lines about the embedded server (started, moved port, stale pid file). */
  log?: (line: string) => void;
  /** Each migration applied (npm run db:migrate prints them). */
  migrationLog?: (line: string) => void;
  pool?: DbPoolOptions;
};

export type PreparedDatabase = {
  url: string;
  /** Migrations applied now (empty when the schema was up to date). */
  applied: string[];
  /** This call started the embedded server (it was not running): the caller's to stop. */
  startedEmbedded: boolean;
};

export type OpenDatabase = PreparedDatabase & { pool: DatabasePool };

/** The embedded server of `config` is running now (always false with DATABASE_URL). */
export async function embeddedRunning(config: DatabaseConfig): Promise<boolean> {
  return !config.databaseUrl && (await postmasterState(clusterPaths(config.stateDir))).kind === 'alive';
}

async function reach(config: DatabaseConfig, options: OpenDatabaseOptions): Promise<{ url: string; wasUp: boolean }> {
  const wasUp = await embeddedRunning(config);
  const url = await ensureDatabaseUrl({
    stateDir: config.stateDir,
    databaseUrl: config.databaseUrl ?? null,
    ...(options.log ? { log: options.log } : {}),
  });
  return { url, wasUp };
}

const migrationOptions = (options: OpenDatabaseOptions) => (options.migrationLog ? { log: options.migrationLog } : {});

/** The database reachable and migrated, without a pool (npm run db:migrate): the migrator always runs. */
export async function prepareDatabase(
  config: DatabaseConfig,
  options: OpenDatabaseOptions = {},
): Promise<PreparedDatabase> {
  const { url, wasUp } = await reach(config, options);
  const applied = await migrate(url, migrationOptions(options));
  return { url, applied, startedEmbedded: !config.databaseUrl && !wasUp };
}

/**
 * Embedded or URL, migrated, with a pool: the caller ends `pool`. The schema's version is checked
 * on the pool (one query); node-pg-migrate is loaded and run only when a migration is due.
 */
export async function openDatabase(config: DatabaseConfig, options: OpenDatabaseOptions = {}): Promise<OpenDatabase> {
  const { url, wasUp } = await reach(config, options);
  const startedEmbedded = !config.databaseUrl && !wasUp;
  let pool: DatabasePool;
  let current: boolean;
  try {
    pool = await createDbPool(url, options.pool);
  } catch (error) {
    throw new DatabaseUnavailableError(error, url);
  }
  try {
    current = await schemaIsCurrent(pool);
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw new DatabaseUnavailableError(error, url);
  }
  if (current) return { url, applied: [], startedEmbedded, pool };
  try {
    return { url, applied: await migrate(url, migrationOptions(options)), startedEmbedded, pool };
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw error;
  }
}

/** `openDatabase` for one piece of work; the pool is always closed. */
export async function withOpenDatabase<T>(
  config: DatabaseConfig,
  fn: (pool: DatabasePool) => Promise<T>,
  options: OpenDatabaseOptions = {},
): Promise<T> {
  const { pool } = await openDatabase(config, options);
  try {
    return await fn(pool);
  } finally {
    await pool.end();
  }
}
