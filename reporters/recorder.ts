// What the monitor reporter (monitor-reporter.ts, which loads this in onBegin) does with a run:
// every attempt of every workflow becomes rows in PostgreSQL, saved while the run goes on
// (onTestEnd), drained with a bound in onEnd. It never throws out of a hook: a database outage
// is spooled and the run's exit code stays the workflows' own. The database, the alert policy and
// the assessment modules load in the background in begin() (while the workers start), the
// channels and their HTTP/SMTP clients only when an alert is sent, the migrator only when a
// migration is due.
import { join, resolve } from 'node:path';
import type { FullConfig, FullResult, TestCase, TestResult, TestStep } from '@playwright/test/reporter';
import { processEnv } from '../config/env.ts';
import { loadReporterConfig, type ReporterConfig } from '../config/reporter.ts';
import type { ExecutionRecord, RunRecord } from '../core/records.ts';
import type { Alerting } from '../notifiers/policy/alerting.ts';
import type * as AssessExecution from '../notifiers/assess/assess-execution.ts';
import type * as Budgets from '../notifiers/assess/budgets.ts';
import type * as DegradedAlert from '../notifiers/assess/degraded-alert.ts';
import { connectAlerting } from './alerting-setup.ts';
import { artifactDir, copyArtifacts } from './artifacts.ts';
import { artifactSources, toExecution } from './map-result.ts';
import { describe, Persistence } from './persistence.ts';
import { runStatus, startingRun } from './run-record.ts';

/** The assessment of passing attempts (notifiers/assess/), loaded with the first one. */
let assessModules: Promise<[typeof AssessExecution, typeof Budgets, typeof DegradedAlert]> | null = null;
const assessModulesLoaded = () =>
  (assessModules ??= Promise.all([
    import('../notifiers/assess/assess-execution.ts'),
    import('../notifiers/assess/budgets.ts'),
    import('../notifiers/assess/degraded-alert.ts'),
  ]));

export class Recorder {
  private cfg: ReporterConfig | null = null;
  /** The runner process's environment, read once (config/env.ts): the reporter's and the alerts' settings. */
  private readonly env = processEnv();
  private persistence: Persistence | null = null;
  private run: RunRecord | null = null;
  private readonly pending = new Set<Promise<void>>();
  private alerting: Promise<Alerting | null> = Promise.resolve(null);
  /** Each workflow's step count in its latest attempt, for "failed step x/y" in an early alert. */
  private stepCounts: Promise<Map<string, number>> = Promise.resolve(new Map());
  /** Attempts handed to persistence (onTestEnd), for the end-of-run line. */
  private reported = 0;
  /** Attempts whose failure already went to the policy from onStepEnd. */
  private readonly decidedEarly = new Set<string>();

  private log(message: string): void {
    process.stderr.write(`[monitor] ${message}\n`);
  }

  begin(config: FullConfig): void {
    try {
      this.cfg = loadReporterConfig(this.env);
      this.run = startingRun(this.cfg, config.shard, process.argv);
      this.persistence = new Persistence({
        stateDir: resolve(this.cfg.MONITOR_STATE_DIR),
        databaseUrl: this.cfg.DATABASE_URL,
        runId: this.run.runId,
        log: (m) => this.log(m),
        timeoutMs: this.cfg.MONITOR_DB_TIMEOUT_MS,
      });
      this.track(this.persistence.save([{ kind: 'run', record: { ...this.run } }]));
      // The policy's state lives in PostgreSQL; without it, failures still alert from the bounded
      // local fallback (offline-alerting.ts), and the next replay feeds the policy what it missed.
      const stateDir = resolve(this.cfg.MONITOR_STATE_DIR);
      this.alerting = connectAlerting(
        this.persistence,
        this.env,
        stateDir,
        (line) => this.log(line),
        this.cfg.MONITOR_LOCATION,
      );
      this.stepCounts = this.persistence.ready
        .then(async (pool) => {
          if (!pool) return new Map<string, number>();
          const { getLastStepCounts } = await import('../db/tables/execution-queries.ts');
          return getLastStepCounts(pool);
        })
        .catch(() => new Map<string, number>());
    } catch (error) {
      this.log(`monitoring disabled for this run: ${describe(error)}`);
    }
  }

