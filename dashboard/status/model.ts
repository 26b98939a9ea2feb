// The status page's model, pure: workflows into groups with their state in words, one cell per
// day of availability, and incidents (overlapping DOWN episodes of several workflows are one
// incident) with a cause in words. Nothing from a raw error reaches the model's public fields.
import type { StatusGroup } from './config.ts';
import type { DayFigure, Episode, PolicyState } from './queries.ts';

const DAY_MS = 86_400_000;
export type StateWord = 'Operational' | 'Degraded' | 'Outage' | 'Maintenance' | 'No data';
export type StatusWorkflow = { id: string; title: string; priority: string; tags: readonly string[] };
export type MaintenanceView = {
  name: string | null;
  start: Date;
  end: Date;
  workflows: readonly string[];
  tags: readonly string[];
};
export type DayCell = { day: string; runs: number; availability: number | null };
export type WorkflowStatus = {
  id: string;
  title: string;
  state: StateWord;
  days: DayCell[];
  availability: number | null;
};
export type GroupStatus = { name: string; state: StateWord; workflows: WorkflowStatus[] };
export type Incident = {
  id: number;
  start: Date;
  end: Date | null;
  durationMs: number;
  workflows: { id: string; title: string }[];
  cause: string;
};

const rank: Record<StateWord, number> = { 'No data': 0, Operational: 1, Maintenance: 2, Degraded: 3, Outage: 4 };
export const worst = (states: readonly StateWord[]): StateWord =>
  states.reduce<StateWord>((a, b) => (rank[b] > rank[a] ? b : a), 'No data');

export function covers(w: MaintenanceView, workflow: StatusWorkflow): boolean {
  return (
    (w.workflows.length === 0 && w.tags.length === 0) ||
    w.workflows.includes(workflow.id) ||
    w.tags.some((t) => workflow.tags.map((x) => x.replace(/^@/, '')).includes(t.replace(/^@/, '')))
  );
}

export function stateWord(state: PolicyState | undefined, inMaintenance: boolean): StateWord {
  if (inMaintenance) return 'Maintenance';
  if (!state) return 'No data';
  if (state.state === 'down') return 'Outage';
  // "Degraded" is the page's public word (a presentation word, not a stored value): a workflow
  // that works, but not as it should: flaky (policy state `flaky`), flapping, or slow (DEGRADED
  // by notifiers/assess/, over its time budget or slower than usual).
  if (state.state === 'flaky' || state.flapping || state.slow) return 'Degraded';
  return 'Operational';
}

/** The cause as a visitor reads it: a category, never the error's own text. */
export function causeInWords(full: string | null): string {
  // The first line is the failure; later ones are Playwright's call log (waiting, timeouts).
  const error = (full ?? '').trim().split('\n')[0]!;
  if (error === '') return 'The check failed several times in a row.';
  if (
    /target unreachable|ERR_CONNECTION|ERR_NAME_NOT_RESOLVED|ERR_ADDRESS|ECONNREFUSED|ENOTFOUND|EHOSTUNREACH/i.test(
      error,
    )
  )
    return 'The service could not be reached.';
  if (/unhealthy|health check/i.test(error)) return 'The service reported a problem with one of its components.';
  if (/did not happen within|timeout|timed out|exceeded/i.test(error))
    return 'A step of the journey took too long to complete.';
  if (/\b5\d\d\b|internal server error|service unavailable|bad gateway/i.test(error))
    return 'The service answered with an error.';
  return 'A step of the journey did not complete as expected.';
}

/** The last `days` UTC days, oldest first, each with its availability (null without runs). */
export function dayCells(figures: readonly DayFigure[] | undefined, days: number, now: Date): DayCell[] {
  const byDay = new Map((figures ?? []).map((f) => [f.day, f]));
  const today = Math.floor(now.getTime() / DAY_MS) * DAY_MS;
  const cells: DayCell[] = [];
  for (let i = days - 1; i >= 0; i--) {
    const day = new Date(today - i * DAY_MS).toISOString().slice(0, 10);
    const f = byDay.get(day);
    cells.push({ day, runs: f?.runs ?? 0, availability: f && f.runs > 0 ? f.passed / f.runs : null });
  }
  return cells;
}

export function overall(cells: readonly DayCell[]): number | null {
  const runs = cells.reduce((n, c) => n + c.runs, 0);
  const passed = cells.reduce((n, c) => n + (c.availability ?? 0) * c.runs, 0);
  return runs > 0 ? passed / runs : null;
}

/** Configured groups, or one per priority (critical first); workflows of no group are left out. */
export function groupWorkflows(
  workflows: readonly StatusWorkflow[],
  groups: readonly StatusGroup[] | null,
): { name: string; workflows: StatusWorkflow[] }[] {
  const byId = new Map(workflows.map((w) => [w.id, w]));
  if (groups)
    return groups.map((g) => ({
      name: g.name,
      workflows: g.workflows.map((id) => byId.get(id) ?? { id, title: id, priority: 'medium', tags: [] }),
    }));
  const order = ['critical', 'high', 'medium', 'low'];
  const label: Record<string, string> = {
    critical: 'Critical services',
    high: 'Core services',
    medium: 'Services',
    low: 'Other services',
  };
  return order
    .map((p) => ({
      name: label[p] ?? p,
      workflows: workflows.filter((w) => (order.includes(w.priority) ? w.priority : 'medium') === p),
    }))
    .filter((g) => g.workflows.length > 0);
}

/** Episodes that overlap in time (of any workflows) are one incident, named by its first episode. */
export function incidents(list: readonly Episode[], titleOf: (id: string) => string, now: Date): Incident[] {
  const out: (Incident & { errors: (string | null)[] })[] = [];
  for (const e of [...list].sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime() || a.id - b.id)) {
    const last = out.at(-1);
    if (last && (last.end === null || e.startedAt <= last.end)) {
      if (!last.workflows.some((w) => w.id === e.workflowId))
        last.workflows.push({ id: e.workflowId, title: titleOf(e.workflowId) });
      last.end = last.end === null || e.endedAt === null ? null : e.endedAt > last.end ? e.endedAt : last.end;
      last.errors.push(e.lastError);
    } else {
      out.push({
        id: e.id,
        start: e.startedAt,
        end: e.endedAt,
        durationMs: 0,
        workflows: [{ id: e.workflowId, title: titleOf(e.workflowId) }],
        cause: '',
        errors: [e.lastError],
      });
    }
  }
  return out
    .map(({ errors, ...i }) => {
      const causes = [...new Set(errors.map(causeInWords))];
      return { ...i, durationMs: (i.end ?? now).getTime() - i.start.getTime(), cause: causes.join(' ') };
    })
    .reverse();
}

export function duration(ms: number): string {
  const minutes = Math.max(1, Math.round(ms / 60_000));
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ${minutes % 60} min`;
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}

export const percent = (v: number | null) =>
  v === null ? 'no data' : `${(Math.floor(v * 10_000) / 100).toFixed(2)} %`;
