// Slow-down detection: a workflow that still passes but has become slower than it usually is.
// Robust statistics so that one slow run, or the usual jitter, moves nothing: the baseline is the
// median and MAD of recent passing runs, the signal is the median of the last few runs, and it
// must leave a band that is at least a fixed share of the median wide. Pure.
import { mad, madToSigma, median } from './robust-stats.ts';

export type SlowdownOptions = {
  /** Passing runs the baseline is computed from (those just before the recent window). */
  baselineRuns: number;
  /** The latest passing runs whose median is compared with the baseline. */
  recentRuns: number;
  /** No verdict before this many passing runs exist (baseline + recent): new workflows stay silent. */
  warmupRuns: number;
  /** Band half-width in robust standard deviations (MAD × 1.4826). */
  madMultiplier: number;
  /** The band is at least this share of the baseline median (0.25 = 25 %)... */
  minIncrease: number;
  /** ...and at least this many milliseconds for the whole run... */
  minIncreaseMs: number;
  /** ...or for one step (short steps jitter by more, relatively). */
  stepMinIncreaseMs: number;
  /** A slow workflow is back once its recent median is within this share of the band (hysteresis). */
  recoverFraction: number;
};

export const defaultSlowdownOptions: SlowdownOptions = {
  baselineRuns: 60,
  recentRuns: 5,
  warmupRuns: 25,
  madMultiplier: 3,
  minIncrease: 0.25,
  minIncreaseMs: 50,
  stepMinIncreaseMs: 100,
  recoverFraction: 0.5,
};

/** One passing run: its duration and the time spent in each step title. */
export type RunSample = { durationMs: number; steps: Readonly<Record<string, number>> };

export type Band = { medianMs: number; madMs: number; runs: number; bandMs: number };
export type DurationBaseline = { total: Band; steps: Record<string, Band> };

export type Deviation = {
  /** null: the whole run. */
  step: string | null;
  baselineMedianMs: number;
  recentMedianMs: number;
  bandMs: number;
  /** recent / baseline median. */
  ratio: number;
};

export type SlowdownVerdict =
  | { status: 'warming-up'; passingRuns: number; needed: number }
  | {
      status: 'normal' | 'slow';
      baseline: DurationBaseline;
      recentMedianMs: number;
      /** Whole run and steps above the band that applies (entry band, or recovery band while slow). */
      deviations: Deviation[];
    };

function band(values: readonly number[], minMs: number, o: SlowdownOptions): Band | null {
  const m = median(values);
  const d = mad(values);
  if (m === null || d === null) return null;
  return {
    medianMs: m,
    madMs: d,
    runs: values.length,
    bandMs: Math.max(o.madMultiplier * madToSigma * d, o.minIncrease * m, minMs),
  };
}

/** Median and band of the whole run and of every step seen in at least half of the runs. */
export function computeBaseline(
  runs: readonly RunSample[],
  o: SlowdownOptions = defaultSlowdownOptions,
): DurationBaseline | null {
  const total = band(
    runs.map((r) => r.durationMs),
    o.minIncreaseMs,
    o,
  );
  if (!total) return null;
  const byStep = new Map<string, number[]>();
  for (const r of runs) {
    for (const [title, ms] of Object.entries(r.steps)) {
      const list = byStep.get(title) ?? [];
      list.push(ms);
      byStep.set(title, list);
    }
  }
  const steps: Record<string, Band> = {};
  for (const [title, values] of [...byStep].sort(([a], [b]) => a.localeCompare(b))) {
    if (values.length * 2 < runs.length) continue;
    const b = band(values, o.stepMinIncreaseMs, o);
    if (b) steps[title] = b;
  }
  return { total, steps };
}

/**
 * The verdict for a workflow given its passing runs, oldest first (at least the last
 * baselineRuns + recentRuns). `frozen` is the baseline kept from when it became slow: while
 * slow it is compared with that, not with a baseline that the slow runs themselves now fill.
 * `wasSlow` selects the band: entering needs the full band, recovering the narrower one.
 */
export function assessSlowdown(
  history: readonly RunSample[],
  state: { wasSlow: boolean; frozen: DurationBaseline | null },
  o: SlowdownOptions = defaultSlowdownOptions,
): SlowdownVerdict {
  const needed = Math.max(o.warmupRuns, o.recentRuns + 1);
  if (history.length < needed) {
    return { status: 'warming-up', passingRuns: history.length, needed };
  }
  const recent = history.slice(-o.recentRuns);
  const baseline =
    (state.wasSlow ? state.frozen : null) ??
    computeBaseline(history.slice(-(o.baselineRuns + o.recentRuns), -o.recentRuns), o);
  if (!baseline) return { status: 'warming-up', passingRuns: history.length, needed };
  const factor = state.wasSlow ? o.recoverFraction : 1;
  const deviations: Deviation[] = [];
  const check = (step: string | null, values: number[], b: Band) => {
    const m = median(values);
    if (m === null || m <= b.medianMs + factor * b.bandMs) return;
    deviations.push({
      step,
      baselineMedianMs: b.medianMs,
      recentMedianMs: m,
      bandMs: b.bandMs,
      ratio: b.medianMs > 0 ? m / b.medianMs : Infinity,
    });
  };
  const recentMedianMs = median(recent.map((r) => r.durationMs))!;
  check(
    null,
    recent.map((r) => r.durationMs),
    baseline.total,
  );
  for (const [title, b] of Object.entries(baseline.steps)) {
    const values = recent.map((r) => r.steps[title]).filter((v): v is number => v !== undefined);
    // A step missing from most recent runs says nothing about its speed.
    if (values.length * 2 > recent.length) check(title, values, b);
  }
  return { status: deviations.length > 0 ? 'slow' : 'normal', baseline, recentMedianMs, deviations };
}

/** "2.10x: median 1,260 ms vs 600 ms (band +150 ms)" for the whole run or a step. */
export function describeDeviation(d: Deviation): string {
  const what = d.step === null ? 'whole run' : `step "${d.step}"`;
  return (
    `${what} median ${Math.round(d.recentMedianMs)} ms vs baseline ${Math.round(d.baselineMedianMs)} ms ` +
    `(${d.ratio.toFixed(2)}x, band +${Math.round(d.bandMs)} ms)`
  );
}
