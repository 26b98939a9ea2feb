// The daemon as a process: configuration (exit 2 on any problem, nothing started), signals
// (SIGTERM/SIGINT stop cleanly with exit 0, SIGHUP re-reads the suite, the parent's death stops
// it too), and exit codes.
import { flushCompileCache } from 'node:module';
import { ConfigError, exitOnConfigError } from '../config/parse-env.ts';
import { runnerSchema } from '../config/runner.ts';
import { suiteProblems } from './discover.ts';
import { loadSchedulerConfig, type SchedulerConfig } from './config.ts';
import { startDaemon, type Daemon } from './daemon.ts';
import { createLog } from './log.ts';
import { watchParent } from './parent-watch.ts';

/** The variable a problem line names (`NAME: ...` or `NAME must ...`), if any. */
const variableOf = (problem: string) => /^([A-Z][A-Z0-9_]*)\b/.exec(problem)?.[1];

/**
 * Every configuration problem of the daemon at once (its own, the runs', the alert channels',
 * `extraProblems` from the caller, e.g. the demo app's, and the suite's), or exit 2 before
 * anything has started.
 */
export async function checkDaemonConfig(
  env: NodeJS.ProcessEnv,
  extraProblems: readonly string[] = [],
): Promise<SchedulerConfig> {
  let problems = [...extraProblems];
  let config: SchedulerConfig | null = null;
  try {
    config = loadSchedulerConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    // A variable both schemas check (DEMO_PORT) is reported once.
    const named = new Set(error.problems.map(variableOf));
    problems = [...error.problems, ...problems.filter((p) => !named.has(variableOf(p)))];
  }
  if (config && problems.length === 0) return config;
  // The suite's own problems too, listed with every variable named above left out, so that a
  // bad value is reported once, as itself, and not again as a listing that failed to load.
  const runner = runnerSchema.safeParse(env);
  const omit = new Set([
    ...(runner.success ? [] : runner.error.issues.map((i) => String(i.path[0]))),
    ...problems.map(variableOf).filter((v) => v !== undefined),
  ]);
  const more = await suiteProblems(env, [...omit]).catch(() => [] as string[]);
  exitOnConfigError(new ConfigError([...new Set([...problems, ...more])]), 'scheduler');
}

export async function runDaemon(env: NodeJS.ProcessEnv, checked?: SchedulerConfig): Promise<void> {
  const log = createLog('scheduler');
  const config = checked ?? (await checkDaemonConfig(env));
  let daemon: Daemon | null = null;
  let stopRequested: string | null = null;
  let interrupt = false;
  const onStop = (signal: string) => {
    stopRequested ??= signal;
    if (!daemon) return; // still starting: stop as soon as it has started
    void daemon.stop(signal, { interrupt }).then(
      () => process.exit(0),
      (error: Error) => {
        log(`stop failed: ${error.message}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onStop);
  process.on('SIGINT', onStop);
  // Nobody left to wait for us (npm gone after a SIGTERM it did not pass on, a closed shell): stop
  // now, the runs in flight interrupted (recorded as such) rather than left to finish unattended.
  watchParent((why) => {
    log(`${why}: stopping`);
    interrupt = true;
    onStop('parent gone');
  });
  process.on('SIGHUP', () => {
    log('SIGHUP: re-reading the suite');
    void daemon?.rediscover().catch((error: Error) => log(`rediscovery failed: ${error.message}`));
  });
  try {
    daemon = await startDaemon({ config, env, log });
  } catch (error) {
    if (error instanceof ConfigError) exitOnConfigError(error, 'scheduler');
    log(`could not start: ${(error as Error).message}`);
    process.exit(1);
  }
  // Every module the daemon loads is loaded by now: the compile cache (node-args.ts) goes to disk
  // at once rather than at exit, which a killed daemon never reaches. A no-op without the cache.
  flushCompileCache();
  if (stopRequested) onStop(stopRequested);
}
