// Flapping (rule 5): a workflow that keeps changing between UP and DOWN says so once, then stays
// quiet until it has held one state for a while. Changes are the UP/DOWN transitions the
// database records (alert_state_changes), newest first.
import type { AlertStateRow } from '../../core/alerts.ts';
import type { Rules } from './rules.ts';

/**
 * Changes within the window. `notBefore` is when the workflow last stopped flapping: the changes
 * that made it flap are spent, or it would flap again on its first change after settling.
 */
export function changesInWindow(
  changes: readonly Date[],
  flapping: Rules['flapping'],
  now: Date,
  notBefore: Date | null = null,
): number {
  const from = Math.max(
    now.getTime() - flapping.windowMinutes * 60_000,
    notBefore === null ? -Infinity : notBefore.getTime(),
  );
  return changes.filter((at) => at.getTime() > from).length;
}

/** Whether one more change now would be more than `maxChanges` within the window. */
export function wouldFlap(
  changes: readonly Date[],
  flapping: Rules['flapping'],
  now: Date,
  notBefore: Date | null = null,
): boolean {
  return changesInWindow(changes, flapping, now, notBefore) + 1 > flapping.maxChanges;
}

/** A flapping workflow is stable once its underlying state has not changed for `stableMinutes`. */
export function isStable(state: Pick<AlertStateRow, 'stableSince'>, flapping: Rules['flapping'], now: Date): boolean {
  return state.stableSince !== null && now.getTime() - state.stableSince.getTime() >= flapping.stableMinutes * 60_000;
}
