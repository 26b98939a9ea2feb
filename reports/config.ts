// What the reports module reads from the environment, in one place, every problem reported at
// once with the variable's name (config/parse-env.ts). Threshold overrides are JSON so the
// defaults stay one visible object in code (recommendations.ts, slowdown.ts).
import path from 'node:path';
import { z } from 'zod';
import { databaseVars } from '../config/database-url.ts';
import { ConfigError, formatIssues, optionalString } from '../config/parse-env.ts';
import { defaultThresholds, type RecommendationThresholds } from './recommendations.ts';
import { defaultSlowdownOptions, type SlowdownOptions } from '../notifiers/assess/slowdown.ts';

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

export type ReportsConfig = {
  databaseUrl: string | undefined;
  stateDir: string;
  reportsDir: string;
  /** Set inside GitHub Actions: the run's summary page. */
  githubStepSummary: string | null;
  thresholds: RecommendationThresholds;
  slowdown: SlowdownOptions;
};

/** The variables read here, for .env.example and the README. */
export const reportsVariables = Object.keys(schema.shape);

export function loadReportsConfig(env: NodeJS.ProcessEnv): ReportsConfig {
  const parsed = schema.safeParse(env);
  if (!parsed.success) throw new ConfigError(formatIssues(parsed.error));
  const c = parsed.data;
  const o = c.MONITOR_REPORT_RULES ?? {};
  const d = defaultThresholds;
  return {
    databaseUrl: c.DATABASE_URL,
    stateDir: path.resolve(c.MONITOR_STATE_DIR),
    reportsDir: path.resolve(c.MONITOR_REPORTS_DIR),
    githubStepSummary: c.GITHUB_STEP_SUMMARY ?? null,
    thresholds: {
      failing: { ...d.failing, ...o.failing },
      flaky: { ...d.flaky, ...o.flaky },
      slower: { ...d.slower, ...o.slower },
      dependency: { ...d.dependency, ...o.dependency },
      notifications: { ...d.notifications, ...o.notifications },
      missedRuns: { ...d.missedRuns, ...o.missedRuns },
    },
    slowdown: { ...defaultSlowdownOptions, ...c.MONITOR_SLOWDOWN },
  };
}
