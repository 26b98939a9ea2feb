// Timing for benchmarks: run once to warm caches and plans, then `repeat` times; times in ms.
import { loadavg } from 'node:os';

/** The warm-up run, then `repeat` timed runs, sorted (shortest first). */
export async function timedRuns(repeat: number, fn: () => Promise<unknown>): Promise<number[]> {
  await fn(); // warm the cache and the plans once
  const times: number[] = [];
  for (let i = 0; i < repeat; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  return times.sort((a, b) => a - b);
}

/** The median of `repeat` warm runs. */
export async function medianMs(repeat: number, fn: () => Promise<unknown>): Promise<number> {
  const times = await timedRuns(repeat, fn);
  return times[Math.floor(times.length / 2)]!;
}

/** The machine's load average (1/5/15 min) as every bench prints it beside its figures. */
export function loadAverage(l: readonly number[] = loadavg()): string {
  return l.map((x) => x.toFixed(2)).join(' ');
}
