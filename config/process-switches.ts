// Small settings that one entry point reads, each with its schema like every other variable:
// MONITOR_REPORTER (playwright.config.ts, `workflow-monitor health --json`), MONITOR_KILL_GRACE_MS
// (bin/run-guard.ts, set by the daemon from MONITOR_KILL_GRACE_SECONDS) and whether a display is
// there for the trace viewer (DISPLAY, WAYLAND_DISPLAY; bin/cli/trace.ts).
import { z } from 'zod';
import { intVar, optionalString, parseEnv } from './parse-env.ts';

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
