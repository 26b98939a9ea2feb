// Small settings that one entry point reads, each with its schema like every other variable:
// MONITOR_REPORTER (playwright.config.ts, `workflow-monitor health --json`), MONITOR_KILL_GRACE_MS
// (bin/run-guard.ts, set by the daemon from MONITOR_KILL_GRACE_SECONDS) and whether a display is
// there for the trace viewer (DISPLAY, WAYLAND_DISPLAY; bin/cli/trace.ts); the trigger a manual
// run records (MONITOR_TRIGGER, bin/cli/playwright-run.ts); `npm start`'s run-on-start default
// (MONITOR_RUN_ON_START, bin/start.ts); the browser's variables (CHROMIUM_PATH, PATH;
// fixtures/browser.ts).
import { z } from 'zod';
import { intVar, optionalString, parseEnv } from './parse-env.ts';
import { reporterSchema } from './reporter.ts';

/** The monitor reporter records every attempt; MONITOR_REPORTER=off runs without recording. */
const recordingSchema = z
  .object({ MONITOR_REPORTER: z.string().optional() })
  .transform((c) => c.MONITOR_REPORTER !== 'off');

export const isRecording = (env: NodeJS.ProcessEnv): boolean => recordingSchema.parse(env);

const runGuardSchema = z.object({ MONITOR_KILL_GRACE_MS: intVar(15_000, { min: 0, max: 3_600_000 }) });

/** How long the run guard waits after SIGINT before SIGKILL; throws a ConfigError on a bad value. */
export const loadKillGraceMs = (env: NodeJS.ProcessEnv): number => parseEnv(runGuardSchema, env).MONITOR_KILL_GRACE_MS;

const displaySchema = z
  .object({ DISPLAY: optionalString, WAYLAND_DISPLAY: optionalString })
  .transform((c) => c.DISPLAY !== undefined || c.WAYLAND_DISPLAY !== undefined);

/** An X11 or Wayland display to open a window on (empty counts as none). */
export const hasDisplay = (env: NodeJS.ProcessEnv): boolean => displaySchema.parse(env);

const triggerSchema = reporterSchema.pick({ MONITOR_TRIGGER: true });

/** What a run started by hand records as its trigger: MONITOR_TRIGGER when set, else `manual`. */
export const manualTrigger = (env: NodeJS.ProcessEnv): string =>
  parseEnv(triggerSchema, env).MONITOR_TRIGGER ?? 'manual';

/**
 * `npm start` runs every workflow once right away unless MONITOR_RUN_ON_START says otherwise: the
 * user's value, unchanged (the daemon's schema judges it), or `true`.
 */
export const startRunOnStart = (env: NodeJS.ProcessEnv): string =>
  z.object({ MONITOR_RUN_ON_START: z.string().default('true') }).parse(env).MONITOR_RUN_ON_START;

/**
 * Where to look for Chromium: CHROMIUM_PATH (empty is unset) and the PATH to search; PWDEBUG
 * (Playwright's own) set means a headed run, which wants the full browser.
 */
const browserSchema = z.object({
  CHROMIUM_PATH: optionalString.transform((v) => v?.trim() || undefined),
  PATH: optionalString,
  PWDEBUG: optionalString.transform((v) => !!v && v !== '0' && v !== 'false'),
  /** Set by a headed run's runner (config/playwright.ts) for its workers, whose argv has no flags. */
  MONITOR_HEADED_RUN: optionalString.transform((v) => v === '1'),
});
export type BrowserVars = z.output<typeof browserSchema>;
export const browserVars = (env: NodeJS.ProcessEnv): BrowserVars => browserSchema.parse(env);

/**
 * Whether a Playwright run shows a browser (and so wants the full one, not the headless shell):
 * --headed, --debug, UI mode (--ui, --ui-host, --ui-port) or PWDEBUG in the runner; in a worker,
 * MONITOR_HEADED_RUN, which the runner sets for it.
 */
export function headedRun(argv: readonly string[], env: NodeJS.ProcessEnv): boolean {
  const vars = browserVars(env);
  return (
    vars.MONITOR_HEADED_RUN ||
    vars.PWDEBUG ||
    argv.some((a) => a === '--headed' || a === '--debug' || a.startsWith('--ui'))
  );
}
