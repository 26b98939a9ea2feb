// The daemon's lifecycle: discover, connect, schedule, serve, and stop cleanly. Every part it
// wires lives in its own file; this one only decides the order things start and stop in.
import type { PgBoss } from 'pg-boss';
import { ConfigError } from '../config/parse-env.ts';
import { stopEmbedded } from '../db/embedded/server.ts';
import type { DatabasePool } from '../db/pool.ts';
import { routingWarnings } from '../notifiers/policy/routing.ts';
import { createAlertSender } from './alerts.ts';
import { createLimit, slotMs, splitDue } from './capacity.ts';
import { createCapacityWatch } from './capacity-watch.ts';
import type { SchedulerConfig } from './config.ts';
import { connectDatabase } from './connect.ts';
import { alertBrokenSpecs, printDiscovery, runDiscovery } from './daemon-discovery.ts';
import { serveDaemonHttp } from './daemon-http.ts';
import { createTicks } from './daemon-ticks.ts';
import { brokenLines, type Discovery } from './discover.ts';
import { slotJobId, type DueSlot } from './due-slots.ts';
import type { HealthState } from './health.ts';
import { createHeartbeat } from './heartbeat.ts';
import { registerHousekeeping, type HousekeepingDeps } from './housekeeping.ts';
import type { RunningInvocation } from './invoke.ts';
import type { Log } from './log.ts';
import { createMetrics } from './metrics.ts';
import { dueQueueFor, enqueueSlots, startQueue } from './queue.ts';
import { assignedTo, scheduleOf, type ResolvedSchedule } from './schedules.ts';
import { createSlotHandler, type SlotData, type SlotRunnerDeps } from './slot-runner.ts';
import { keepClaims, leaseMsFor, resumeOrphanedSlots } from './slot-claims.ts';
import { occurrencesBetween } from './cron.ts';
import { createTimekeeper, type Timekeeper } from './timekeeper.ts';

export type Daemon = {
  http: { port: number; host: string };
  schedules(): readonly ResolvedSchedule[];
  rediscover(): Promise<void>;
  /** `interrupt`: end the runs in flight now (recorded as interrupted) instead of letting them finish. */
  stop(reason?: string, options?: { interrupt?: boolean }): Promise<void>;
};

export type DaemonOptions = {
  config: SchedulerConfig;
  env: NodeJS.ProcessEnv;
  log: Log;
  onInvocation?: SlotRunnerDeps['onInvocation'];
};

