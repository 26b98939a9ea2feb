// A period's headline figures and how they moved against the previous period of the same
// length. Units: rates are shares (0..1) and their trends differences of shares (-0.025 is
// 2.5 percentage points down); the performance trend is the relative change of the average
// duration (0.12 is 12 % slower). Positive always means "higher". Pure.
import type { FiguresRow } from './queries/report-figures.ts';

export type PeriodTotals = {
  /** Attempts (a retry is an attempt), as every other figure of the monitor counts them. */
  executions: number;
  passed: number;
  failed: number;
  /** Passed on a retry. */
  flaky: number;
  /** Runs of a test (first attempts); each ends passed, possibly after retries, or failed. */
  runs: number;
  /** Runs that still failed after their last retry. */
  failedRuns: number;
  /** passed / executions; null without executions. */
  successRate: number | null;
  /** failedRuns / runs: what users of the journey would have hit; null without runs. */
  errorRate: number | null;
  avgDurationMs: number | null;
  p95DurationMs: number | null;
};

export function totalsOf(f: FiguresRow): PeriodTotals {
  // A run that passes ends there, so each passing attempt closes one run: the rest failed.
  const failedRuns = Math.max(0, f.firstAttempts - f.passed);
  return {
    executions: f.runs,
    passed: f.passed,
    failed: f.failed,
    flaky: f.flaky,
    runs: f.firstAttempts,
    failedRuns,
    successRate: f.runs === 0 ? null : f.passed / f.runs,
    errorRate: f.firstAttempts === 0 ? null : failedRuns / f.firstAttempts,
    avgDurationMs: f.avgDurationMs,
    p95DurationMs: f.p95DurationMs,
  };
}

export type Trends = {
  successRate: number | null;
  /** Relative change of the average duration. */
  performance: number | null;
  errorRate: number | null;
  /** Relative change of the p95 duration (shown, not stored in a column). */
  p95: number | null;
};

const diff = (a: number | null, b: number | null) => (a === null || b === null ? null : a - b);
const relative = (a: number | null, b: number | null) => (a === null || b === null || b === 0 ? null : (a - b) / b);

/** Null trends when either period has nothing to compare. */
export function computeTrends(current: PeriodTotals, previous: PeriodTotals | null): Trends {
  if (!previous || previous.executions === 0 || current.executions === 0) {
    return { successRate: null, performance: null, errorRate: null, p95: null };
  }
  return {
    successRate: diff(current.successRate, previous.successRate),
    performance: relative(current.avgDurationMs, previous.avgDurationMs),
    errorRate: diff(current.errorRate, previous.errorRate),
    p95: relative(current.p95DurationMs, previous.p95DurationMs),
  };
}
