// Order statistics the detectors and the naive baseline share. Percentiles interpolate linearly
// between closest ranks, exactly as PostgreSQL's percentile_cont does, so figures computed here
// and in SQL agree to the last digit.

/** Linear-interpolated percentile of `values` (need not be sorted); null when empty. p in [0, 1]. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return percentileOfSorted(sorted, p);
}

/** As `percentile`, for an already ascending array (no copy). */
export function percentileOfSorted(sorted: ArrayLike<number>, p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.min(Math.max(p, 0), 1) * (sorted.length - 1);
  const lower = Math.floor(rank);
  const upper = Math.ceil(rank);
  const low = sorted[lower]!;
  const high = sorted[upper]!;
  return lower === upper ? low : low + (high - low) * (rank - lower);
}

export function median(values: readonly number[]): number | null {
  return percentile(values, 0.5);
}

/** Median absolute deviation from the median (unscaled). */
export function mad(values: readonly number[]): number | null {
  const m = median(values);
  if (m === null) return null;
  return median(values.map((v) => Math.abs(v - m)));
}

/** Makes the MAD comparable with a standard deviation for normally distributed noise. */
export const madToSigma = 1.4826;

function nthSmallest(a: Float64Array, k: number, from: number, to: number): number {
  let lo = from;
  let hi = to;
  while (hi > lo) {
    const pivot = a[(lo + hi) >>> 1]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) {
        const t = a[i]!;
        a[i++] = a[j]!;
        a[j--] = t;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k]!;
  }
  return a[k]!;
}

/**
 * As `percentile`, in linear time by selection instead of a sort: for the one percentile of a
 * whole day of durations. Reorders `values`.
 */
export function percentileInPlace(values: Float64Array, p: number): number | null {
  if (values.length === 0) return null;
  const rank = Math.min(Math.max(p, 0), 1) * (values.length - 1);
  const lower = Math.floor(rank);
  const low = nthSmallest(values, lower, 0, values.length - 1);
  if (lower === rank) return low;
  // After selecting `lower`, everything above it is >= low: the next order statistic is their minimum.
  let high = Infinity;
  for (let i = lower + 1; i < values.length; i++) if (values[i]! < high) high = values[i]!;
  return low + (high - low) * (rank - lower);
}
