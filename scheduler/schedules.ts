// Which cron expression each workflow runs on: an operator's MONITOR_SCHEDULE_<ID> override,
// else the spec's own schedule, else MONITORING_INTERVAL_MINUTES. Pure, and every problem is
// reported at once so a bad deploy fails with the full list.
import { isPriority, priorities } from '../core/workflow.ts';
import { cronProblem } from '../core/cron.ts';
import { intervalCron } from './cron.ts';
import { overridePrefix, overrideVariable } from '../config/schedule-overrides.ts';
import { locationsVariable } from '../config/location.ts';
import type { ListedWorkflow } from './suite-listing.ts';

export type ScheduleSource = 'override' | 'spec' | 'interval';

export type ResolvedSchedule = {
  workflowId: string;
  title: string;
  priority: string;
  tags: string[];
  cron: string;
  source: ScheduleSource;
  /** Where it runs from: MONITOR_LOCATIONS_<ID>, else the spec's `locations`; null or absent = every location. */
  locations?: string[] | null;
};

export type ResolveOptions = {
  /** By variable name, as scheduleOverrides() returns them. */
  overrides: ReadonlyMap<string, string>;
  /** MONITOR_LOCATIONS_<ID> by variable name (config/location.ts locationOverrides). */
  locationOverrides?: ReadonlyMap<string, readonly string[]>;
  intervalMinutes: number;
  timezone?: string | undefined;
  allowSeconds?: boolean;
  /**
   * Some spec files could not be loaded, so an override may name one of their workflows: an
   * override naming no workflow is then a warning, not a configuration error.
   */
  suiteIncomplete?: boolean;
};

export type Resolution = { schedules: ResolvedSchedule[]; problems: string[]; warnings: string[] };

export function resolveSchedules(workflows: readonly ListedWorkflow[], options: ResolveOptions): Resolution {
  const problems: string[] = [];
  const warnings: string[] = [];
  const schedules: ResolvedSchedule[] = [];
  const cronOptions = { timezone: options.timezone, allowSeconds: options.allowSeconds ?? false };
  const used = new Set<string>();
  for (const w of workflows) {
    if (!isPriority(w.priority)) {
      problems.push(
        `workflow "${w.id}" (${w.file}): unknown priority "${w.priority}", use one of ${priorities.join(', ')}`,
      );
    }
    const variable = overrideVariable(w.id);
    const override = options.overrides.get(variable);
    let cron: string | undefined;
    let source: ScheduleSource;
    if (override !== undefined) {
      used.add(variable);
      const problem = cronProblem(override, cronOptions);
      if (problem) problems.push(`${variable}: "${override}" is not a valid cron expression (${problem})`);
      cron = override;
      source = 'override';
    } else if (w.schedule) {
      const problem = cronProblem(w.schedule, cronOptions);
      if (problem)
        problems.push(
          `workflow "${w.id}" (${w.file}): schedule "${w.schedule}" is not a valid cron expression (${problem})`,
        );
      cron = w.schedule;
      source = 'spec';
    } else {
      cron = intervalCron(options.intervalMinutes);
      source = 'interval';
      if (!cron)
        problems.push(
          `MONITORING_INTERVAL_MINUTES: ${options.intervalMinutes} cannot be a cron schedule (needed by "${w.id}"); use a divisor of 60 or whole hours dividing 24`,
        );
    }
    const locationsVar = locationsVariable(w.id);
    const assigned = options.locationOverrides?.get(locationsVar);
    if (assigned) used.add(locationsVar);
    const locations = assigned ? [...assigned] : w.locations?.length ? [...w.locations] : null;
    if (cron)
      schedules.push({ workflowId: w.id, title: w.title, priority: w.priority, tags: w.tags, cron, source, locations });
  }
  for (const variable of [...options.overrides.keys(), ...(options.locationOverrides?.keys() ?? [])]) {
    if (used.has(variable)) continue;
    const ids = workflows.map((w) => w.id).join(', ') || 'none';
    if (options.suiteIncomplete)
      warnings.push(`${variable} matches no workflow loaded (ids: ${ids}); ignored until its spec loads`);
    else
      problems.push(
        `${variable} names no workflow (a typo?): the ids are ${ids} (the variable is ${variable.startsWith(overridePrefix) ? overridePrefix : 'MONITOR_LOCATIONS_'} + the id upper-cased, dashes as _)`,
      );
  }
  return { schedules, problems, warnings };
}

export { overridePrefix };

// By id, built once per schedules array (a rediscovery hands a new one): the slot runner looks a
// workflow up per due slot, so 1,000 due slots cost 1,000 lookups, not 1,000 scans.
const byId = new WeakMap<readonly ResolvedSchedule[], Map<string, ResolvedSchedule>>();

export function scheduleOf(list: readonly ResolvedSchedule[], workflowId: string): ResolvedSchedule | undefined {
  let index = byId.get(list);
  if (!index) {
    index = new Map(list.map((s) => [s.workflowId, s]));
    byId.set(list, index);
  }
  return index.get(workflowId);
}

/** The schedules a daemon of `location` runs: those assigned to it, and those assigned to none (every location). */
export function assignedTo(list: readonly ResolvedSchedule[], location: string): ResolvedSchedule[] {
  return list.filter((s) => !s.locations || s.locations.includes(location));
}
