// The daemon's own variables (MONITOR_* of the scheduler, its HTTP server, heartbeat, tokens,
// MONITOR_SCHEDULE_* overrides), composed with the runner's, retention's and the status page's:
// every problem at once, one line per variable. scheduler/config.ts adds the alert channels and
// policy and throws one ConfigError for all of them.
import path from 'node:path';
import { z } from 'zod';
import { cronProblem } from '../core/cron.ts';
import { databaseVars } from './database-url.ts';
import { locationOverrides, locationVars } from './location.ts';
import { ConfigError, boolVar, formatIssues, intVar, optionalString, parseEnv, urlVar } from './parse-env.ts';
import { loadRetentionConfig, type RetentionConfig } from './retention.ts';
import { runnerSchema } from './runner.ts';
import { scheduleOverrides } from './schedule-overrides.ts';
import { statusPageConfig, statusPageSchema, type StatusPageConfig } from './status-page.ts';

/** The daemon's HTTP address as `workflow-monitor health --daemon` reaches it (throws a ConfigError on a bad value). */
export function daemonHttpUrl(env: NodeJS.ProcessEnv): string {
  const c = parseEnv(daemonSchema.pick({ MONITOR_HTTP_HOST: true, MONITOR_HTTP_PORT: true }), env);
  return `http://${c.MONITOR_HTTP_HOST}:${c.MONITOR_HTTP_PORT}`;
}

export const daemonSchema = z.object({
  ...databaseVars,
  ...locationVars,
  MONITORING_ENABLED: boolVar(true),
  MONITORING_INTERVAL_MINUTES: intVar(15, { min: 1, max: 1440 }),
  MONITOR_TIMEZONE: optionalString,
  MONITOR_CONCURRENCY: intVar(2, { min: 1, max: 32 }),
  MONITOR_RUN_TIMEOUT_SECONDS: intVar(17 * 60, { min: 5, max: 24 * 3600 }),
  MONITOR_KILL_GRACE_SECONDS: intVar(15, { min: 1, max: 600 }),
  MONITOR_SHUTDOWN_TIMEOUT_SECONDS: intVar(60, { min: 1, max: 3600 }),
  MONITOR_TICK_SECONDS: intVar(15, { min: 1, max: 60 }),
  MONITOR_CATCH_UP_SECONDS: intVar(300, { min: 0, max: 86_400 }),
  MONITOR_PIPELINE_RETRIES: intVar(2, { min: 0, max: 10 }),
  MONITOR_PIPELINE_RETRY_DELAY_SECONDS: intVar(30, { min: 1, max: 3600 }),
  MONITOR_HTTP_HOST: z.preprocess((v) => (v === '' ? undefined : v), z.string().default('127.0.0.1')),
  MONITOR_HTTP_PORT: intVar(9464, { min: 0, max: 65535 }),
  MONITOR_HEALTH_STALE_SECONDS: intVar(0, { min: 0, max: 86_400 }),
  HEARTBEAT_URL: urlVar,
  /** Test-only: six-field (seconds) cron overrides, so scheduling tests need not wait minutes. */
  MONITOR_ALLOW_SECOND_CRON: boolVar(false),
  MONITOR_HOUSEKEEPING: boolVar(true),
  MONITOR_RUN_ON_START: boolVar(false),
  DASHBOARD_TOKEN: optionalString,
  METRICS_TOKEN: optionalString,
});

export type DaemonConfig = {
  databaseUrl: string | undefined;
  stateDir: string;
  /** MONITOR_LOCATION: this daemon's location (its children inherit the variable). */
  location: string;
  enabled: boolean;
  intervalMinutes: number;
  timezone: string | undefined;
  concurrency: number;
  /** MONITOR_WORKERS, the runner's workers per invocation: with `concurrency`, this daemon's capacity. */
  workers: number;
  runTimeoutMs: number;
  killGraceMs: number;
  shutdownTimeoutMs: number;
  tickMs: number;
  catchUpMs: number;
  pipelineRetries: number;
  pipelineRetryDelaySeconds: number;
  httpHost: string;
  httpPort: number;
  healthStaleMs: number;
  heartbeatUrl: string | undefined;
  allowSecondCron: boolean;
  housekeeping: boolean;
  /** Every workflow once right away (npm start), then on its schedule. */
  runOnStart: boolean;
  /** Required by the dashboard when set (and set it must be off loopback). */
  dashboardToken: string | null;
  /** Required by /metrics when set: METRICS_TOKEN, else DASHBOARD_TOKEN (so always off loopback). */
  metricsToken: string | null;
  overrides: Map<string, string>;
  /** MONITOR_LOCATIONS_<ID>: where a workflow runs from, by variable name. */
  locationOverrides: Map<string, string[]>;
  retention: RetentionConfig;
  /** STATUS_PAGE_*, for the public status page the daemon serves. */
  statusPage: StatusPageConfig;
  /** Runner variables that failed validation: left out of the discovery listing's environment. */
  badRunnerVariables: string[];
};

