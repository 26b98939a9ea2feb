// Storms (rule 6). DOWN alerts (and reminders) released together, because they came from one
// run or one minute, reach each channel as one digest once a channel would get `minWorkflows`
// of them. When every failure is a network-level error and nothing in those runs passed, the
// target itself is unreachable: one alert says so instead of one per workflow.
import { createHash } from 'node:crypto';
import { stripVTControlCharacters } from 'node:util';
import type { DecidedAlert } from '../../core/alerts.ts';
import { priorities, type Priority } from '../../core/workflow.ts';
import type { Alert, DigestItem } from '../alert.ts';
import { channelTypes, type ChannelType } from '../../core/alerts.ts';
import type { StormRules } from './rules.ts';

export type PolicyAlert = DecidedAlert<Alert, ChannelType>;

const networkPatterns = [
  /^(Error: )?TargetUnreachableError:/m,
  /net::ERR_CONNECTION_REFUSED/,
  /ERR_NAME_NOT_RESOLVED/,
  /ECONNREFUSED/,
  /ENOTFOUND/,
  /EAI_AGAIN/,
  /EHOSTUNREACH/,
  /net::ERR_ADDRESS_UNREACHABLE/,
  /net::ERR_CONNECTION_TIMED_OUT/,
];

/** The target could not be reached at all (DNS, refused connection): not a broken journey. */
export function isNetworkError(error: string | null | undefined): boolean {
  if (!error) return false;
  const text = stripVTControlCharacters(error).trim();
  return networkPatterns.some((p) => p.test(text));
}

const highest = (ps: Iterable<Priority>): Priority => {
  const set = new Set(ps);
  return priorities.find((p) => set.has(p)) ?? 'low';
};

const digestKey = (parts: string[]) => createHash('sha256').update(parts.join('\n')).digest('hex').slice(0, 24);

function item(a: PolicyAlert): DigestItem {
  const w = a.alert.workflow;
  return {
    workflowId: a.workflowId,
    name: w?.name ?? a.workflowId,
    priority: a.alert.priority,
    status: a.alert.status ?? 'failed',
    error: a.alert.error ?? null,
    cause: a.alert.cause ?? null,
    runId: a.runId,
    at: a.alert.at,
    locations: a.alert.locations ?? null,
  };
}

/** A cause line without its step: what several workflows can have in common ("POST /x answered 500"). */
export function sharedCause(line: string | null | undefined): string | null {
  const text = line?.replace(/ during '[^']*'$/, '').trim();
  return text ? text : null;
}

/**
 * Workflows failing for the same reason, largest group first: "3 workflows: POST
 * /api/auth/callback/credentials answered 500". Only causes shared by two or more.
 */
export function causeGroups(members: readonly PolicyAlert[]): { line: string; workflows: string[] }[] {
  const groups = new Map<string, Set<string>>();
  for (const m of members) {
    const cause = sharedCause(m.alert.cause);
    if (!cause) continue;
    groups.set(cause, (groups.get(cause) ?? new Set()).add(m.workflowId));
  }
  return [...groups]
    .filter(([, ws]) => ws.size >= 2)
    .sort((a, b) => b[1].size - a[1].size || a[0].localeCompare(b[0]))
    .map(([line, ws]) => ({ line: `${ws.size} workflows: ${line}`, workflows: [...ws] }));
}

function commonRun(members: PolicyAlert[]): string | null {
  const runs = new Set(members.map((m) => m.runId));
  return runs.size === 1 ? (members[0]?.runId ?? null) : null;
}

