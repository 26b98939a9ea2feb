// Quorum across locations (issue 16): each location's own observations meet the down rule (or,
// while DOWN, have not yet met the up rule); the workflow is DOWN when at least the quorum of its
// active locations is failing, "failing from <locations>" with fewer. Pure, over the history the
// transaction reads (observations newest first, each with its location).
import { z } from 'zod';
import type { AlertStateRow, Observation } from '../../core/alerts.ts';
import { DEFAULT_LOCATION, defaultQuorum } from '../../core/locations.ts';
import type { Rules } from './rules.ts';
import { downReached, outageStart } from './thresholds.ts';

/** `2` (locations), `"50%"` (of the active locations, rounded up) or `"majority"` (the default). */
export type QuorumRule = number | `${number}%` | 'majority';

export const quorumSchema = z.union([
  z.number().int().min(1),
  z
    .string()
    .regex(/^(100|[1-9][0-9]?)%$/, { error: 'must be a count (2), a percentage from 1% to 100% ("50%") or "majority"' })
    .transform((s) => s as `${number}%`),
  z.literal('majority'),
]);

/** How many of `active` locations must fail for DOWN: never more than there are, never less than 1. */
export function quorumOf(rule: QuorumRule, active: number): number {
  const n = Math.max(1, active);
  if (rule === 'majority') return defaultQuorum(n);
  const wanted = typeof rule === 'number' ? rule : Math.ceil((n * Number(rule.slice(0, -1))) / 100);
  return Math.min(n, Math.max(1, wanted));
}

/** An observation's or an execution's location; none recorded is DEFAULT_LOCATION. */
export const locationOf = (o: object): string =>
  'location' in o && typeof o.location === 'string' ? o.location : DEFAULT_LOCATION;

function byLocation(observations: readonly Observation[]): Map<string, Observation[]> {
  const map = new Map<string, Observation[]>();
  for (const o of observations) {
    const list = map.get(locationOf(o)) ?? [];
    list.push(o);
    map.set(locationOf(o), list);
  }
  return map;
}

const leading = (obs: readonly Observation[], failed: boolean) => {
  const i = obs.findIndex((o) => (o.event === 'failed') !== failed);
  return i === -1 ? obs.length : i;
};

/**
 * Active: the location of the event, and every location whose latest observation is no older
 * than the down rule's window or two of its own last intervals (the gap between its last two
 * observations), whichever is longer. A location that stopped reporting drops out.
 */
function isActive(obs: readonly Observation[], windowMinutes: number, now: Date): boolean {
  const [last, before] = obs;
  if (!last) return false;
  const gap = before ? last.at.getTime() - before.at.getTime() : 0;
  return now.getTime() - last.at.getTime() <= Math.max(windowMinutes * 60_000, 2 * gap);
}

export type LocationVerdict = {
  /** Sorted; the locations the decision is taken on. */
  active: string[];
  /** Failing by the regime of the state the workflow is in (down rule when up, up rule not yet met when down). */
  failing: string[];
  passing: string[];
  quorum: number;
  /** One active location at most: the decision is exactly the single-location policy. */
  single: boolean;
  /** When the quorum-th failing location's streak began (for "down since"). */
  downSince: Date;
};

/**
 * `wasDown`: the workflow is DOWN (its underlying state), so a location stays failing until it
 * meets the up rule; otherwise a location is failing when its own observations meet the down rule.
 */
export function locationVerdict(
  observations: readonly Observation[],
  rules: Pick<Rules, 'down' | 'up' | 'quorum'>,
  current: { location: string | null; wasDown: boolean },
  now: Date,
): LocationVerdict {
  const groups = byLocation(observations);
  const active = [...groups.entries()]
    .filter(([name, obs]) => name === current.location || isActive(obs, rules.down.windowMinutes, now))
    .map(([name]) => name);
  if (current.location !== null && !active.includes(current.location)) active.push(current.location);
  active.sort();
  const starts: number[] = [];
  const failing = active.filter((name) => {
    const obs = groups.get(name) ?? [];
    // While DOWN a location fails until its own runs meet the up rule; one that has not failed
    // in the history read (it joined, or passed all along) is passing.
    if (current.wasDown)
      return obs.some((o) => o.event === 'failed') && leading(obs, false) < rules.up.consecutivePasses;
    const n = leading(obs, true);
    if (!downReached(n, obs, rules.down, now)) return false;
    starts.push(outageStart(n, obs, rules.down, now).getTime());
    return true;
  });
  const quorum = quorumOf(rules.quorum, active.length);
  starts.sort((a, b) => a - b);
  return {
    active,
    failing,
    passing: active.filter((name) => !failing.includes(name)),
    quorum,
    single: active.length <= 1,
    downSince: new Date(starts[quorum - 1] ?? starts.at(-1) ?? now.getTime()),
  };
}

/** The locations a decision leaves on the state: who fails, who passes, since when "failing from". */
export function withLocations(
  next: AlertStateRow,
  prev: AlertStateRow,
  where: LocationVerdict | null,
  now: Date,
): AlertStateRow {
  const down = next.state === 'down';
  // A timer decides nothing about locations: the last decision's stand.
  if (where === null) return down ? { ...next, partialSince: null } : next;
  const failing = where.single ? (down ? where.active : []) : where.failing;
  const partial = !where.single && !down && failing.length > 0;
  return {
    ...next,
    failingLocations: failing,
    passingLocations: where.active.filter((l) => !failing.includes(l)),
    partialSince: partial ? (prev.partialSince ?? now) : null,
  };
}

/** "a, b", or "none". */
export const locationList = (names: readonly string[]): string => (names.length > 0 ? names.join(', ') : 'none');

/** Why the workflow is DOWN, when locations decided it. */
export function quorumReason(where: LocationVerdict): string {
  return `Failing from ${locationList(where.failing)}: ${where.failing.length} of ${where.active.length} locations, quorum ${where.quorum}.`;
}
