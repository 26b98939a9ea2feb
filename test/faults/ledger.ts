// What every fault test counts: executions expected, stored and spooled; alerts expected and
// received; rows in notification_logs. "0 lost, 0 duplicated, 0 silent" is asserted from these.
import { sql, type CommonQueryMethods } from 'slonik';
import { z } from 'zod';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { outboxDir } from '../../db/outbox.ts';
import { notificationLogRow } from '../../db/tables/notification-logs.ts';

export type ExecutionCount = { stored: number; distinct: number; spooled: number };

/** Executions of `workflowId` in the database (all and distinct per run+test+retry) and lines waiting in the outbox. */
export async function countExecutions(
  db: CommonQueryMethods,
  stateDir: string,
  workflowId?: string,
): Promise<ExecutionCount> {
  const filter = workflowId ? sql.fragment`WHERE workflow_id = ${workflowId}` : sql.fragment``;
  const row = await db.one(sql.type(z.object({ stored: z.number(), distinct: z.number() }))`
    SELECT count(*)::integer AS stored, count(DISTINCT (run_id, test_id, retry))::integer AS distinct
    FROM workflow_executions ${filter}`);
  return { ...row, spooled: await spooledExecutions(stateDir) };
}

const logRow = notificationLogRow.pick({
  channel: true,
  kind: true,
  workflowId: true,
  runId: true,
  sent: true,
  throttled: true,
  error: true,
  attempts: true,
});
export type LogRow = z.infer<typeof logRow>;

export async function notificationLogs(db: CommonQueryMethods): Promise<LogRow[]> {
  return [
    ...(await db.any(sql.type(
      logRow,
    )`SELECT channel, kind, workflow_id AS "workflowId", run_id AS "runId", sent, throttled,
    error, attempts FROM notification_logs ORDER BY id`)),
  ];
}

/** Execution lines waiting in the outbox (run and notification lines left out). */
export async function spooledExecutions(stateDir: string): Promise<number> {
  const dir = outboxDir(stateDir);
  let n = 0;
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    if (!name.includes('.jsonl')) continue;
    const text = await readFile(join(dir, name), 'utf8').catch(() => '');
    n += text.split('\n').filter((l) => l.includes('"kind":"execution"')).length;
  }
  return n;
}
