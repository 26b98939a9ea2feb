// Per-workflow gauges read from PostgreSQL at scrape time, so they are right whichever process
// ran the workflow: up (1, or 0 while DOWN), the last attempt's duration and when it started.
// One query per scrape, shared by the three gauges (prom-client collects them concurrently).
import { Gauge, type Registry } from 'prom-client';
import { z } from 'zod';
import { sql } from 'slonik';
import type { DatabasePool } from '../db/pool.ts';

const row = z.object({
  workflowId: z.string(),
  priority: z.string(),
  up: z.boolean(),
  durationMs: z.number(),
  startedAt: z.date(),
});
type Row = z.infer<typeof row>;

export async function workflowRows(pool: DatabasePool): Promise<readonly Row[]> {
  // The alert policy's state when there is one (a failure short of the threshold is still up);
  // otherwise the last attempt's status.
  return pool.any(sql.type(row)`
    SELECT l.workflow_id AS "workflowId", l.priority, coalesce(s.state <> 'down', l.status = 'passed') AS up,
      l.duration_ms AS "durationMs", l.started_at AS "startedAt"
    FROM workflow_last_executions l LEFT JOIN workflow_states s ON s.workflow_id = l.workflow_id
    ORDER BY l.workflow_id`);
}

export function addWorkflowGauges(registry: Registry, pool: () => DatabasePool | null, prefix: string): void {
  let pending: { at: number; rows: Promise<readonly Row[]> } | null = null;
  const rows = (): Promise<readonly Row[]> => {
    let p: DatabasePool | null = null;
    try {
      p = pool();
    } catch {
      /* the daemon has not declared its pool yet (a scrape during start-up) */
    }
    if (!p) return Promise.resolve([]);
    if (!pending || Date.now() - pending.at > 1000) pending = { at: Date.now(), rows: workflowRows(p).catch(() => []) };
    return pending.rows;
  };
  const gauge = (name: string, help: string, labelNames: string[], value: (r: Row) => number) =>
    new Gauge({
      name: `${prefix}${name}`,
      help,
      labelNames,
      registers: [registry],
      async collect() {
        const list = await rows();
        this.reset();
        for (const r of list) {
          this.set(
            labelNames.includes('priority')
              ? { workflow: r.workflowId, priority: r.priority }
              : { workflow: r.workflowId },
            value(r),
          );
        }
      },
    });
  gauge(
    'workflow_up',
    'Whether the workflow is up (1) or DOWN (0) by the alert policy, from the database',
    ['workflow', 'priority'],
    (r) => (r.up ? 1 : 0),
  );
  gauge(
    'workflow_last_duration_seconds',
    "Duration of the workflow's latest attempt",
    ['workflow'],
    (r) => r.durationMs / 1000,
  );
  gauge(
    'workflow_last_run_timestamp_seconds',
    "When the workflow's latest attempt started (unix time)",
    ['workflow'],
    (r) => r.startedAt.getTime() / 1000,
  );
}
