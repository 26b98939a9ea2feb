// The timekeeper's tick cost at N schedules: the real timekeeper (scheduler/timekeeper.ts, its
// fire queue) against the algorithm it replaced, both on the same simulated clock and the same
// schedules, in this run. A tick here is what the loop does each time it wakes: file the slots due
// since the previous tick (slot ids included) and work out when to wake next. The enqueue is an
// in-memory sink, so the figure is the tick's own event-loop time (CPU, no I/O waited for), which
// is what delays every other callback of the daemon.
// Alone: node bench/scheduler/tick-cost.ts [--counts 1000,10000] [--minutes 30]
import { Cron } from 'croner';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { slotJobId, type DueSlot } from '../../scheduler/due-slots.ts';
import type { ResolvedSchedule } from '../../scheduler/schedules.ts';
import { createTimekeeper } from '../../scheduler/timekeeper.ts';
import { loadAverage } from '../timing.ts';

const tickMs = 15_000; // MONITOR_TICK_SECONDS' default

/** The previous algorithm, kept here only as the baseline: every schedule parsed and walked on every tick and every wake-up. */
function baseline(schedules: readonly ResolvedSchedule[], start: Date) {
  const cronOf = (e: string) => new Cron(e, { paused: true });
  let checkedUntil = start;
  return {
    tick(to: Date): DueSlot[] {
      const out: DueSlot[] = [];
      for (const s of schedules) {
        const cron = cronOf(s.cron);
        let cursor: Date | null = checkedUntil;
        let latest: Date | null = null;
        for (let n = 0; n < 1000; n++) {
          cursor = cron.nextRun(cursor);
          if (!cursor || cursor.getTime() > to.getTime()) break;
          latest = cursor;
        }
        if (latest) out.push({ workflowId: s.workflowId, slot: latest });
      }
      out.map((s) => slotJobId(s));
      checkedUntil = to;
      return out;
    },
    wakeDelay(now: Date): number {
      let next = now.getTime() + tickMs;
      for (const s of schedules) {
        const at = cronOf(s.cron).nextRun(now)?.getTime();
        if (at !== undefined && at < next) next = at;
      }
      return Math.max(5, next - now.getTime() + 5);
    },
  };
}

export type Mix = 'aligned' | 'staggered';

/** `aligned`: every workflow on `*\/5 * * * *` (the 1,000 journeys); `staggered`: 5-, 15- and 60-minute schedules spread over the minutes. */
export function benchSchedules(count: number, mix: Mix): ResolvedSchedule[] {
  return Array.from({ length: count }, (_, i) => {
    const cron =
      mix === 'aligned'
        ? '*/5 * * * *'
        : [`${i % 5}-59/5 * * * *`, `${i % 15}-59/15 * * * *`, `${i % 60} * * * *`][i % 3]!;
    return { workflowId: `bench-${i}`, title: `bench-${i}`, priority: 'low', tags: [], cron, source: 'spec' };
  });
}

const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
const figures = (ms: number[]) => {
  const s = [...ms].sort((a, b) => a - b);
  const r = (x: number) => Math.round(x * 100) / 100;
  return { median: r(quantile(s, 0.5)), p95: r(quantile(s, 0.95)), max: r(s.at(-1)!), ticks: s.length };
};

/**
 * The longest stretch the event loop was held, measured by a setImmediate chain that notes the gap
 * between its turns: a tick that yields between chunks holds it for its longest chunk, one that
 * does not for its whole length.
 */
function blockMeter() {
  let last = performance.now();
  let max = 0;
  let on = true;
  const turn = () => {
    const t = performance.now();
    max = Math.max(max, t - last);
    last = t;
    if (on) setImmediate(turn);
  };
  setImmediate(turn);
  const settle = () => new Promise((resolve) => setImmediate(resolve));
  return {
    async reset() {
      await settle();
      max = 0;
      last = performance.now();
    },
    async read() {
      await settle();
      return max;
    },
    stop: () => void (on = false),
  };
}

