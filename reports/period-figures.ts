// A period's figures from its per-workflow durations (queries/report-figures.ts): counts, exact
// averages (integer sums divided once) and percentiles interpolated as percentile_cont does.
import type { DatabasePool } from '../db/pool.ts';
import {
  getPeriodDurations,
  type FiguresRow,
  type Period,
  type PeriodFigures,
  type WorkflowDurationsRow,
  type WorkflowFiguresRow,
} from './queries/report-figures.ts';
import { percentileInPlace, percentileOfSorted } from '../notifiers/assess/robust-stats.ts';

/**
 * "1200,950,1310" -> ascending numbers. Durations are non-negative integers (a CHECK says so),
 * so one pass over the character codes does, without a substring per number.
 */
function ascending(csv: string): Float64Array {
  if (csv === '') return new Float64Array(0);
  let count = 1;
  for (let i = 0; i < csv.length; i++) if (csv.charCodeAt(i) === 44) count++;
  const out = new Float64Array(count);
  let k = 0;
  let value = 0;
  for (let i = 0; i < csv.length; i++) {
    const c = csv.charCodeAt(i);
    if (c === 44) {
      out[k++] = value;
      value = 0;
    } else value = value * 10 + (c - 48);
  }
  out[k] = value;
  return out.sort();
}
const sumOf = (values: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i]!;
  return s;
};
const p95 = (sorted: Float64Array) => percentileOfSorted(sorted, 0.95);

function mergeSorted(a: Float64Array, b: Float64Array): Float64Array {
  const out = new Float64Array(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) out[k++] = a[i]! <= b[j]! ? a[i++]! : b[j++]!;
  while (i < a.length) out[k++] = a[i++]!;
  while (j < b.length) out[k++] = b[j++]!;
  return out;
}

export function figuresOf(rows: readonly WorkflowDurationsRow[]): PeriodFigures {
  const everything: Float64Array[] = [];
  const workflows = rows.map(({ passedMs, failedMs, ...row }): WorkflowFiguresRow => {
    const passed = ascending(passedMs);
    const failed = ascending(failedMs);
    const all = mergeSorted(passed, failed);
    everything.push(all);
    const totalDurationMs = sumOf(all);
    return {
      ...row,
      passed: passed.length,
      failed: failed.length,
      totalDurationMs,
      avgDurationMs: all.length === 0 ? null : totalDurationMs / all.length,
      p95DurationMs: p95(all),
      p95PassedMs: p95(passed),
    };
  });
  const merged = new Float64Array(everything.reduce((n, a) => n + a.length, 0));
  let offset = 0;
  for (const a of everything) {
    merged.set(a, offset);
    offset += a.length;
  }

  const sum = (pick: (w: WorkflowFiguresRow) => number) => workflows.reduce((n, w) => n + pick(w), 0);
  const runs = sum((w) => w.runs);
  const totalDurationMs = sum((w) => w.totalDurationMs);
  const overall: FiguresRow = {
    runs,
    passed: sum((w) => w.passed),
    failed: sum((w) => w.failed),
    flaky: sum((w) => w.flaky),
    firstAttempts: sum((w) => w.firstAttempts),
    criticalFailures: sum((w) => w.criticalFailures),
    totalDurationMs,
    avgDurationMs: runs === 0 ? null : totalDurationMs / runs,
    p95DurationMs: percentileInPlace(merged, 0.95),
  };
  return { overall, workflows };
}

export async function getPeriodFigures(pool: DatabasePool, period: Period): Promise<PeriodFigures> {
  return figuresOf(await getPeriodDurations(pool, period));
}
