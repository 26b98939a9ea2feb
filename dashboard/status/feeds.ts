// Subscribers' views of the status page: an Atom feed of incidents and a JSON document, both
// made of the model's public fields only.
import { escapeHtml } from './html.ts';
import { duration, type GroupStatus, type Incident, type MaintenanceView } from './model.ts';
import type { StatusPageConfig } from '../../config/status-page.ts';

export function atomFeed(config: StatusPageConfig, incidents: readonly Incident[], origin: string, now: Date): string {
  const e = escapeHtml;
  const updated = incidents.reduce((t, i) => Math.max(t, (i.end ?? i.start).getTime()), 0);
  const entries = incidents.map((i) => {
    const what = `${i.end ? 'Resolved' : 'Ongoing'}: ${i.workflows.map((w) => w.title).join(', ')}`;
    const summary = `${i.cause} Started ${i.start.toISOString()}${i.end ? `, ended ${i.end.toISOString()}` : ', not resolved yet'}; ${duration(i.durationMs)}.`;
    return (
      `<entry><id>${e(`${origin}/status/incidents/${i.id}`)}</id><title>${e(what)}</title>` +
      `<updated>${(i.end ?? i.start).toISOString()}</updated><published>${i.start.toISOString()}</published>` +
      `<link href="${e(`${origin}/status/incidents/${i.id}`)}"/><summary>${e(summary)}</summary></entry>`
    );
  });
  return (
    `<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom"><id>${e(`${origin}/status`)}</id>` +
    `<title>${e(config.title)}: incidents</title><updated>${new Date(updated || now.getTime()).toISOString()}</updated>` +
    `<link href="${e(`${origin}/status`)}"/><link rel="self" href="${e(`${origin}/status/feed.atom`)}"/>${entries.join('')}</feed>\n`
  );
}

export function statusJson(
  config: StatusPageConfig,
  groups: readonly GroupStatus[],
  incidents: readonly Incident[],
  maintenance: readonly MaintenanceView[],
  now: Date,
) {
  return {
    title: config.title,
    description: config.description,
    generatedAt: now.toISOString(),
    groups: groups.map((g) => ({
      name: g.name,
      state: g.state,
      workflows: g.workflows.map((w) => ({
        id: w.id,
        title: w.title,
        state: w.state,
        availability: w.availability,
        days: w.days.map((d) => ({ day: d.day, runs: d.runs, availability: d.availability })),
      })),
    })),
    incidents: incidents.map((i) => ({
      id: i.id,
      start: i.start.toISOString(),
      end: i.end?.toISOString() ?? null,
      durationMs: i.durationMs,
      workflows: i.workflows,
      cause: i.cause,
    })),
    maintenance: maintenance.map((m) => ({ name: m.name, start: m.start.toISOString(), end: m.end.toISOString() })),
  };
}