export type DaemonConfigResult = { ok: true; config: DaemonConfig } | { ok: false; problems: string[] };

function validTimezone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** Never throws on bad values: every problem is in `problems`, one line per variable. */
export function loadDaemonConfig(env: NodeJS.ProcessEnv): DaemonConfigResult {
  const problems: string[] = [];
  const parsed = daemonSchema.safeParse(env);
  if (!parsed.success) problems.push(...formatIssues(parsed.error));
  const runner = runnerSchema.safeParse(env);
  const badRunnerVariables = runner.success ? [] : runner.error.issues.map((i) => String(i.path[0]));
  if (!runner.success) problems.push(...formatIssues(runner.error));
  let retention: RetentionConfig | undefined;
  try {
    retention = loadRetentionConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    problems.push(...error.problems.filter((p) => !p.startsWith('DATABASE_URL') && !p.startsWith('MONITOR_STATE_DIR')));
  }
  const status = statusPageSchema.safeParse(env);
  if (!status.success) problems.push(...formatIssues(status.error));
  const c = parsed.success ? parsed.data : undefined;
  if (c?.MONITOR_TIMEZONE && !validTimezone(c.MONITOR_TIMEZONE))
    problems.push(`MONITOR_TIMEZONE: "${c.MONITOR_TIMEZONE}" is not a known time zone`);
  // From the raw values, so that this is reported along with every other problem.
  const httpHost = env.MONITOR_HTTP_HOST?.trim() || '127.0.0.1';
  if (!env.DASHBOARD_TOKEN?.trim() && !['127.0.0.1', '::1', 'localhost'].includes(httpHost)) {
    problems.push(
      `DASHBOARD_TOKEN: required when MONITOR_HTTP_HOST (${httpHost}) is not a loopback address: the dashboard shows errors and traces, and /metrics uses it unless METRICS_TOKEN is set`,
    );
  }
  const overrides = scheduleOverrides(env);
  for (const [name, value] of overrides) {
    const problem = cronProblem(value, { allowSeconds: c?.MONITOR_ALLOW_SECOND_CRON ?? false });
    if (problem) problems.push(`${name}: "${value}" is not a valid cron expression (${problem})`);
  }
  const locations = locationOverrides(env);
  problems.push(...locations.problems);
  if (problems.length > 0 || !c || !retention || !status.success) return { ok: false, problems };
  const tickMs = c.MONITOR_TICK_SECONDS * 1000;
  return {
    ok: true,
    config: {
      databaseUrl: c.DATABASE_URL,
      stateDir: path.resolve(c.MONITOR_STATE_DIR),
      location: c.MONITOR_LOCATION,
      enabled: c.MONITORING_ENABLED,
      intervalMinutes: c.MONITORING_INTERVAL_MINUTES,
      timezone: c.MONITOR_TIMEZONE,
      concurrency: c.MONITOR_CONCURRENCY,
      workers: runner.success ? runner.data.MONITOR_WORKERS : 1,
      runTimeoutMs: c.MONITOR_RUN_TIMEOUT_SECONDS * 1000,
      killGraceMs: c.MONITOR_KILL_GRACE_SECONDS * 1000,
      shutdownTimeoutMs: c.MONITOR_SHUTDOWN_TIMEOUT_SECONDS * 1000,
      tickMs,
      catchUpMs: c.MONITOR_CATCH_UP_SECONDS * 1000,
      pipelineRetries: c.MONITOR_PIPELINE_RETRIES,
      pipelineRetryDelaySeconds: c.MONITOR_PIPELINE_RETRY_DELAY_SECONDS,
      httpHost: c.MONITOR_HTTP_HOST,
      httpPort: c.MONITOR_HTTP_PORT,
      // Stale after missing three ticks, and never sooner than a minute (a slow database round trip is not a stall).
      healthStaleMs:
        c.MONITOR_HEALTH_STALE_SECONDS > 0 ? c.MONITOR_HEALTH_STALE_SECONDS * 1000 : Math.max(3 * tickMs, 60_000),
      heartbeatUrl: c.HEARTBEAT_URL,
      allowSecondCron: c.MONITOR_ALLOW_SECOND_CRON,
      housekeeping: c.MONITOR_HOUSEKEEPING,
      runOnStart: c.MONITOR_RUN_ON_START,
      dashboardToken: c.DASHBOARD_TOKEN ?? null,
      metricsToken: c.METRICS_TOKEN ?? c.DASHBOARD_TOKEN ?? null,
      overrides,
      locationOverrides: locations.overrides,
      retention,
      statusPage: statusPageConfig(status.data),
      badRunnerVariables,
    },
  };
}
