// The configuration of one `playwright test` invocation (runner and workers read the same).
import { availableParallelism } from 'node:os';
import { z } from 'zod';
import { intVar, optionalString, parseEnv, urlVar } from './parse-env.ts';

export function defaultWorkers(): number {
  return Math.max(1, Math.floor(availableParallelism() / 2));
}

/** Where the workflows' specs are (empty or blank is unset): the runner's testDir and the daemon's discovery. */
const workflowsDirVar = z.preprocess(
  (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
  z.string().trim().default('workflows'),
);

export const workflowsDir = (env: NodeJS.ProcessEnv): string =>
  parseEnv(z.object({ MONITOR_WORKFLOWS_DIR: workflowsDirVar }), env).MONITOR_WORKFLOWS_DIR;

export const runnerSchema = z.object({
  BASE_URL: urlVar,
  DEMO_HOST: z.string().default('127.0.0.1'),
  DEMO_PORT: intVar(3100, { min: 1, max: 65535 }),
  MONITOR_RETRIES: intVar(1, { max: 10 }),
  // Playwright's own default, half the CPUs: a browser per CPU leaves none for the runner, the
  // reporter's alerts and PostgreSQL, and inflates the very durations the monitor measures.
  MONITOR_WORKERS: intVar(defaultWorkers(), { min: 1, max: 64 }),
  MONITOR_OUTPUT_DIR: z.string().default('test-results'),
  MONITOR_TEST_TIMEOUT_MS: intVar(60_000, { min: 1_000 }),
  MONITOR_GLOBAL_TIMEOUT_MS: intVar(15 * 60_000, { min: 10_000 }),
  MONITOR_ACTION_TIMEOUT_MS: intVar(10_000, { min: 100 }),
  MONITOR_NAVIGATION_TIMEOUT_MS: intVar(30_000, { min: 100 }),
  CHROMIUM_PATH: optionalString,
  MONITOR_WORKFLOWS_DIR: workflowsDirVar,
  // Evidence on failures (fixtures/evidence.ts); `off` only to measure what it costs.
  MONITOR_EVIDENCE: z.enum(['on', 'off']).default('on'),
});

export type RunnerConfig = z.output<typeof runnerSchema>;

export function loadRunnerConfig(env: NodeJS.ProcessEnv): RunnerConfig {
  return parseEnv(runnerSchema, env);
}
