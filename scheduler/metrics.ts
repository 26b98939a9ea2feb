// Prometheus metrics of the daemon (prom-client), on a registry of its own so that tests and
// a future dashboard can create several daemons in one process.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export type SchedulerMetrics = ReturnType<typeof createMetrics>;

export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'workflow_monitor_process_' });
  const p = 'workflow_monitor_';
  return {
    registry,
    invocations: new Counter({ name: `${p}invocations_total`, help: 'playwright test invocations started by this daemon, by result', labelNames: ['result'] as const, registers: [registry] }),
    executions: new Counter({ name: `${p}executions_total`, help: 'Workflow attempts recorded for this daemon\'s runs, by workflow and status', labelNames: ['workflow', 'status'] as const, registers: [registry] }),
    executionDuration: new Histogram({ name: `${p}execution_duration_seconds`, help: 'Duration of workflow attempts', labelNames: ['workflow'] as const, buckets: [1, 2, 5, 10, 20, 30, 60, 120, 300], registers: [registry] }),
    invocationDuration: new Histogram({ name: `${p}invocation_duration_seconds`, help: 'Wall time of playwright test invocations', buckets: [5, 10, 30, 60, 120, 300, 600, 1200], registers: [registry] }),
    tickToSpawn: new Histogram({ name: `${p}tick_to_spawn_seconds`, help: 'From a slot falling due to its invocation starting', buckets: [0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60], registers: [registry] }),
    pipelineFailures: new Counter({ name: `${p}pipeline_failures_total`, help: 'Invocations that crashed or recorded nothing (not workflow failures)', labelNames: ['reason'] as const, registers: [registry] }),
    notificationFailures: new Counter({ name: `${p}notification_failures_total`, help: 'Alert deliveries by this daemon that failed', labelNames: ['channel'] as const, registers: [registry] }),
    lastSuccess: new Gauge({ name: `${p}last_success_timestamp_seconds`, help: 'When each workflow last passed (unix time)', labelNames: ['workflow'] as const, registers: [registry] }),
    lastTick: new Gauge({ name: `${p}last_tick_timestamp_seconds`, help: 'When the scheduling loop last completed a healthy tick', registers: [registry] }),
    running: new Gauge({ name: `${p}running_invocations`, help: 'Invocations running now', registers: [registry] }),
    workflows: new Gauge({ name: `${p}scheduled_workflows`, help: 'Workflows on a schedule', registers: [registry] }),
    housekeeping: new Counter({ name: `${p}housekeeping_runs_total`, help: 'Housekeeping jobs run, by job and result', labelNames: ['job', 'result'] as const, registers: [registry] }),
  };
}