export async function startDaemon(o: DaemonOptions): Promise<Daemon> {
  const { config: c, log } = o;
  // `pool` is assigned once the database is connected; until then the gauges are empty.
  const metrics = createMetrics({ pool: () => pool });
  const health: HealthState = {
    startedAt: new Date(),
    lastTickAt: null,
    lastTickError: null,
    databaseReachable: null,
    enabled: c.enabled,
    workflows: 0,
    running: 0,
    stopping: false,
    location: c.location,
  };

  let discovery = await runDiscovery(o);
  if (discovery.problems.length) throw new ConfigError(discovery.problems);
  printDiscovery(discovery, o);
  for (const w of routingWarnings(
    c.channels.channels.map((ch) => ch.type),
    c.policy.routes,
  ))
    log(`warning: ${w}`);
  let schedules = c.enabled ? assignedTo(discovery.schedules, c.location) : [];
  health.brokenSpecs = brokenLines(discovery.broken);
  health.workflows = schedules.length;
  metrics.workflows.set(schedules.length);

  const { server, address } = await serveDaemonHttp({
    ...o,
    health,
    metrics,
    pool: () => pool,
    schedules: () => schedules,
  });

  let pool: DatabasePool | null = null;
  let boss: PgBoss | null = null;
  let timekeeper: Timekeeper | null = null;
  let idleTimer: NodeJS.Timeout | undefined;
  let outboxTimer: NodeJS.Timeout | undefined;
  let startedEmbedded = false;
  let interrupt = false;
  const running = new Map<number, RunningInvocation>();
  const alerts = createAlertSender({
    settings: { channels: c.channels, policy: c.policy },
    pool: () => pool,
    metrics,
    log,
    stateDir: c.stateDir,
    location: c.location,
  });
  const ticks = createTicks({
    stateDir: c.stateDir,
    log,
    health,
    metrics,
    alerts,
    heartbeat: createHeartbeat(c.heartbeatUrl, log),
    pool: () => pool,
    claims: (upSince) => keepSlotClaims?.(upSince) ?? Promise.resolve(),
    capacity: () => void capacity.maybeCheck(),
  });
  const capacity = createCapacityWatch({
    pool: () => pool,
    schedules: () => schedules,
    workers: c.workers,
    concurrency: c.concurrency,
    timezone: c.timezone,
    health,
    metrics,
    alerts,
    log,
    everyMs: Math.min(60_000, Math.max(c.tickMs, 10_000)),
    location: c.location,
  });
  let keepSlotClaims: ((upSince: number) => Promise<void>) | null = null;
  const alertBroken = (d: Discovery) => alertBrokenSpecs(d, alerts, log);

  let rediscovering: Promise<void> | null = null;
  // One discovery at a time (SIGHUP and runs that recorded nothing may ask together).
  const rediscoverOnce = () => {
    rediscovering ??= (async () => {
      const next = await runDiscovery(o);
      if (next.problems.length) {
        for (const p of next.problems) log(`rediscovery problem: ${p}`);
        log('rediscovery failed; keeping the previous schedules');
        return;
      }
      discovery = next;
      printDiscovery(discovery, o);
      health.brokenSpecs = brokenLines(discovery.broken);
      alertBroken(discovery);
      schedules = c.enabled ? assignedTo(discovery.schedules, c.location) : [];
      health.workflows = schedules.length;
      metrics.workflows.set(schedules.length);
    })().finally(() => {
      rediscovering = null;
    });
    return rediscovering;
  };
  if (!c.enabled) {
    log('MONITORING_ENABLED=false: idle (nothing is scheduled; /healthz stays up)');
    ticks.idleTick();
    idleTimer = setInterval(ticks.idleTick, c.tickMs);
  } else {
    const db = await connectDatabase(c, log);
    pool = db.pool;
    startedEmbedded = db.startedEmbedded;
    health.databaseReachable = true;
    boss = await startQueue(c, db.url, log);
    const b = boss;
    const queue = dueQueueFor(c.location);
    const slotDeps: SlotRunnerDeps = {
      env: o.env,
      stateDir: c.stateDir,
      runTimeoutMs: c.runTimeoutMs,
      killGraceMs: c.killGraceMs,
      retryLimit: c.pipelineRetries,
      pool: () => pool,
      isScheduled: (id) => scheduleOf(schedules, id) !== undefined,
      metrics,
      alerts,
      running,
      log,
      isStopping: () => health.stopping,
      files: () => discovery.files,
      onPipelineFailure: () => rediscoverOnce(),
      leaseMs: leaseMsFor(c),
      expectedSlots: (id, from, to) => {
        const s = scheduleOf(schedules, id);
        return s ? occurrencesBetween(s.cron, from, to, c.timezone) : [];
      },
      gapReason: (slot) => timekeeper?.unfiledReason(slot) ?? null,
      split: (slots) =>
        splitDue(
          slots,
          (id) => capacity.durations().get(id),
          (id) => slotMs(scheduleOf(schedules, id)?.cron ?? '* * * * *', c.timezone),
          c.workers,
        ),
      limit: createLimit(c.concurrency),
      location: c.location,
      ...(o.onInvocation ? { onInvocation: o.onInvocation } : {}),
    };
    const slotHandler = createSlotHandler(slotDeps);
    await b.work<SlotData>(
      queue,
      { batchSize: 1000, pollingIntervalSeconds: 1, localConcurrency: c.concurrency },
      slotHandler,
    );
    const claimDeps = { ...slotDeps, leaseMs: leaseMsFor(c) };
    const complete = (id: string) => b.complete(queue, id);
    void resumeOrphanedSlots(claimDeps, slotHandler, complete).catch((e: Error) =>
      log(`could not resume the slots of a dead daemon: ${e.message}`),
    );
    // Every healthy tick: leases of runs going on, stale claims of dead daemons (any host), missed slots for /healthz.
    keepSlotClaims = (upSince) =>
      keepClaims(claimDeps, slotHandler, complete, upSince).then((m) => {
        health.missedSlots = m;
      });
    alertBroken(discovery);
    const hk: HousekeepingDeps = {
      pool: () => pool,
      retention: c.retention,
      schedules: () => schedules,
      watchingSince: health.startedAt,
      timezone: c.timezone,
      alerts,
      metrics,
      log,
    };
    if (c.housekeeping) await registerHousekeeping(b, hk);
    await capacity.maybeCheck(true);
    ticks.replayOutbox();
    outboxTimer = setInterval(ticks.replayOutbox, 5 * 60_000);
    const enqueue = (slots: DueSlot[], ids: string[]) => enqueueSlots(b, slots, ids, queue);
    if (c.runOnStart && schedules.length) {
      // One slot per workflow at the start instant: coalesced into one invocation like any minute's.
      const at = new Date(Math.floor(Date.now() / 1000) * 1000);
      const slots = schedules.map((s) => ({ workflowId: s.workflowId, slot: at }));
      await enqueue(
        slots,
        slots.map((s) => slotJobId(s, c.location)),
      );
      log(`MONITOR_RUN_ON_START: queued all ${slots.length} workflow(s) now; then each on its schedule`);
    }
    timekeeper = createTimekeeper({
      schedules: () => schedules,
      tickMs: c.tickMs,
      catchUpMs: c.catchUpMs,
      timezone: c.timezone,
      location: c.location,
      log,
      enqueue,
      onTick: ticks.onTick,
    });
    timekeeper.start();
  }

  let stopping: Promise<void> | null = null;
  return {
    http: address,
    schedules: () => schedules,
    rediscover: () => rediscoverOnce(),
    stop(reason = 'stop requested', options = {}) {
      if (options.interrupt && !interrupt) {
        interrupt = true;
        for (const r of running.values()) r.stop(reason);
      }
      stopping ??= (async () => {
        log(`stopping (${reason}): no new runs; ${running.size} running`);
        health.stopping = true;
        if (idleTimer) clearInterval(idleTimer);
        if (outboxTimer) clearInterval(outboxTimer);
        await timekeeper?.stop();
        await boss?.offWork(dueQueueFor(c.location)).catch(() => undefined);
        const deadline = Date.now() + c.shutdownTimeoutMs;
        while (running.size && !interrupt && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
        if (running.size) {
          log(
            interrupt
              ? `interrupting ${running.size} run(s)`
              : `${running.size} run(s) still going after ${c.shutdownTimeoutMs / 1000} s; stopping them`,
          );
          for (const r of running.values()) r.stop('daemon shutdown');
          await Promise.race([
            Promise.all([...running.values()].map((r) => r.done)),
            new Promise((r) => setTimeout(r, c.killGraceMs + 5_000)),
          ]);
        }
        await boss?.stop({ graceful: true, timeout: 10_000 }).catch((e: Error) => log(`pg-boss stop: ${e.message}`));
        await ticks.settled();
        await capacity.stop();
        alerts.close();
        await pool?.end().catch(() => undefined);
        await server.close();
        if (startedEmbedded) {
          await stopEmbedded({ stateDir: c.stateDir, timeoutMs: 15_000, log }).then(
            () => log('stopped the embedded PostgreSQL it had started'),
            (e: Error) => log(`could not stop the embedded PostgreSQL: ${e.message}`),
          );
        }
        log('stopped');
      })();
      return stopping;
    },
  };
}
