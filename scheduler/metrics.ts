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
  collectDefaultMetrics({ register: registry, prefix: 'workflow_monitor_' });
  const p = 'workflow_monitor_';
  if (options.pool) addWorkflowGauges(registry, options.pool, p);
  return {
    registry,
    invocations: new Counter({
      name: `${p}invocations_total`,
      help: 'playwright test invocations started by this daemon, by result',
      labelNames: ['result'] as const,
      registers: [registry],
    }),
    executions: new Counter({
      name: `${p}executions_total`,
      help: "Workflow attempts recorded for this daemon's runs, by workflow and status",
      labelNames: ['workflow', 'status'] as const,
      registers: [registry],
    }),
    executionDuration: new Histogram({
      name: `${p}execution_duration_seconds`,
      help: 'Duration of workflow attempts',
      labelNames: ['workflow'] as const,
      buckets: [1, 2, 5, 10, 20, 30, 60, 120, 300],
      registers: [registry],
    }),
    invocationDuration: new Histogram({
      name: `${p}invocation_duration_seconds`,
      help: 'Wall time of playwright test invocations',
      buckets: [5, 10, 30, 60, 120, 300, 600, 1200],
      registers: [registry],
    }),
    tickToSpawn: new Histogram({
      name: `${p}tick_to_spawn_seconds`,
      help: 'From a slot falling due to its invocation starting',
      buckets: [0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60],
      registers: [registry],
    }),
    pipelineFailures: new Counter({
      name: `${p}pipeline_failures_total`,
      help: 'Invocations that crashed or recorded nothing (not workflow failures)',
      labelNames: ['reason'] as const,
      registers: [registry],
    }),
    notificationFailures: new Counter({
      name: `${p}notification_failures_total`,
      help: 'Alert deliveries by this daemon that failed',
      labelNames: ['channel'] as const,
      registers: [registry],
    }),
    runs: new Counter({
      name: `${p}workflow_runs_total`,
      help: 'Runs of each workflow by this daemon, by final outcome after retries (passed, flaky, failed, timedOut, interrupted)',
      labelNames: ['workflow', 'outcome'] as const,
      registers: [registry],
    }),
    lastSuccess: new Gauge({
      name: `${p}last_success_timestamp_seconds`,
      help: 'When each workflow last passed (unix time)',
      labelNames: ['workflow'] as const,
      registers: [registry],
    }),
    lastTick: new Gauge({
      name: `${p}last_tick_timestamp_seconds`,
      help: 'When the scheduling loop last completed a healthy tick',
      registers: [registry],
    }),
    running: new Gauge({ name: `${p}running_invocations`, help: 'Invocations running now', registers: [registry] }),
    capacityRatio: new Gauge({
      name: `${p}capacity_ratio`,
      help: 'Due work over what the live daemons can run (workers x concurrency); above 1 a schedule cannot be met',
      registers: [registry],
    }),
    workflows: new Gauge({ name: `${p}scheduled_workflows`, help: 'Workflows on a schedule', registers: [registry] }),
    housekeeping: new Counter({
      name: `${p}housekeeping_runs_total`,
      help: 'Housekeeping jobs run, by job and result',
      labelNames: ['job', 'result'] as const,
      registers: [registry],
    }),
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
