// Maintenance windows: runs go on and are recorded, alerts about the workflows a window covers
// are muted while it is open. A window is either fixed (start..end) or recurring (cron + duration),
// and covers workflows by id, by tag, or everything when it names neither.
import { Cron } from 'croner';
import { z } from 'zod';
import { cronProblem } from '../../core/cron.ts';
import { normalizeTag } from './rules.ts';

type Scope = { name: string | null; workflows: readonly string[]; tags: readonly string[] };
export type FixedWindow = Scope & { start: Date; end: Date };
export type RecurringWindow = Scope & { cron: string; durationMinutes: number; timezone: string };
export type MaintenanceWindow = FixedWindow | RecurringWindow;

// The one cron check (core/cron.ts); a window may start at a second, as croner allows.
const validCron = (pattern: string, timezone: string): boolean =>
  cronProblem(pattern, { timezone, allowSeconds: true }) === undefined;

const scope = {
  name: z.string().min(1).optional(),
  workflows: z.array(z.string().min(1)).optional(),
  tags: z.array(z.string().min(1)).optional(),
};

const fixedSchema = z
  .strictObject({ ...scope, start: z.iso.datetime({ offset: true }), end: z.iso.datetime({ offset: true }) })
  .refine((w) => Date.parse(w.end) > Date.parse(w.start), { error: 'end must be after start' });

const recurringSchema = z
  .strictObject({
    ...scope,
    cron: z.string().min(1),
    durationMinutes: z
      .number()
      .int()
      .min(1)
      .max(7 * 24 * 60),
    timezone: z.string().min(1).default('UTC'),
  })
  .refine((w) => validCron(w.cron, w.timezone), {
    error: 'cron must be a valid cron pattern (and timezone a valid IANA zone)',
  });

/** One element of MAINTENANCE_WINDOWS. */
export const maintenanceWindowSchema = z
  .union([fixedSchema, recurringSchema], {
    error: 'each window needs start and end (ISO times with offset), or cron and durationMinutes',
  })
  .transform((w): MaintenanceWindow => {
    const base: Scope = { name: w.name ?? null, workflows: w.workflows ?? [], tags: (w.tags ?? []).map(normalizeTag) };
    return 'cron' in w
      ? { ...base, cron: w.cron, durationMinutes: w.durationMinutes, timezone: w.timezone }
      : { ...base, start: new Date(w.start), end: new Date(w.end) };
  });

export const maintenanceWindowsSchema = z.array(maintenanceWindowSchema);

export function windowCovers(w: MaintenanceWindow, workflowId: string, tags: readonly string[]): boolean {
  if (w.workflows.length === 0 && w.tags.length === 0) return true;
  if (w.workflows.includes(workflowId)) return true;
  const own = new Set(tags.map(normalizeTag));
  return w.tags.some((t) => own.has(t));
}

/** The current occurrence of a window as [start, end), or null when it is not open at `now`. */
export function openOccurrence(w: MaintenanceWindow, now: Date): { start: Date; end: Date } | null {
  if ('start' in w) return w.start <= now && now < w.end ? { start: w.start, end: w.end } : null;
  const cron = new Cron(w.cron, { paused: true, timezone: w.timezone });
  // previousRuns includes a run in the same second as the reference: a window opening exactly now is open.
  const [start] = cron.previousRuns(1, new Date(now.getTime() + 1));
  if (!start) return null;
  const end = new Date(start.getTime() + w.durationMinutes * 60_000);
  return start <= now && now < end ? { start, end } : null;
}

/** The open window covering this workflow, if any. */
export function activeWindow(
  windows: readonly MaintenanceWindow[],
  workflow: { id: string; tags: readonly string[] },
  now: Date,
): MaintenanceWindow | null {
  return windows.find((w) => windowCovers(w, workflow.id, workflow.tags) && openOccurrence(w, now) !== null) ?? null;
}

export function inMaintenance(
  windows: readonly MaintenanceWindow[],
  workflow: { id: string; tags: readonly string[] },
  now: Date,
): boolean {
  return activeWindow(windows, workflow, now) !== null;
}
