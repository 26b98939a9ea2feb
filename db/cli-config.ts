// Environment of the db command-line entry points (npm run db:migrate, db:stop).
import path from 'node:path';
import { z } from 'zod';
import { databaseUrlVar } from '../config/database-url.ts';
import { parseEnv } from '../config/parse-env.ts';

const schema = z.object({
  DATABASE_URL: databaseUrlVar,
  MONITOR_STATE_DIR: z.preprocess((v) => (v === '' ? undefined : v), z.string().default('.monitor')),
});

export type DbCliConfig = { databaseUrl: string | undefined; stateDir: string };

export function loadDbCliConfig(env: NodeJS.ProcessEnv = process.env): DbCliConfig {
  const parsed = parseEnv(schema, env);
  return { databaseUrl: parsed.DATABASE_URL, stateDir: path.resolve(parsed.MONITOR_STATE_DIR) };
}
