// The daemon's queue on pg-boss: one per location (`wm-due` for the default location, `wm-due-<name>`
// for the others, so each location's daemons take only its slots) holds one job per due (workflow, slot), `stately` per
// workflow (at most one slot running and one waiting), each job expiring after the run's hard
// timeout and kill grace, retried `MONITOR_PIPELINE_RETRIES` times when the pipeline failed.
import { PgBoss } from 'pg-boss';
import type { SchedulerConfig } from './config.ts';
import { DEFAULT_LOCATION } from '../core/locations.ts';
import type { DueSlot } from './due-slots.ts';
import type { Log } from './log.ts';

export const dueQueue = 'wm-due';

/** The due-slot queue of `location`: the daemons of one location share it, those of others never see it. */
export function dueQueueFor(location: string): string {
  return location === DEFAULT_LOCATION ? dueQueue : `${dueQueue}-${location}`;
}

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
  const queue = dueQueueFor(c.location);
  await boss.createQueue(queue, { policy: 'stately', ...queueOptions });
  await boss.updateQueue(queue, queueOptions);
  return boss;
}

/** Due slots into the queue, with the job ids the caller chose (slotJobId). */
export async function enqueueSlots(boss: PgBoss, slots: DueSlot[], ids: string[], queue = dueQueue): Promise<void> {
  await boss.insert(
    queue,
    slots.map((s, i) => ({
      id: ids[i]!,
      data: { workflowId: s.workflowId, slot: s.slot.toISOString() },
      singletonKey: s.workflowId,
    })),
  );
}