function unreachable(members: PolicyAlert[], now: Date): PolicyAlert {
  const channels = channelTypes.filter((c) => members.some((m) => m.channels.includes(c)));
  const runIds = [...new Set(members.flatMap((m) => (m.runId ? [m.runId] : [])))];
  const alert: Alert = {
    kind: 'critical',
    title: 'Target unreachable',
    priority: highest(members.map((m) => m.alert.priority)),
    message:
      `All ${members.length} failing workflows failed because the target could not be reached (DNS, connection refused), ` +
      'and nothing in the same run passed. One alert instead of one per workflow.',
    error: members[0]?.alert.error ?? null,
    status: 'unreachable',
    runId: commonRun(members),
    items: members.map(item),
    context: { workflows: members.length, runs: runIds.join(', ') || null },
    at: now,
  };
  return {
    key: `unreachable:${digestKey(members.map((m) => `${m.workflowId}/${m.key}`))}`,
    workflowId: '*',
    kind: 'critical',
    channels,
    hold: false,
    runId: alert.runId ?? null,
    alert,
  };
}

function digest(kind: 'failure' | 'reminder', members: PolicyAlert[], channels: ChannelType[], now: Date): PolicyAlert {
  const n = members.length;
  const groups = kind === 'failure' ? causeGroups(members) : [];
  const grouped = groups.flatMap((g) => g.workflows);
  // Members of the same cause side by side, largest group first.
  const ordered = [...members].sort((a, b) => rank(a) - rank(b));
  function rank(m: PolicyAlert): number {
    const i = grouped.indexOf(m.workflowId);
    return i < 0 ? grouped.length : i;
  }
  const alert: Alert = {
    kind: 'digest',
    title: kind === 'failure' ? `${n} workflows down` : `${n} workflows still down`,
    priority: highest(members.map((m) => m.alert.priority)),
    message:
      kind === 'failure'
        ? [
            `Alert storm: ${n} workflows went down in the same run or minute. One message instead of ${n}.`,
            ...groups.slice(1).map((g) => g.line),
          ].join('\n')
        : `Reminder: ${n} workflows are still down.`,
    cause: groups[0]?.line ?? null,
    runId: commonRun(members),
    items: ordered.map(item),
    at: now,
  };
  const key = `storm:${kind}:${digestKey([...channels, ...members.map((m) => `${m.workflowId}/${m.key}`)])}`;
  return { key, workflowId: '*', kind: 'digest', channels, hold: false, runId: alert.runId ?? null, alert };
}

/**
 * Folds a batch released together. Alerts keep their identity (key) with the channels still
 * theirs; a channel that folds gets a digest instead; other kinds pass through untouched.
 */
export function foldStorm(
  batch: PolicyAlert[],
  rules: StormRules,
  context: { passesInRuns: number },
  now: Date,
): PolicyAlert[] {
  let rest = batch.map((a) => ({ ...a, channels: [...a.channels] }));
  const out: PolicyAlert[] = [];
  const foldedAway = new Set<PolicyAlert>();
  const failures = rest.filter((a) => a.kind === 'failure' && a.workflowId !== '*');
  const distinct = new Set(failures.map((a) => a.workflowId)).size;
  if (
    distinct >= rules.unreachableMinWorkflows &&
    context.passesInRuns === 0 &&
    failures.every((a) => isNetworkError(a.alert.error))
  ) {
    out.push(unreachable(failures, now));
    rest = rest.filter((a) => !failures.includes(a));
  }
  for (const kind of ['failure', 'reminder'] as const) {
    const group = rest.filter((a) => a.kind === kind && a.workflowId !== '*');
    const byMembers = new Map<string, { members: PolicyAlert[]; channels: ChannelType[] }>();
    for (const channel of channelTypes) {
      const members = group.filter((a) => a.channels.includes(channel));
      if (members.length < rules.minWorkflows) continue;
      const id = members.map((m) => `${m.workflowId}/${m.key}`).join('\n');
      const entry = byMembers.get(id) ?? { members, channels: [] };
      entry.channels.push(channel);
      byMembers.set(id, entry);
      for (const m of members) {
        m.channels = m.channels.filter((c) => c !== channel);
        if (m.channels.length === 0) foldedAway.add(m);
      }
    }
    for (const { members, channels } of byMembers.values()) out.push(digest(kind, members, channels, now));
  }
  // An alert whose every channel got a digest instead is not sent on its own.
  return [...out, ...rest.filter((a) => !foldedAway.has(a))];
}
