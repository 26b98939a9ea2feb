// When test/run.ts may start one more test file: not while the machine is already overloaded.
// The slot counts alone (--concurrency, --waiting) let a 2-CPU machine reach a load of 46 in the
// suite's first minutes (every file starts at once, each with daemons, PostgreSQL connections
// and Playwright runs), which failed timing-bound tests (hard timeouts, live updates, offline
// alerts) in clean-clone CIs. The gate samples the runnable tasks (/proc/loadavg's fourth field,
// "runnable/total") every 250 ms, averages the last 4 s, and admits a file when that average is
// at most `perCpu` per CPU and the previous file started `spacingMs` ago (so that the samples
// see what it started; not when that file has already ended, as the short ones at the end do).
// Without /proc (not Linux) it admits everything. The slot server grants a free slot it has held
// back for `maxWaitMs` anyway, so a misleading reading only slows the suite.
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';

export type LoadGate = {
  /** `previousHeld` false: the file started last has ended, so no spacing (default true). */
  admit(previousHeld?: boolean): boolean;
  stop(): void;
  /** Runnable tasks per CPU, averaged over the last 4 s. */
  perCpuNow(): number;
  /** Over the whole run: the mean and the peak of that 4-s average, and how many admissions it refused. */
  summary(): { meanPerCpu: number; peakPerCpu: number; refused: number };
};

function runnable(): number | null {
  try {
    const field = readFileSync('/proc/loadavg', 'latin1').split(' ')[3] ?? '';
    const n = Number(field.split('/')[0]);
    // The reader itself is one of them.
    return Number.isFinite(n) ? Math.max(0, n - 1) : null;
  } catch {
    return null;
  }
}

export function startLoadGate(options: { perCpu: number; spacingMs: number }): LoadGate {
  const cpus = availableParallelism();
  const samples: number[] = [];
  let sum = 0;
  let count = 0;
  let peak = 0;
  let refused = 0;
  const sample = () => {
    const n = runnable();
    if (n === null) return;
    samples.push(n);
    if (samples.length > 16) samples.shift();
    const now = perCpuNow();
    sum += now;
    count++;
    peak = Math.max(peak, now);
  };
  function perCpuNow() {
    return samples.length ? samples.reduce((a, b) => a + b, 0) / samples.length / cpus : 0;
  }
  sample();
  const timer = setInterval(sample, 250);
  timer.unref();
  let last = -Infinity;
  return {
    admit(previousHeld = true) {
      const now = performance.now();
      if (previousHeld && now - last < options.spacingMs) return false;
      if (perCpuNow() > options.perCpu) {
        refused++;
        return false;
      }
      last = now;
      return true;
    },
    stop: () => clearInterval(timer),
    perCpuNow,
    summary: () => ({ meanPerCpu: count ? sum / count : 0, peakPerCpu: peak, refused }),
  };
}
