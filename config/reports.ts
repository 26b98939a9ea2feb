// What the reports read from the environment, every problem reported at once with the
// variable's name (parse-env.ts). Threshold overrides are JSON, checked here for their shape; the
// defaults they override are the rules' own values and stay one visible object in code
// (reports/recommendation-model.ts, notifiers/assess/slowdown.ts), merged by reports/config.ts.
import path from 'node:path';
import { z } from 'zod';
import { databaseVars } from './database-url.ts';
import { optionalString, parseEnv } from './parse-env.ts';

const share = z.number().min(0).max(10);
const positive = z.number().min(0);

const thresholdsOverride = z
  .strictObject({
    failing: z.strictObject({ minFailures: z.number().int().min(1), minRate: share }).partial(),
    flaky: z.strictObject({ minFlaky: z.number().int().min(1), minRate: share }).partial(),
    slower: z.strictObject({ minIncrease: share, minIncreaseMs: positive, minRuns: z.number().int().min(1) }).partial(),
    dependency: z.strictObject({ minChecks: z.number().int().min(1) }).partial(),
    notifications: z.strictObject({ minFailures: z.number().int().min(1) }).partial(),
    missedRuns: z
      .strictObject({
        minShare: share,
        minMissed: z.number().int().min(1),
        stoppedMinPreviousRuns: z.number().int().min(1),
      })
      .partial(),
  })
  .partial();

const slowdownOverride = z
  .strictObject({
    baselineRuns: z.number().int().min(5),
    recentRuns: z.number().int().min(1),
    warmupRuns: z.number().int().min(2),
    madMultiplier: positive,
    minIncrease: share,
    minIncreaseMs: positive,
    stepMinIncreaseMs: positive,
    recoverFraction: z.number().min(0).max(1),
  })
  .partial();

function jsonVar<S extends z.ZodType>(schema: S) {
  return z.preprocess((v, ctx) => {
    if (v === undefined || v === '') return undefined;
    try {
      return JSON.parse(String(v));
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be a JSON object, e.g. {"slower":{"minIncrease":0.5}}' });
      return z.NEVER;
    }
  }, schema.optional());
}

const schema = z.object({
  ...databaseVars,
  MONITOR_REPORTS_DIR: z.preprocess((v) => (v === '' ? undefined : v), z.string().default('monitoring-reports')),
  GITHUB_STEP_SUMMARY: optionalString,
  MONITOR_REPORT_RULES: jsonVar(thresholdsOverride),
  MONITOR_SLOWDOWN: jsonVar(slowdownOverride),
});

export type ReportsVars = {
  databaseUrl: string | undefined;
  stateDir: string;
  reportsDir: string;
  /** Set inside GitHub Actions: the run's summary page. */
  githubStepSummary: string | null;
  /** MONITOR_REPORT_RULES: per rule, the thresholds that differ from the defaults. */
  thresholds: z.output<typeof thresholdsOverride>;
  /** MONITOR_SLOWDOWN: the slow-down detector's options that differ from the defaults. */
  slowdown: z.output<typeof slowdownOverride>;
};

/** The variables read here, for .env.example and the README. */
export const reportsVariables = Object.keys(schema.shape);

/** Throws a ConfigError (one line per variable) on bad values. */
export function loadReportsVars(env: NodeJS.ProcessEnv): ReportsVars {
  const c = parseEnv(schema, env);
  return {
    databaseUrl: c.DATABASE_URL,
    stateDir: path.resolve(c.MONITOR_STATE_DIR),
    reportsDir: path.resolve(c.MONITOR_REPORTS_DIR),
    githubStepSummary: c.GITHUB_STEP_SUMMARY ?? null,
    thresholds: c.MONITOR_REPORT_RULES ?? {},
    slowdown: c.MONITOR_SLOWDOWN ?? {},
  };
}
