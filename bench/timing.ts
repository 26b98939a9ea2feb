// Timing for benchmarks: run once to warm caches and plans, then `repeat` times; times in ms.
import { readFileSync } from 'node:fs';
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

/** USER_HZ: /proc times are in 1/100 s on Linux. */
const tick = 100;

/**
 * A process's CPU seconds from /proc/<pid>/stat (after the name: state(0) ... utime(11) stime(12)
 * cutime(13) cstime(14)): its own, and with `children` its waited-for children's too; NaN once it is gone.
 */
export function cpuSeconds(pid: number | 'self', options: { own?: boolean; children?: boolean } = {}): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat
      .slice(stat.lastIndexOf(')') + 2)
      .split(' ')
      .map(Number);
    return ((options.own === false ? 0 : f[11]! + f[12]!) + (options.children ? f[13]! + f[14]! : 0)) / tick;
  } catch {
    return NaN;
  }
}

/** The median (the mean of the middle two for an even count). */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}
