// The public status page and an incident's page: server-rendered HTML, no script, readable on a
// phone (one column, wrapping bars), every value escaped.
import { Html, html } from './html.ts';
import {
  duration,
  percent,
  type DayCell,
  type GroupStatus,
  type Incident,
  type MaintenanceView,
  type StateWord,
} from './model.ts';
import type { StatusPageConfig } from '../../config/status-page.ts';

export type StatusView = {
  config: StatusPageConfig;
  groups: GroupStatus[];
  incidents: Incident[];
  maintenance: MaintenanceView[];
  now: Date;
};

const stateClass: Record<StateWord, string> = {
  Operational: 'ok',
  Degraded: 'warn',
  Outage: 'bad',
  Maintenance: 'maint',
  'No data': 'none',
};
const when = (d: Date) => `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;

const css = `body{font:16px/1.45 system-ui,sans-serif;overflow-wrap:anywhere;margin:0;background:#f6f7f9;color:#1b1f24}
main{max-width:960px;margin:0 auto;padding:16px}header img{max-height:48px;max-width:200px}
h1{font-size:1.6em;margin:.3em 0}section{background:#fff;border:1px solid #d8dde3;border-radius:8px;padding:12px 16px;margin:16px 0}
.banner{font-weight:600;padding:12px 16px;border-radius:8px;color:#fff}.banner.ok{background:#1f883d}.banner.warn{background:#bf8700}.banner.bad{background:#cf222e}.banner.maint{background:#0969da}.banner.none{background:#6e7781}
.wf{padding:8px 0;border-top:1px solid #eef0f3}.wf:first-of-type{border-top:0}.row{display:flex;justify-content:space-between;align-items:baseline;gap:8px;flex-wrap:wrap}h2{font-size:1.25em;margin:.3em 0}
.state.ok{color:#1f883d}.state.warn{color:#9a6700}.state.bad{color:#cf222e}.state.maint{color:#0969da}.state.none{color:#6e7781}.state{font-weight:600}
.bar{display:flex;gap:1px;margin:6px 0 2px;height:28px}.bar span{flex:1;border-radius:2px;min-width:1px}
.c-ok{background:#2da44e}.c-minor{background:#d4a72c}.c-major{background:#fb8500}.c-bad{background:#cf222e}.c-none{background:#d0d7de}
.legend{display:flex;justify-content:space-between;color:#57606a;font-size:.85em}ul{padding-left:1.2em}a{color:#0969da}`;

function cellClass(c: DayCell): string {
  if (c.availability === null) return 'c-none';
  if (c.availability >= 0.999) return 'c-ok';
  if (c.availability >= 0.95) return 'c-minor';
  if (c.availability >= 0.8) return 'c-major';
  return 'c-bad';
}

/** One cell per day with runs; days without data in a row are one wide grey cell (a short page). */
function bar(days: DayCell[]): Html {
  const parts: Html[] = [];
  for (let i = 0; i < days.length;) {
    const c = days[i]!;
    if (c.availability === null) {
      let j = i;
      while (j + 1 < days.length && days[j + 1]!.availability === null) j++;
      const n = j - i + 1;
      parts.push(
        html`<span class="c-none" data-days="${n}" style="flex-grow:${n}" title="${n === 1 ? c.day : `${c.day} to ${days[j]!.day}`}: no data"></span>`,
      );
      i = j + 1;
    } else {
      parts.push(
        html`<span class="${cellClass(c)}" title="${c.day}: ${percent(c.availability)} of ${c.runs} runs"></span>`,
      );
      i++;
    }
  }
  return html`<div class="bar" role="img" aria-label="availability per day, last ${days.length} days">${parts}</div>`;
}

function layout(config: StatusPageConfig, title: string, body: Html): string {
  return `<!doctype html>${html`<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title><link rel="alternate" type="application/atom+xml" title="Incidents" href="/status/feed.atom"><style>${new Html(css)}</style></head>
<body><main><header>${config.logoUrl ? html`<img src="${config.logoUrl}" alt="">` : ''}<h1>${config.title}</h1>${config.description ? html`<p>${config.description}</p>` : ''}</header>
${body}<footer class="legend"><span><a href="/status/feed.atom">Atom feed</a> · <a href="/status.json">JSON</a></span></footer></main></body></html>`}`;
}

function incidentItem(i: Incident): Html {
  return html`<li><a href="/status/incidents/${i.id}">${i.end ? 'Resolved' : 'Ongoing'}: ${i.workflows.map((w) => w.title).join(', ')}</a>
 · ${when(i.start)}${i.end ? html` to ${when(i.end)}` : ''} · ${duration(i.durationMs)} · ${i.cause}</li>`;
}

export function renderStatusPage(v: StatusView): string {
  const all = v.groups.map((g) => g.state);
  const top = all.includes('Outage')
    ? 'Outage'
    : all.includes('Degraded')
      ? 'Degraded'
      : all.includes('Maintenance')
        ? 'Maintenance'
        : all.includes('Operational')
          ? 'Operational'
          : 'No data';
  const banner = {
    Operational: 'All systems operational',
    Degraded: 'Some systems are degraded',
    Outage: 'Some systems are down',
    Maintenance: 'Maintenance in progress',
    'No data': 'No data yet',
  }[top];
  const current = v.incidents.filter((i) => i.end === null);
  const body = html`<p class="banner ${stateClass[top]}">${banner}</p>
${current.length ? html`<section><h2>Current incident</h2><ul>${current.map(incidentItem)}</ul></section>` : ''}
${v.groups.map(
  (
    g,
  ) => html`<section><div class="row"><h2>${g.name}</h2><span class="state ${stateClass[g.state]}">${g.state}</span></div>
${g.workflows.map(
  (
    w,
  ) => html`<div class="wf"><div class="row"><span>${w.title}</span><span class="state ${stateClass[w.state]}">${w.state}</span></div>
${bar(w.days)}<div class="legend"><span>${w.days.length} days ago</span><span>${percent(w.availability)} available</span><span>today</span></div></div>`,
)}</section>`,
)}
<section><h2>Scheduled maintenance</h2>${v.maintenance.length ? html`<ul>${v.maintenance.map((m) => html`<li>${m.name ?? 'Maintenance'}: ${when(m.start)} to ${when(m.end)}${m.start <= v.now ? ' (in progress)' : ''}</li>`)}</ul>` : html`<p>None scheduled.</p>`}</section>
<section><h2>Incidents, last 90 days</h2>${v.incidents.length ? html`<ul>${v.incidents.map(incidentItem)}</ul>` : html`<p>No incidents.</p>`}</section>`;
  return layout(v.config, v.config.title, body);
}

export function renderIncidentPage(config: StatusPageConfig, i: Incident): string {
  const body = html`<section><h2>${i.end ? 'Resolved' : 'Ongoing'} incident</h2><ul>
<li>Started: ${when(i.start)}</li><li>${i.end ? html`Ended: ${when(i.end)}` : 'Not resolved yet'}</li><li>Duration: ${duration(i.durationMs)}</li>
<li>Affected: ${i.workflows.map((w) => w.title).join(', ')}</li><li>Cause: ${i.cause}</li></ul><p><a href="/status">Back to the status page</a></p></section>`;
  return layout(config, `Incident: ${config.title}`, body);
}
