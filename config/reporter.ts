// What the monitor reporter reads from the environment (in the `playwright test` process).
import { z } from 'zod';
import { databaseVars } from './database-url.ts';
import { locationVars } from './location.ts';
import { intVar, optionalString, parseEnv } from './parse-env.ts';

export const reporterSchema = z.object({
  ...databaseVars,
  ...locationVars,
  MONITOR_RUN_ID: optionalString,
  MONITOR_TRIGGER: z.preprocess((v) => (v === '' ? undefined : v), z.enum(['schedule', 'manual', 'ci']).optional()),
  MONITOR_DRAIN_TIMEOUT_MS: intVar(30_000, { min: 100 }),
  /** Bound on each save of the reporter (connection attempt, statement, no answer); past it rows are spooled. */
  MONITOR_DB_TIMEOUT_MS: intVar(10_000, { min: 100 }),
  /** "timing": one line per attempt with the epoch ms at which onTestEnd ran (bench/alert-latency). */
  MONITOR_DEBUG: optionalString,
  CI: optionalString,
  GITHUB_SERVER_URL: optionalString,
  GITHUB_REPOSITORY: optionalString,
  GITHUB_RUN_ID: optionalString,
});

export type ReporterConfig = z.output<typeof reporterSchema>;

export const loadReporterConfig = (env: NodeJS.ProcessEnv): ReporterConfig => parseEnv(reporterSchema, env);
