// Schedules in words for people ("Every 15 minutes"), next run times for the CLI and the log.
import cronstrue from 'cronstrue';
import { isPriority, type Priority } from '../core/workflow.ts';
import { resolveRules, type Policy } from '../notifiers/policy/rules.ts';
import { nextOccurrence } from './cron.ts';
import type { ResolvedSchedule } from './schedules.ts';

export function describeCron(cron: string): string {
  try {
    return cronstrue.toString(cron, { use24HourTimeFormat: true, verbose: false });
  } catch {
    return cron;
  }
}

export type ScheduleRow = {
  id: string;
  priority: string;
  schedule: string;
  cron: string;
  source: string;
  nextRun: string | null;
};

export function scheduleRows(schedules: readonly ResolvedSchedule[], now: Date, timezone?: string): ScheduleRow[] {
  return schedules.map((s) => ({
    id: s.workflowId,
    priority: s.priority,
    schedule: describeCron(s.cron),
    cron: s.cron,
    source: s.source,
    nextRun: nextOccurrence(s.cron, now, timezone)?.toISOString() ?? null,
  }));
}

/** What the dashboard shows of a schedule (the daemon, `workflow-monitor dashboard` and the screenshots use it). */
export function dashboardSchedules(schedules: readonly ResolvedSchedule[], policy: Policy) {
  const priority = (p: string): Priority => (isPriority(p) ? p : 'medium');
  return schedules.map((s) => ({
    workflowId: s.workflowId,
    title: s.title,
    priority: s.priority,
    tags: s.tags,
    cron: s.cron,
    description: describeCron(s.cron),
    alertAfterFailures: resolveRules(policy, priority(s.priority), s.tags).down.consecutiveFailures,
  }));
}
