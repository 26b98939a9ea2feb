// The monitor reporter, as Playwright loads it: the lifecycle only. Importing it loads nothing
// but this file and run-record.ts's test for merge-reports: onBegin loads what records the run
// (recorder.ts, with the configuration, the mappers and, in the background, the database and the
// alert policy) while the workers start, and every later hook is handed on to it in order. A
// failure's early alert (onStepEnd) waits for nothing more than it did: the recorder is loaded
// long before the first step can end, and handing on costs one microtask.
import type {
  FullConfig,
  FullResult,
  Reporter,
  Suite,
  TestCase,
  TestResult,
  TestStep,
} from '@playwright/test/reporter';
import type { Recorder } from './recorder.ts';
import { isMergeReports } from './run-record.ts';

export default class MonitorReporter implements Reporter {
  /** Null when nothing is recorded (`--list`, merge-reports, a recorder that could not load). */
  private recorder: Promise<Recorder | null> = Promise.resolve(null);

  printsToStdio(): boolean {
    return false;
  }

  private log(message: string): void {
    process.stderr.write(`[monitor] ${message}\n`);
  }

  onBegin(config: FullConfig, _suite: Suite): void {
    // `--list` runs nothing: no run to record.
    if (process.argv.includes('--list')) return;
    // `merge-reports` replays executions that the shards' own monitor reporters stored already.
    if (isMergeReports(process.argv)) {
      this.log('merge-reports: the shards recorded their executions when they ran; nothing is recorded again');
      return;
    }
    this.recorder = import('./recorder.ts').then(
      ({ Recorder }) => {
        const recorder = new Recorder();
        recorder.begin(config);
        return recorder;
      },
      (error: unknown) => {
        this.log(`monitoring disabled for this run: ${error instanceof Error ? error.message : String(error)}`);
        return null;
      },
    );
  }

  onStepEnd(test: TestCase, result: TestResult, step: TestStep): void {
    // Only a failed top-level user step can start an early alert: nothing to hand on otherwise.
    if (!step.error || step.category !== 'test.step' || step.parent) return;
    this.handOn((r) => r.onStepEnd(test, result, step));
  }

  onTestEnd(test: TestCase, result: TestResult): void {
    const reportedAt = Date.now();
    this.handOn((r) => r.onTestEnd(test, result, reportedAt));
  }

  /** Hooks Playwright does not await: handed on in order, never throwing out of the reporter. */
  private handOn(hook: (recorder: Recorder) => void): void {
    void this.recorder
      .then((r) => r && hook(r))
      .catch((error: unknown) => this.log(`unexpected: ${error instanceof Error ? error.message : String(error)}`));
  }

  async onEnd(result: FullResult): Promise<void> {
    await (await this.recorder)?.onEnd(result);
  }

  async onExit(): Promise<void> {
    await (await this.recorder)?.onExit();
  }
}
