// What playwright.config.ts reads from the environment, in one place: the runner's and workers'
// variables, whether the monitor reporter records (MONITOR_REPORTER=off does not), the reporter's
// own (DATABASE_URL's syntax included) and the demo app's fault switches for the webServer.
import { processEnv } from './env.ts';
import { formatIssues } from './parse-env.ts';
import { headedRun, isRecording } from './process-switches.ts';
import { reporterSchema } from './reporter.ts';
import { runnerSchema, type RunnerConfig } from './runner.ts';

export type PlaywrightEnv = {
  /** The whole environment, for the checks that live with their folders (alert channels, policy, browser). */
  env: NodeJS.ProcessEnv;
  runner: RunnerConfig | null;
  /** The monitor reporter records every attempt; MONITOR_REPORTER=off runs without recording. */
  recording: boolean;
  /** One line per problem, naming the variable. */
  problems: string[];
  demoFaults: string;
  demoVariant: string;
  /**
   * This is a worker process, which loads playwright.config.ts too (Playwright sets
   * TEST_WORKER_INDEX there): the runner made the run's checks before any worker started.
   */
  inWorker: boolean;
  /**
   * The run shows a browser (--headed, UI mode, --debug): it takes the full Chromium, not the
   * headless shell. The runner hands it to its workers in MONITOR_HEADED_RUN.
   */
  headed: boolean;
};

export function loadPlaywrightEnv(
  env: NodeJS.ProcessEnv = processEnv(),
  argv: readonly string[] = process.argv,
): PlaywrightEnv {
  const runner = runnerSchema.safeParse(env);
  const inWorker = env.TEST_WORKER_INDEX !== undefined;
  const headed = headedRun(argv, env);
  if (headed && !inWorker) env.MONITOR_HEADED_RUN = '1';
  const recording = isRecording(env);
  const reporter = recording ? reporterSchema.safeParse(env) : null;
  return {
    env,
    runner: runner.success ? runner.data : null,
    recording,
    problems: [
      ...(runner.success ? [] : formatIssues(runner.error)),
      ...(reporter && !reporter.success ? formatIssues(reporter.error) : []),
    ],
    demoFaults: env.DEMO_FAULTS ?? '',
    demoVariant: env.DEMO_VARIANT ?? '',
    inWorker,
    headed,
  };
}
