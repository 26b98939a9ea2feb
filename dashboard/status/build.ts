// Gathers one status view from the database: states, 90-day bars, incidents, maintenance.
import type { CommonQueryMethods } from 'slonik';
import type { StatusPageConfig } from '../../config/status-page.ts';
import {
  covers,
  dayCells,
  groupWorkflows,
  incidents,
  overall,
  stateWord,
  worst,
  type GroupStatus,
  type Incident,
  type MaintenanceView,
  type StatusWorkflow,
  type WorkflowStatus,
} from './model.ts';
import { dailyAvailability, dailyAvailabilityFromRaw, episodes, policyStates } from './queries.ts';

export const STATUS_DAYS = 90;

export type StatusSources = {
  config: StatusPageConfig;
  workflows: () => readonly StatusWorkflow[];
  /** Maintenance windows open now or starting later (the next occurrence of a recurring one). */
  maintenance: (now: Date) => readonly MaintenanceView[];
};

export type StatusData = { groups: GroupStatus[]; incidents: Incident[]; maintenance: MaintenanceView[] };

export async function buildStatus(
  db: CommonQueryMethods,
  s: StatusSources,
  now: Date,
  fromRaw = false,
): Promise<StatusData> {
  const [days, states, list] = await Promise.all([
    (fromRaw ? dailyAvailabilityFromRaw : dailyAvailability)(db, STATUS_DAYS, now),
    policyStates(db),
    episodes(db, STATUS_DAYS, now),
  ]);
  const maintenance = [...s.maintenance(now)];
  const workflows = s.workflows();
  const groups = groupWorkflows(workflows, s.config.groups).map((g): GroupStatus => {
    const items = g.workflows.map((w): WorkflowStatus => {
      const cells = dayCells(days.get(w.id), STATUS_DAYS, now);
      const open = maintenance.some((m) => m.start <= now && now < m.end && covers(m, w));
      return {
        id: w.id,
        title: w.title,
        state: stateWord(states.get(w.id), open),
        days: cells,
        availability: overall(cells),
      };
    });
    return { name: g.name, state: worst(items.map((w) => w.state)), workflows: items };
  });
  const titles = new Map(workflows.map((w) => [w.id, w.title]));
  return { groups, incidents: incidents(list, (id) => titles.get(id) ?? id, now), maintenance };
}

/** One workflow's state word and its availability over `days` days (the badges). */
export async function workflowFigures(db: CommonQueryMethods, s: StatusSources, id: string, days: number, now: Date) {
  const w = s.workflows().find((x) => x.id === id);
  if (!w) return null;
  const [states, figures] = await Promise.all([policyStates(db, id), dailyAvailability(db, days, now, id)]);
  const open = s.maintenance(now).some((m) => m.start <= now && now < m.end && covers(m, w));
  return {
    title: w.title,
    state: stateWord(states.get(id), open),
    availability: overall(dayCells(figures.get(id), days, now)),
  };
}
