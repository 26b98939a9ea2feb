// The CLI's way to the database: the same resolution as every process (DATABASE_URL, else the
// embedded PostgreSQL of MONITOR_STATE_DIR), migrated, used, closed.
import { exitOnConfigError } from '../../config/parse-env.ts';
import { loadDatabaseConfig } from '../../config/database.ts';
import { processEnv } from '../../config/env.ts';
import { ensureDatabaseUrl } from '../../db/embedded.ts';
import { migrate } from '../../db/migrate.ts';
import { withDatabase, type DatabasePool } from '../../db/pool.ts';

export async function databaseUrl(): Promise<string> {
  let config;
  try {
    config = loadDatabaseConfig(processEnv());
  } catch (error) {
    exitOnConfigError(error, 'workflow-monitor');
  }
  const url = await ensureDatabaseUrl({
    stateDir: config.stateDir,
    databaseUrl: config.databaseUrl,
    log: () => undefined,
  });
  await migrate(url);
  return url;
}

export async function withCliDatabase<T>(fn: (pool: DatabasePool) => Promise<T>): Promise<T> {
  return withDatabase(await databaseUrl(), fn);
}
