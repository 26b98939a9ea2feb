// The daemon's capacity check, at start and then at most every `everyMs` on a healthy tick: says
// it is alive with its workers and concurrency (scheduler_daemons, so daemons sharing the queue
// add up), reads each workflow's recent duration, assesses (capacity.ts), shows it (/healthz,
// /metrics, the dashboard's banner through /api/daemon) and sends one warning per episode, and
// its clearing, through the daemon's alert path (`sendOnce`, the episode row decides which daemon).
import { hostname } from 'node:os';
import type { DatabasePool } from '../db/pool.ts';
import { beatDaemon, forgetDaemon, recentDurations, updateCapacityState } from '../db/tables/scheduler-capacity.ts';
import type { AlertSender } from './alerts.ts';
import { createLocationWatch, monitorVersion } from './location-watch.ts';
import { assessCapacity, enterRatio, leaveRatio, type Capacity } from './capacity.ts';
import type { HealthState } from './health.ts';
import type { SchedulerMetrics } from './metrics.ts';
import type { ResolvedSchedule } from './schedules.ts';

export type CapacityWatchDeps = {
  pool: () => DatabasePool | null;
  schedules: () => readonly ResolvedSchedule[];
  workers: number;
  concurrency: number;
  timezone?: string | undefined;
  health: HealthState;
  metrics: SchedulerMetrics;
  alerts: AlertSender;
  log: (line: string) => void;
  /** How often at most (the daemon: max(tick, 10 s), at most a minute). */
  everyMs: number;
  /** MONITOR_LOCATION: this daemon's capacity is its location's, and it keeps the runner registry. */
  location: string;
};

export function createCapacityWatch(d: CapacityWatchDeps) {
  const me = { host: hostname(), pid: process.pid, startedAt: new Date() };
  let durations: ReadonlyMap<string, number> = new Map();
  let lastAt = 0;
  let running: Promise<unknown> | null = null;
  const registry = createLocationWatch({ ...d, cadenceMs: d.everyMs });

  async function check(): Promise<Capacity | null> {
    const pool = d.pool();
    if (!pool) return null;
    const staleMs = 3 * d.everyMs + 30_000;
    const live = await beatDaemon(
      pool,
      { ...me, workers: d.workers, concurrency: d.concurrency, location: d.location, version: monitorVersion },
      staleMs,
    );
    // The registry has its own failures: they do not stop the capacity check.
    await registry.beat(pool, staleMs).catch((e: Error) => d.log(`runner registry: ${e.message}`));
    const schedules = d.schedules();
    durations = await recentDurations(
      pool,
      schedules.map((s) => s.workflowId),
    );
    const c = assessCapacity({ schedules, durations, slots: live.slots, daemons: live.daemons, timezone: d.timezone });
    const state = await updateCapacityState(pool, c.ratio, enterRatio, leaveRatio);
    const shown = assessCapacity(
      { schedules, durations, slots: live.slots, daemons: live.daemons, timezone: d.timezone },
      () => state.over,
    );
    d.metrics.capacityRatio.set(c.ratio);
    d.health.capacity = {
      ratio: c.ratio,
      over: state.over,
      since: state.since.toISOString(),
      daemons: c.daemons,
      workersInParallel: c.slots,
      workflowsWithDuration: c.known,
      workSecondsPerHour: c.workSecondsPerHour,
      capacitySecondsPerHour: c.capacitySecondsPerHour,
      tooLong: c.tooLong.map((t) => t.workflowId),
      warning: shown.warning,
      checkedAt: new Date().toISOString(),
    };
    if (state.changed) {
      const key = `capacity:${state.over ? 'over' : 'back'}:${state.since.toISOString()}`;
      d.log(state.over ? `CAPACITY: ${shown.warning}` : `capacity is back: ratio ${c.ratio}`);
      await d.alerts.sendOnce(key, {
        title: state.over ? 'Schedules cannot be met' : 'Schedules can be met again',
        message: state.over
          ? `The monitor cannot run every workflow on its schedule: ${shown.warning}. Add daemons or workers (MONITOR_WORKERS, MONITOR_CONCURRENCY), or lengthen schedules.`
          : `Due work is back to ${c.ratio.toFixed(2)}x what ${c.daemons} daemon(s) can run (${c.slots} worker(s) in parallel).`,
        priority: 'medium',
        context: { ratio: c.ratio, daemons: c.daemons, workersInParallel: c.slots },
      });
    }
    return c;
  }

  return {
    /** The durations the last check read, for splitting due work. */
    durations: (): ReadonlyMap<string, number> => durations,
    /** Now (at start), or on a healthy tick when the last check is `everyMs` old; one at a time. */
    maybeCheck(force = false): Promise<unknown> {
      if (running || (!force && Date.now() - lastAt < d.everyMs)) return running ?? Promise.resolve();
      lastAt = Date.now();
      running = check()
        .catch((e: Error) => d.log(`capacity check failed: ${e.message}`))
        .finally(() => {
          running = null;
        });
      return running;
    },
    async stop(): Promise<void> {
      await running;
      const pool = d.pool();
      if (pool) await forgetDaemon(pool, me).catch(() => undefined);
    },
  };
}
