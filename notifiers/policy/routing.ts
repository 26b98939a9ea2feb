// Which channel types hear about which priority. ALERT_ROUTES spells it as
// `critical=slack+pagerduty,high=slack,medium=discord,low=email`; a priority left out keeps its
// default, and `low=` (nothing) silences a priority.
import { isPriority, priorities, type Priority } from '../../core/workflow.ts';
import { channelTypes, type ChannelType } from '../../core/alerts.ts';
import type { Routes } from './rules.ts';

export type RoutesParse = { ok: true; routes: Partial<Routes> } | { ok: false; problems: string[] };

export const isChannelType = (v: string): v is ChannelType => (channelTypes as readonly string[]).includes(v);

export function parseRoutes(text: string): RoutesParse {
  const routes: Partial<Record<Priority, ChannelType[]>> = {};
  const problems: string[] = [];
  for (const part of text
    .split(/[,;]/)
    .map((p) => p.trim())
    .filter(Boolean)) {
    const [key = '', value, ...rest] = part.split('=');
    const priority = key.trim().toLowerCase();
    if (value === undefined || rest.length > 0) {
      problems.push(`"${part}" must look like priority=channel+channel`);
      continue;
    }
    if (!isPriority(priority)) {
      problems.push(`"${priority}" is not a priority (${priorities.join(', ')})`);
      continue;
    }
    const channels = value
      .split(/[+|\s]/)
      .map((c) => c.trim().toLowerCase())
      .filter(Boolean);
    const unknown = channels.filter((c) => !isChannelType(c));
    if (unknown.length > 0)
      problems.push(`${priority}: unknown channel ${unknown.join(', ')} (${channelTypes.join(', ')})`);
    routes[priority] = [...new Set(channels.filter(isChannelType))];
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, routes };
}

export function formatRoutes(routes: Routes): string {
  return priorities.map((p) => `${p}=${routes[p].join('+')}`).join(',');
}

/** The channels an alert of this priority goes to, in a stable order. */
export function channelsFor(priority: Priority, routes: Routes): ChannelType[] {
  return channelTypes.filter((c) => routes[priority].includes(c));
}

/** The union of several priorities' channels: an alert about many workflows reaches each of their channels once. */
export function channelsForAll(prios: Iterable<Priority>, routes: Routes): ChannelType[] {
  const wanted = new Set<ChannelType>();
  for (const p of prios) for (const c of routes[p]) wanted.add(c);
  return channelTypes.filter((c) => wanted.has(c));
}

/**
 * Start-up warnings about the effective routes against the configured channels: a priority whose
 * alerts would reach no configured channel, and a configured channel that hears nothing.
 */
export function routingWarnings(configured: readonly ChannelType[], routes: Routes): string[] {
  if (configured.length === 0) return [];
  const warnings: string[] = [];
  for (const p of priorities) {
    const to = channelsFor(p, routes);
    if (to.some((c) => configured.includes(c))) continue;
    warnings.push(
      `ALERT_ROUTES: ${p} alerts reach no configured channel (routed to ${to.join('+') || 'nothing'}; configured: ${configured.join(', ')}); ` +
        `e.g. ALERT_ROUTES=${p}=${configured.join('+')}`,
    );
  }
  const routed = new Set(priorities.flatMap((p) => routes[p]));
  for (const c of configured) {
    if (!routed.has(c))
      warnings.push(
        `ALERT_ROUTES: ${c} is configured but no priority is routed to it (e.g. ALERT_ROUTES=critical=${[...routes.critical, c].join('+')})`,
      );
  }
  return warnings;
}
