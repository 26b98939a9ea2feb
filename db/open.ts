// The one way into the database for every process: DATABASE_URL or the embedded PostgreSQL of
// MONITOR_STATE_DIR (config/database.ts says which), migrations applied, a pool opened. Entry
// points call `openDatabase` (or `withOpenDatabase` for one piece of work) and nothing else.
import type { DatabaseConfig } from '../config/database.ts';
import { clusterPaths, ensureDatabaseUrl, postmasterState } from './embedded.ts';
import { migrate } from './migrate.ts';
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

/** The database reachable and migrated, without a pool (npm run db:migrate). */
export async function prepareDatabase(
  config: DatabaseConfig,
  options: OpenDatabaseOptions = {},
): Promise<PreparedDatabase> {
  const wasUp = await embeddedRunning(config);
  const url = await ensureDatabaseUrl({
    stateDir: config.stateDir,
    databaseUrl: config.databaseUrl ?? null,
    ...(options.log ? { log: options.log } : {}),
  });
  const applied = await migrate(url, options.migrationLog ? { log: options.migrationLog } : {});
  return { url, applied, startedEmbedded: !config.databaseUrl && !wasUp };
}

/** Embedded or URL, migrated, with a pool: the caller ends `pool`. */
export async function openDatabase(config: DatabaseConfig, options: OpenDatabaseOptions = {}): Promise<OpenDatabase> {
  const prepared = await prepareDatabase(config, options);
  return { ...prepared, pool: await createDbPool(prepared.url, options.pool) };
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