  /**
   * A user step that fails on the attempt's last try decides the attempt: its alert leaves now,
   * not after Playwright has closed the context, saved the trace and restarted the worker
   * (a second or more). onTestEnd later stores the full row; the policy counts each attempt once
   * (alert_observations is unique per run and test), so applying it again there is a no-op.
   */
  onStepEnd(test: TestCase, result: TestResult, step: TestStep): void {
    const { persistence, run, cfg } = this;
    if (!persistence || !run || !cfg || !step.error || step.category !== 'test.step' || step.parent) return;
    if (test.expectedStatus !== 'passed' || result.retry < test.retries) return;
    const key = `${test.id}:${result.retry}`;
    if (this.decidedEarly.has(key)) return;
    this.decidedEarly.add(key);
    const failedAt = step.startTime.getTime() + step.duration;
    const timing = cfg.MONITOR_DEBUG === 'timing';
    if (timing) this.log(`timing ${test.id} retry=${result.retry} stepFailed=${failedAt} onStepEnd=${Date.now()}`);
    this.track(
      (async () => {
        const alerting = await this.alerting;
        if (!alerting) return;
        const record = this.earlyRecord(run.runId, test, result, step, failedAt, await this.stepCounts);
        const outcomes = await alerting.onAttempt(record, { willRetry: false });
        if (timing)
          this.log(`timing ${test.id} retry=${result.retry} earlyAlerts=${outcomes.length} delivered=${Date.now()}`);
      })(),
    );
  }

  private earlyRecord(
    runId: string,
    test: TestCase,
    result: TestResult,
    step: TestStep,
    failedAt: number,
    stepCounts: Map<string, number>,
  ): ExecutionRecord {
    const use = test.parent.project()?.use;
    const mode = (v: unknown) =>
      typeof v === 'object' && v !== null && 'mode' in v ? String(v.mode) : String(v ?? 'off');
    const dir = artifactDir(resolve(this.cfg!.MONITOR_STATE_DIR, 'artifacts'), runId, test, result.retry);
    const provisional: TestResult = {
      ...result,
      status: 'failed',
      duration: Math.max(0, failedAt - result.startTime.getTime()),
      error: step.error,
      errors: [step.error!],
    };
    const record = toExecution(runId, test, provisional, {
      tracePath: mode(use?.trace) === 'off' ? null : join(dir, 'trace.zip'),
      screenshotPath: mode(use?.screenshot) === 'off' ? null : join(dir, 'screenshot.png'),
    });
    const known = stepCounts.get(record.workflowId) ?? 0;
    return {
      ...record,
      outcome: 'unexpected',
      totalSteps: Math.max(record.totalSteps, known),
      location: this.cfg!.MONITOR_LOCATION,
    };
  }

  /** `reportedAt`: when Playwright handed the result to the reporter (epoch ms). */
  onTestEnd(test: TestCase, result: TestResult, reportedAt = Date.now()): void {
    const { persistence, run, cfg } = this;
    if (!persistence || !run || !cfg) return;
    // Playwright does not await onTestEnd: the work is tracked and drained in onEnd.
    this.reported++;
    if (cfg.MONITOR_DEBUG === 'timing') this.log(`timing ${test.id} retry=${result.retry} onTestEnd=${reportedAt}`);
    this.track(
      (async () => {
        const artifacts = await copyArtifacts(
          resolve(cfg.MONITOR_STATE_DIR, 'artifacts'),
          run.runId,
          test,
          result,
          artifactSources(result),
        );
        const record = { ...toExecution(run.runId, test, result, artifacts), location: cfg.MONITOR_LOCATION };
        const saving = persistence.save([
          { kind: 'run', record: { ...run } },
          { kind: 'execution', record },
        ]);
        // The policy keeps its own history (alert_observations), so deciding need not wait for the
        // save: the alert leaves while the rest of the run goes on. Without a database there is
        // no alerting object, and a save that fails later spools the row as usual.
        const alerting = await this.alerting;
        if (alerting) {
          const willRetry = result.status !== 'passed' && result.status !== 'skipped' && result.retry < test.retries;
          await Promise.all([
            saving,
            alerting.onAttempt(record, { willRetry }),
            this.assessPerformance(test, record, saving, alerting),
          ]);
        } else {
          await saving;
        }
      })(),
    );
  }

