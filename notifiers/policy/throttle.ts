// Per-channel throttling, decided from counts the database keeps (transaction.ts counts the
// slots every process claimed, under a per-channel lock). Pure: the same counts, the same answer.
import type { ThrottleCounts, ThrottleVerdict } from '../../core/alerts.ts';
import type { ThrottleLimits } from './rules.ts';

export const hourMs = 3_600_000;
export const dayMs = 24 * hourMs;

/** Throttled once the channel already carried `maxPerHour` in the last hour or `maxPerDay` in the last day. */
export function decideThrottle(counts: ThrottleCounts, limits: ThrottleLimits): ThrottleVerdict {
  if (counts.lastHour >= limits.maxPerHour) {
    return {
      throttled: true,
      reason: `throttled: ${counts.lastHour} alerts in the last hour on this channel (max ${limits.maxPerHour})`,
    };
  }
  if (counts.lastDay >= limits.maxPerDay) {
    return {
      throttled: true,
      reason: `throttled: ${counts.lastDay} alerts in the last day on this channel (max ${limits.maxPerDay})`,
    };
  }
  return { throttled: false };
}

/** The rule transaction.ts applies inside its lock. */
export function throttleRule(limits: ThrottleLimits): (counts: ThrottleCounts) => ThrottleVerdict {
  return (counts) => decideThrottle(counts, limits);
}
