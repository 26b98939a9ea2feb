// The daemon's queue on pg-boss: `wm-due` holds one job per due (workflow, slot), `stately` per
// workflow (at most one slot running and one waiting), each job expiring after the run's hard
// timeout and kill grace, retried `MONITOR_PIPELINE_RETRIES` times when the pipeline failed.
import { PgBoss } from 'pg-boss';
import type { SchedulerConfig } from './config.ts';
import type { DueSlot } from './due-slots.ts';
import type { Log } from './log.ts';

export const dueQueue = 'wm-due';

export async function startQueue(c: SchedulerConfig, url: string, log: Log): Promise<PgBoss> {
  const boss = new PgBoss({
    connectionString: url,
    max: 4,
    superviseIntervalSeconds: 10,
    monitorIntervalSeconds: 10,
    schedule: c.housekeeping,
    application_name: 'workflow-monitor-scheduler',
  });
  boss.on('error', (error: Error) => log(`pg-boss: ${error.message}`));
  await boss.start();
  const expireInSeconds = Math.ceil((c.runTimeoutMs + c.killGraceMs) / 1000) + 60;
  const queueOptions = {
    retryLimit: c.pipelineRetries,
    retryDelay: c.pipelineRetryDelaySeconds,
    retryBackoff: true,
    expireInSeconds,
    heartbeatSeconds: 10,
    deleteAfterSeconds: 3 * 86_400,
  };
  // stately: per workflow (singletonKey) at most one slot running and one waiting, so a run that
  // outlasts its interval is never overlapped and late slots do not pile up behind it.
  await boss.createQueue(dueQueue, { policy: 'stately', ...queueOptions });
  await boss.updateQueue(dueQueue, queueOptions);
  return boss;
}

/** Due slots into the queue, with the job ids the caller chose (slotJobId). */
export async function enqueueSlots(boss: PgBoss, slots: DueSlot[], ids: string[]): Promise<void> {
  await boss.insert(
    dueQueue,
    slots.map((s, i) => ({
      id: ids[i]!,
      data: { workflowId: s.workflowId, slot: s.slot.toISOString() },
      singletonKey: s.workflowId,
    })),
  );
}
