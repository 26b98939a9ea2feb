// The daemon as a process: configuration (exit 2 on any problem, nothing started), signals
// (SIGTERM/SIGINT stop cleanly with exit 0, SIGHUP re-reads the suite, the parent's death stops
// it too), and exit codes.
import { ConfigError, exitOnConfigError } from '../config/parse-env.ts';
import { runnerSchema } from '../config/runner.ts';
import { suiteProblems } from './discover.ts';
import { loadSchedulerConfig, type SchedulerConfig } from './config.ts';
import { startDaemon, type Daemon } from './daemon.ts';
import { createLog } from './log.ts';
import { watchParent } from './parent-watch.ts';

export async function runDaemon(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const log = createLog('scheduler');
  let config: SchedulerConfig;
  try {
    config = loadSchedulerConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const runner = runnerSchema.safeParse(env);
    const omit = runner.success ? [] : runner.error.issues.map((i) => String(i.path[0]));
    const more = await suiteProblems(env, omit).catch(() => [] as string[]);
    exitOnConfigError(new ConfigError([...new Set([...error.problems, ...more])]), 'scheduler');
  }
  let daemon: Daemon | null = null;
  let stopRequested: string | null = null;
  let interrupt = false;
  const onStop = (signal: string) => {
    stopRequested ??= signal;
    if (!daemon) return; // still starting: stop as soon as it has started
    void daemon.stop(signal, { interrupt }).then(() => process.exit(0), (error: Error) => {
      log(`stop failed: ${error.message}`);
      process.exit(1);
    });
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
  if (stopRequested) onStop(stopRequested);
}
