// Where the database is: DATABASE_URL, else the embedded PostgreSQL under MONITOR_STATE_DIR. One
// schema (database-url.ts) for every process; `openDatabase` (db/open.ts) takes what this returns.
import path from 'node:path';
import { z } from 'zod';
import { databaseVars } from './database-url.ts';
import { parseEnv } from './parse-env.ts';

const schema = z.object(databaseVars);

export type DatabaseConfig = { databaseUrl: string | undefined; stateDir: string };

/** Throws a ConfigError (one line per variable) on a bad DATABASE_URL. */
export function loadDatabaseConfig(env: NodeJS.ProcessEnv): DatabaseConfig {
  const parsed = parseEnv(schema, env);
  return { databaseUrl: parsed.DATABASE_URL, stateDir: path.resolve(parsed.MONITOR_STATE_DIR) };
}
