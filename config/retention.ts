// Retention tiers (the runbook keeps raw records 30 days).
import path from 'node:path';
import { z } from 'zod';
import { databaseVars } from './database-url.ts';
import { intVar, parseEnv } from './parse-env.ts';

const schema = z.object({
  ...databaseVars,
  RETENTION_DAYS: intVar(30, { min: 1 }),
  AGGREGATE_RETENTION_DAYS: intVar(400, { min: 1 }),
  ARTIFACT_RETENTION_DAYS: intVar(14, { min: 1 }),
});

export type RetentionConfig = {
  databaseUrl: string | undefined;
  stateDir: string;
  artifactsDir: string;
  days: number;
  aggregateDays: number;
  artifactDays: number;
};

export function loadRetentionConfig(env: NodeJS.ProcessEnv): RetentionConfig {
  const c = parseEnv(schema, env);
  const stateDir = path.resolve(c.MONITOR_STATE_DIR);
  return {
    databaseUrl: c.DATABASE_URL,
    stateDir,
    artifactsDir: path.join(stateDir, 'artifacts'),
    days: c.RETENTION_DAYS,
    aggregateDays: c.AGGREGATE_RETENTION_DAYS,
    artifactDays: c.ARTIFACT_RETENTION_DAYS,
  };
}
