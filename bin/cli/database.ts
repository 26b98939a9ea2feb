// The CLI's way to the database: the same as every process (openDatabase: DATABASE_URL, else the
// embedded PostgreSQL of MONITOR_STATE_DIR), migrated, used, closed.
import { loadDatabaseConfig, type DatabaseConfig } from '../../config/database.ts';
import { processEnv } from '../../config/env.ts';
import { exitOnConfigError } from '../../config/parse-env.ts';
import { prepareDatabase, withOpenDatabase } from '../../db/open.ts';
import type { DatabasePool } from '../../db/pool.ts';

function cliDatabaseConfig(): DatabaseConfig {
  try {
    return loadDatabaseConfig(processEnv());
  } catch (error) {
    exitOnConfigError(error, 'workflow-monitor');
  }
}

const quiet = { log: () => undefined };

/** Reachable and migrated (workflow-monitor setup): its URL. */
export async function databaseUrl(): Promise<string> {
  return (await prepareDatabase(cliDatabaseConfig(), quiet)).url;
}

export async function withCliDatabase<T>(fn: (pool: DatabasePool) => Promise<T>): Promise<T> {
  return withOpenDatabase(cliDatabaseConfig(), fn, quiet);
}
