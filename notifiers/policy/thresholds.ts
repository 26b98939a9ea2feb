// When an outage starts and ends (rules 1 and 2): N consecutive failed runs or M failures within
// a window, whichever comes first; K consecutive passes to recover. Counts are of final run
// outcomes: a pass on retry is a pass.
import type { Observation } from '../../core/alerts.ts';
import type { Rules } from './rules.ts';

export function failuresInWindow(observations: readonly Observation[], down: Rules['down'], now: Date): Observation[] {
  const from = now.getTime() - down.windowMinutes * 60_000;
  return observations.filter((o) => o.event === 'failed' && o.at.getTime() > from);
}

export function downReached(
  consecutiveFailures: number,
  observations: readonly Observation[],
  down: Rules['down'],
  now: Date,
): boolean {
  return (
    consecutiveFailures >= down.consecutiveFailures ||
    failuresInWindow(observations, down, now).length >= down.windowFailures
  );
}

export function recovered(consecutivePasses: number, up: Rules['up']): boolean {
  return consecutivePasses >= up.consecutivePasses;
}

/** When the outage began, for "down for 47m": the first failure of the streak or of the window that tripped the rule. */
export function outageStart(
  consecutiveFailures: number,
  observations: readonly Observation[],
  down: Rules['down'],
  now: Date,
): Date {
  const streak = observations.slice(0, consecutiveFailures);
  const windowed = failuresInWindow(observations, down, now);
  const candidates =
    consecutiveFailures >= down.consecutiveFailures && streak.every((o) => o.event === 'failed') ? streak : windowed;
  const oldest = candidates.reduce<Date | null>((min, o) => (min === null || o.at < min ? o.at : min), null);
  return oldest ?? now;
}