  /**
   * Time budgets and slow-down detection (notifiers/assess/) for a passing attempt, once its row is
   * stored: a DEGRADED episode or its end is one alert, routed and throttled like the others.
   */
  private async assessPerformance(
    test: TestCase,
    record: ExecutionRecord,
    saving: Promise<boolean>,
    alerting: Alerting,
  ): Promise<void> {
    const pool = await this.persistence?.ready;
    if (!pool || record.status !== 'passed' || !(await saving)) return;
    const [{ assessExecution }, { budgetsFromAnnotations }, { degradationAlert }] = await assessModulesLoaded();
    const budgets = budgetsFromAnnotations(test.annotations);
    if (!budgets.ok) this.log(`${record.workflowId}: ${budgets.problem}`);
    const assessment = await assessExecution(pool, record, { budgets: budgets.ok ? budgets.budgets : null });
    const workflow = { id: record.workflowId, name: record.name, priority: record.priority, type: record.type };
    for (const event of assessment?.events ?? [])
      await alerting.dispatcher.dispatchRouted(degradationAlert(event, workflow), record.priority);
  }

  async onEnd(result: FullResult): Promise<void> {
    const { persistence, run, cfg } = this;
    if (!persistence || !run || !cfg) return;
    try {
      run.endedAt = new Date();
      run.status = runStatus[result.status];
      this.track(persistence.save([{ kind: 'run', record: { ...run } }]));
      // The alerting set-up may wait for a database that hangs: bounded like the drain.
      let timer: NodeJS.Timeout | undefined;
      const alerting = await Promise.race([
        this.alerting,
        new Promise<null>((r) => {
          timer = setTimeout(() => r(null), cfg.MONITOR_DRAIN_TIMEOUT_MS);
        }),
      ]);
      clearTimeout(timer);
      let drained = await this.drainOrStop(cfg.MONITOR_DRAIN_TIMEOUT_MS, alerting);
      // Saves still waiting (a database that hangs, a connection that never came) are spooled
      // now, so every execution is recorded or spooled before the line below says so.
      const late = await persistence.settleAll();
      if (late)
        this.log(`${late} execution(s) still waiting for PostgreSQL after ${cfg.MONITOR_DRAIN_TIMEOUT_MS} ms: spooled`);
      if (alerting) {
        this.track(alerting.onRunEnd(run.runId));
        drained = (await this.drainOrStop(cfg.MONITOR_DRAIN_TIMEOUT_MS, alerting)) && drained;
        alerting.close();
      }
      if (!drained)
        this.log(`gave up waiting for ${this.pending.size} pending task(s) after ${cfg.MONITOR_DRAIN_TIMEOUT_MS} ms`);
      // Printed last, and true: where every execution of this run ended up.
      this.log(`run ${run.runId}: ${persistence.summary(this.reported)}`);
    } catch (error) {
      this.log(`could not finish the run record: ${describe(error)}`);
    }
  }

  async onExit(): Promise<void> {
    await this.persistence?.close().catch(() => undefined);
  }

  private track(work: Promise<unknown>): void {
    const p = work.then(
      () => undefined,
      (error: unknown) => this.log(`unexpected: ${describe(error)}`),
    );
    this.pending.add(p);
    void p.finally(() => this.pending.delete(p));
  }

  /**
   * Drains within `timeoutMs`, keeping a reserve at the end: when deliveries are still running
   * then (a webhook that never answers), they are stopped with a reason, and the reserve lets
   * each write its notification_logs row before the process exits.
   */
  private async drainOrStop(timeoutMs: number, alerting: Alerting | null): Promise<boolean> {
    const reserve = alerting ? Math.min(3_000, Math.max(50, Math.floor(timeoutMs / 4))) : 0;
    if (await this.drain(timeoutMs - reserve)) return true;
    if (!alerting) return false;
    alerting.stop(`the run stopped waiting for delivery after ${timeoutMs} ms (MONITOR_DRAIN_TIMEOUT_MS)`);
    return this.drain(reserve);
  }

  private async drain(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (this.pending.size) {
      const left = deadline - Date.now();
      if (left <= 0) return false;
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.allSettled([...this.pending]),
        new Promise((r) => {
          timer = setTimeout(r, left);
        }),
      ]);
      clearTimeout(timer);
    }
    return true;
  }
}
