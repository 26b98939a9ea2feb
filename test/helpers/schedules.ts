// A resolved schedule as discovery hands it to the timekeeper, for the scheduler's unit tests.
import type { ResolvedSchedule } from '../../scheduler/schedules.ts';

export const schedule = (workflowId: string, cron: string): ResolvedSchedule => ({
  workflowId,
  title: workflowId,
  priority: 'high',
  tags: [],
  cron,
  source: 'spec',
});
