// Flakiness is its own signal (rule 4): a run that passed only on retry is not a failure, but a
// workflow whose share of such runs crosses a threshold earns one "flaky" notice. Hysteresis
// (clear below a lower share) keeps a rate hovering at the threshold from notifying again.
import type { Observation } from '../../core/alerts.ts';
import type { Rules } from './rules.ts';

export type FlakeStats = { runs: number; flaky: number; /** null until minRuns runs are known */ rate: number | null };

/** Over the newest `windowRuns` final outcomes (observations are newest first). */
export function flakeStats(observations: readonly Observation[], flaky: Rules['flaky']): FlakeStats {
  const recent = observations.slice(0, flaky.windowRuns);
  const count = recent.filter((o) => o.event === 'flaky-pass').length;
  return { runs: recent.length, flaky: count, rate: recent.length >= flaky.minRuns ? count / recent.length : null };
}

export function flakyCrossed(stats: FlakeStats, flaky: Rules['flaky']): boolean {
  return stats.rate !== null && stats.rate >= flaky.threshold;
}

export function flakyCleared(stats: FlakeStats, flaky: Rules['flaky']): boolean {
  return stats.rate !== null && stats.rate < flaky.clearBelow;
}
