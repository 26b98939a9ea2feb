// Prometheus metrics of the daemon (prom-client), on a registry of its own so that tests and
// a future dashboard can create several daemons in one process.
// Names follow Prometheus' rules: one `workflow_monitor_` prefix (prom-client's default metrics
// already start with `process_`/`nodejs_`), base units in the name (`_seconds`), `_total` on counters.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { DatabasePool } from '../db/pool.ts';
import type { ExecutionRow } from '../db/tables/execution-queries.ts';
import { addWorkflowGauges } from './workflow-gauges.ts';

export type SchedulerMetrics = ReturnType<typeof createMetrics>;

export function createMetrics(options: { pool?: () => DatabasePool | null } = {}) {
  const registry = new Registry();
  const p = 'workflow_monitor_';
  collectDefaultMetrics({ register: registry, prefix: p });
  if (options.pool) addWorkflowGauges(registry, options.pool, p);
  // Every metric of ours: the prefix, this registry, labels typed by name.
  const counter = <L extends string = never>(name: string, help: string, labelNames: readonly L[] = []) =>
    new Counter({ name: `${p}${name}`, help, labelNames, registers: [registry] });
  const gauge = <L extends string = never>(name: string, help: string, labelNames: readonly L[] = []) =>
    new Gauge({ name: `${p}${name}`, help, labelNames, registers: [registry] });
  const histogram = <L extends string = never>(
    name: string,
    help: string,
    buckets: number[],
    labelNames: readonly L[] = [],
  ) => new Histogram({ name: `${p}${name}`, help, labelNames, buckets, registers: [registry] });
  return {
    registry,
    invocations: counter('invocations_total', 'playwright test invocations started by this daemon, by result', [
      'result',
    ]),
    executions: counter(
      'executions_total',
      "Workflow attempts recorded for this daemon's runs, by workflow and status",
      ['workflow', 'status'],
    ),
    executionDuration: histogram(
      'execution_duration_seconds',
      'Duration of workflow attempts',
      [1, 2, 5, 10, 20, 30, 60, 120, 300],
      ['workflow'],
    ),
    invocationDuration: histogram(
      'invocation_duration_seconds',
      'Wall time of playwright test invocations',
      [5, 10, 30, 60, 120, 300, 600, 1200],
    ),
    tickToSpawn: histogram(
      'tick_to_spawn_seconds',
      'From a slot falling due to its invocation starting',
      [0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60],
    ),
    pipelineFailures: counter(
      'pipeline_failures_total',
      'Invocations that crashed or recorded nothing (not workflow failures)',
      ['reason'],
    ),
    notificationFailures: counter('notification_failures_total', 'Alert deliveries by this daemon that failed', [
      'channel',
    ]),
    runs: counter(
      'workflow_runs_total',
      'Runs of each workflow by this daemon, by final outcome after retries (passed, flaky, failed, timedOut, interrupted)',
      ['workflow', 'outcome'],
    ),
    lastSuccess: gauge('last_success_timestamp_seconds', 'When each workflow last passed (unix time)', ['workflow']),
    lastTick: gauge('last_tick_timestamp_seconds', 'When the scheduling loop last completed a healthy tick'),
    running: gauge('running_invocations', 'Invocations running now'),
    capacityRatio: gauge(
      'capacity_ratio',
      'Due work over what the live daemons can run (workers x concurrency); above 1 a schedule cannot be met',
    ),
    workflows: gauge('scheduled_workflows', 'Workflows on a schedule'),
    housekeeping: counter('housekeeping_runs_total', 'Housekeeping jobs run, by job and result', ['job', 'result']),
  };
}

/** The final outcome of each run among `attempts` (one run's rows): its newest retry, flaky when it passed after a failure. */
export function finalOutcomes(
  attempts: readonly Pick<ExecutionRow, 'runId' | 'testId' | 'retry' | 'workflowId' | 'status' | 'outcome'>[],
) {
  const last = new Map<string, (typeof attempts)[number]>();
  for (const a of attempts) {
    const key = `${a.runId}\n${a.testId}`;
    const seen = last.get(key);
    if (!seen || a.retry > seen.retry) last.set(key, a);
  }
  return [...last.values()]
    .filter((a) => a.status !== 'skipped')
    .map((a) => ({
      workflow: a.workflowId,
      outcome: a.status === 'passed' && (a.retry > 0 || a.outcome === 'flaky') ? 'flaky' : a.status,
    }));
}