/** Ticks over `minutes` of simulated time, as the loop wakes (each slot, else every 15 s); ms per tick. */
async function measure(count: number, mix: Mix, minutes: number) {
  // The previous case's garbage (the baseline makes plenty) is collected before this one starts,
  // where the flag allows it (node --expose-gc), so that its collection is not timed here.
  (globalThis as { gc?: () => void }).gc?.();
  const schedules = benchSchedules(count, mix);
  const start = new Date('2026-12-01T10:00:00.000Z');
  const end = start.getTime() + minutes * 60_000;
  let clock = start;
  let due = 0;
  const tk = createTimekeeper({
    schedules: () => schedules,
    // The real enqueue is a round trip to PostgreSQL: one turn of the event loop stands in for it.
    enqueue: async (slots) => {
      due += slots.length;
      await new Promise((resolve) => setImmediate(resolve));
    },
    onTick: () => undefined,
    tickMs,
    catchUpMs: 0,
    now: () => clock,
    log: () => undefined,
  });
  // The queue is built once, at start and on rediscovery (SIGHUP): timed apart from the ticks.
  const built = performance.now();
  tk.wakeDelay();
  const buildMs = Math.round((performance.now() - built) * 100) / 100;
  const now: number[] = [];
  const blocks: number[] = [];
  const meter = blockMeter();
  // Ticks that file at least 1,000 slots (every schedule falling due at once, in the aligned mix).
  const busy: { total: number[]; block: number[] } = { total: [], block: [] };
  while (clock.getTime() < end) {
    await meter.reset();
    const filedBefore = due;
    const t = performance.now();
    await tk.tickNow();
    const delay = tk.wakeDelay();
    const ms = performance.now() - t;
    const block = await meter.read();
    now.push(ms);
    blocks.push(block);
    if (due - filedBefore >= 1000) {
      busy.total.push(ms);
      busy.block.push(block);
    }
    clock = new Date(clock.getTime() + delay);
  }
  meter.stop();
  const dueNew = due;
  clock = start;
  due = 0;
  const old = baseline(schedules, start);
  const before: number[] = [];
  while (clock.getTime() < end) {
    const t = performance.now();
    due += old.tick(clock).length;
    const delay = old.wakeDelay(clock);
    before.push(performance.now() - t);
    clock = new Date(clock.getTime() + delay);
  }
  if (due !== dueNew) throw new Error(`the two algorithms filed different slots: ${due} vs ${dueNew}`);
  return {
    schedules: count,
    mix,
    slotsFiled: due,
    before: figures(before),
    now: figures(now),
    block: figures(blocks),
    buildMs,
    busy,
  };
}

export async function tickCost(counts: number[], minutes: number): Promise<void> {
  const loadBefore = loadavg();
  const rows: Record<string, string | number>[] = [];
  for (const count of counts)
    for (const mix of ['aligned', 'staggered'] as const) {
      const r = await measure(count, mix, minutes);
      rows.push({
        schedules: r.schedules,
        mix: r.mix,
        ticks: r.now.ticks,
        'slots filed': r.slotsFiled,
        'previous median / p95 / max (ms)': `${r.before.median} / ${r.before.p95} / ${r.before.max}`,
        'heap median / p95 / max (ms)': `${r.now.median} / ${r.now.p95} / ${r.now.max}`,
        'heap longest block p95 / max (ms)': `${r.block.p95} / ${r.block.max}`,
        'heap build at start (ms)': r.buildMs,
        'heap, ticks filing >= 1,000: n, median total / longest block (ms)': r.busy.total.length
          ? `${r.busy.total.length}: ${figures(r.busy.total).median} / ${figures(r.busy.block).median}`
          : '-',
        'p95 ratio': `${Math.round((r.before.p95 / Math.max(r.now.p95, 0.01)) * 10) / 10}x`,
      });
    }
  console.log(`Scheduler tick cost (event-loop ms per tick, ${minutes} simulated minutes, tick ${tickMs / 1000} s):`);
  console.table(rows);
  console.log(`load average (1/5/15 min): ${loadAverage(loadBefore)} before, ${loadAverage()} after`);
}

if (import.meta.main) {
  const { values } = parseArgs({
    options: { counts: { type: 'string', default: '1000,10000' }, minutes: { type: 'string', default: '30' } },
  });
  await tickCost(values.counts.split(',').map(Number), Number(values.minutes));
}
