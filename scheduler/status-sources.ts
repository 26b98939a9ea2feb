// What the public status page needs from the daemon's side: its STATUS_PAGE_* settings, the
// workflows (from discovery) and the alert policy's maintenance windows as plain occurrences.
import { Cron } from 'croner';
import type { StatusPageConfig } from '../config/status-page.ts';
import type { StatusSources } from '../dashboard/status/build.ts';
import type { MaintenanceView, StatusWorkflow } from '../dashboard/status/model.ts';
import { openOccurrence, type MaintenanceWindow } from '../notifiers/policy/maintenance.ts';
import type { ResolvedSchedule } from './schedules.ts';

/** Each window's open occurrence, else its next one within 30 days; soonest first. */
export function maintenanceOccurrences(windows: readonly MaintenanceWindow[], now: Date): MaintenanceView[] {
  const horizon = now.getTime() + 30 * 86_400_000;
  const out: MaintenanceView[] = [];
  for (const w of windows) {
    let occurrence = openOccurrence(w, now);
    if (!occurrence) {
      if ('start' in w) occurrence = w.start > now ? { start: w.start, end: w.end } : null;
      else {
        const next = new Cron(w.cron, { paused: true, timezone: w.timezone }).nextRun(now);
        occurrence = next ? { start: next, end: new Date(next.getTime() + w.durationMinutes * 60_000) } : null;
      }
    }
    if (occurrence && occurrence.start.getTime() <= horizon)
      out.push({ name: w.name, workflows: w.workflows, tags: w.tags, ...occurrence });
  }
  return out.sort((a, b) => a.start.getTime() - b.start.getTime());
}

/**
 * `config`: STATUS_PAGE_* and `windows`: the alert policy's maintenance windows, both parsed once
 * (SchedulerConfig's statusPage and policy).
 */
export function statusSources(
  config: StatusPageConfig,
  windows: readonly MaintenanceWindow[],
  workflows: () => readonly StatusWorkflow[],
): StatusSources {
  return { config, workflows, maintenance: (now) => maintenanceOccurrences(windows, now) };
}

/** The status page's workflows: discovery's schedules, by id, title, priority and tags. */
export function statusWorkflows(schedules: readonly ResolvedSchedule[]): StatusWorkflow[] {
  return schedules.map((s) => ({ id: s.workflowId, title: s.title, priority: s.priority, tags: s.tags }));
}
