// The daemon's lifecycle: discover, connect, schedule, serve, and stop cleanly. Every part it
// wires lives in its own file; this one only decides the order things start and stop in.
import { createHash } from 'node:crypto';
import { PgBoss } from 'pg-boss';
import { sql } from 'slonik';
import { z } from 'zod';
import { DatabaseUnavailableError } from '../config/database-url.ts';
import { ConfigError } from '../config/parse-env.ts';
import { stopEmbedded } from '../db/embedded.ts';
import { embeddedRunning, openDatabase } from '../db/open.ts';
import type { DatabasePool } from '../db/pool.ts';
import { routingWarnings } from '../notifiers/policy/routing.ts';
import { createAlertSender } from './alerts.ts';
import type { SchedulerConfig } from './config.ts';
import { brokenLines, discover, type Discovery } from './discover.ts';
import { slotJobId, type DueSlot } from './due-slots.ts';
import { dashboardSchedules, scheduleRows } from './describe-schedule.ts';
import { statusSources } from './status-sources.ts';
import { healthReport } from './health.ts';
import { addDashboardRoutes } from '../dashboard/routes.ts';
import path from 'node:path';
import type { HealthState } from './health.ts';
import { createHeartbeat } from './heartbeat.ts';
import { registerHousekeeping, replayLocalOutbox, type HousekeepingDeps } from './housekeeping.ts';
import { outboxStatus } from '../db/outbox.ts';
import { createHttpServer } from './http-server.ts';
import type { RunningInvocation } from './invoke.ts';
import type { Log } from './log.ts';
import { createMetrics } from './metrics.ts';
import { addDaemonRoutes } from './routes.ts';
import type { ResolvedSchedule } from './schedules.ts';
import { createSlotHandler, resumeOrphanedSlots, type SlotData, type SlotRunnerDeps } from './slot-runner.ts';
import { createTimekeeper, type Timekeeper } from './timekeeper.ts';

export const dueQueue = 'wm-due';

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

async function runDiscovery(o: DaemonOptions): Promise<Discovery> {
  const c = o.config;
  return discover({
    env: o.env,
    omitVariables: c.badRunnerVariables,
    overrides: c.overrides,
    intervalMinutes: c.intervalMinutes,
    timezone: c.timezone,
    allowSeconds: c.allowSecondCron,
  });
}

function printDiscovery(d: Discovery, o: DaemonOptions): void {
  for (const w of d.warnings) o.log(`warning: ${w}`);
  for (const b of brokenLines(d.broken)) o.log(`BROKEN SPEC: ${b}`);
  o.log(`discovered ${d.schedules.length} workflow(s):`);
  for (const r of scheduleRows(d.schedules, new Date(), o.config.timezone)) {
    o.log(
      `  ${r.id.padEnd(24)} ${r.priority.padEnd(8)} ${r.cron.padEnd(16)} ${r.schedule} (${r.source}); next ${r.nextRun ?? 'never'}`,
    );
  }
}

async function connect(
  c: SchedulerConfig,
  log: Log,
): Promise<{ url: string; pool: DatabasePool; startedEmbedded: boolean }> {
  // A database still starting (a deploy of both, a restart) gets a minute before we give up.
  const deadline = Date.now() + 60_000;
  // The embedded server this daemon starts is its own to stop (a run's or a CLI's stays up).
  const embeddedWasUp = await embeddedRunning(c);
  for (let attempt = 1; ; attempt++) {
    try {
      const { url, pool } = await openDatabase(c, { log });
      return { url, pool, startedEmbedded: !c.databaseUrl && !embeddedWasUp };
    } catch (error) {
      // A wrong login or database name stays wrong: say so at once rather than after a minute.
      if (Date.now() > deadline || (error instanceof DatabaseUnavailableError && error.permanent)) throw error;
      log(`database not ready (attempt ${attempt}): ${(error as Error).message}; retrying`);
      await new Promise((r) => setTimeout(r, Math.min(10_000, 1000 * attempt)));
    }
  }
}

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
  };

  let discovery = await runDiscovery(o);
  if (discovery.problems.length) throw new ConfigError(discovery.problems);
  printDiscovery(discovery, o);
  for (const w of routingWarnings(
    c.channels.channels.map((ch) => ch.type),
    c.policy.routes,
  ))
    log(`warning: ${w}`);
  let schedules = c.enabled ? discovery.schedules : [];
  health.brokenSpecs = brokenLines(discovery.broken);
  health.workflows = schedules.length;
  metrics.workflows.set(schedules.length);

  const server = createHttpServer({ log });
  addDaemonRoutes(server, {
    health,
    staleMs: c.healthStaleMs,
    metrics,
    metricsToken: c.metricsToken,
    stateDir: c.stateDir,
  });
  addDashboardRoutes(server, {
    pool: () => pool,
    schedules: () => dashboardSchedules(schedules, c.policy),
    daemon: () => ({ ...healthReport(health, new Date(), c.healthStaleMs).body }),
    artifactsDir: path.join(c.stateDir, 'artifacts'),
    token: c.dashboardToken,
    status: statusSources(o.env, c.policy.maintenance, () =>
      dashboardSchedules(schedules, c.policy).map((w) => ({
        id: w.workflowId,
        title: w.title,
        priority: w.priority,
        tags: w.tags,
      })),
    ),
  });
  const address = await server.listen(c.httpPort, c.httpHost);
  log(`http on http://${address.host}:${address.port} (dashboard /, /healthz, /metrics)`);

  let pool: DatabasePool | null = null;
  let boss: PgBoss | null = null;
  let timekeeper: Timekeeper | null = null;
  let idleTimer: NodeJS.Timeout | undefined;
  let outboxTimer: NodeJS.Timeout | undefined;
  let alertTick: Promise<unknown> | null = null;
  let startedEmbedded = false;
  let interrupt = false;
  const running = new Map<number, RunningInvocation>();
  const alerts = createAlertSender({
    channels: c.channels,
    env: o.env,
    pool: () => pool,
    metrics,
    log,
    stateDir: c.stateDir,
  });
  const heartbeat = createHeartbeat(c.heartbeatUrl, log);
  // One alert per broken file and reason (the mark is in PostgreSQL: a restart does not repeat it).
  const alertBroken = (d: Discovery) => {
    for (const b of d.broken) {
      void alerts
        .sendOnce(`broken-spec:${b.file}:${createHash('sha256').update(b.reason).digest('hex').slice(0, 16)}`, {
          title: 'Workflow spec does not load',
          message: `${b.file} does not load, so its workflows are not running; every other workflow still runs on schedule. ${b.reason}`,
          error: b.reason,
          context: { file: b.file },
        })
        .catch((e: Error) => log(`could not send the broken-spec alert: ${e.message}`));
    }
  };

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
      schedules = c.enabled ? discovery.schedules : [];
      health.workflows = schedules.length;
      metrics.workflows.set(schedules.length);
    })().finally(() => {
      rediscovering = null;
    });
    return rediscovering;
  };
  if (!c.enabled) {
    log('MONITORING_ENABLED=false: idle (nothing is scheduled; /healthz stays up)');
    const idleTick = () => {
      health.lastTickAt = new Date();
      metrics.lastTick.set(Date.now() / 1000);
      heartbeat.ping();
    };
    idleTick();
    idleTimer = setInterval(idleTick, c.tickMs);
  } else {
    const db = await connect(c, log);
    pool = db.pool;
    startedEmbedded = db.startedEmbedded;
    health.databaseReachable = true;
    boss = new PgBoss({
      connectionString: db.url,
      max: 4,
      superviseIntervalSeconds: 10,
      monitorIntervalSeconds: 10,
      schedule: c.housekeeping,
      application_name: 'workflow-monitor-scheduler',
    });
    boss.on('error', (error: Error) => log(`pg-boss: ${error.message}`));
    await boss.start();
    const expireInSeconds = Math.ceil((c.runTimeoutMs + c.killGraceMs) / 1000) + 60;
    const queueOptions = {
      retryLimit: c.pipelineRetries,
      retryDelay: c.pipelineRetryDelaySeconds,
      retryBackoff: true,
      expireInSeconds,
      heartbeatSeconds: 10,
      deleteAfterSeconds: 3 * 86_400,
    };
    // stately: per workflow (singletonKey) at most one slot running and one waiting, so a run that
    // outlasts its interval is never overlapped and late slots do not pile up behind it.
    await boss.createQueue(dueQueue, { policy: 'stately', ...queueOptions });
    await boss.updateQueue(dueQueue, queueOptions);
    const b = boss;
    const slotDeps: SlotRunnerDeps = {
      env: o.env,
      stateDir: c.stateDir,
      runTimeoutMs: c.runTimeoutMs,
      killGraceMs: c.killGraceMs,
      retryLimit: c.pipelineRetries,
      pool: () => pool,
      isScheduled: (id) => schedules.some((s) => s.workflowId === id),
      metrics,
      alerts,
      running,
      log,
      isStopping: () => health.stopping,
      files: () => discovery.files,
      onPipelineFailure: () => rediscoverOnce(),
      ...(o.onInvocation ? { onInvocation: o.onInvocation } : {}),
    };
    const slotHandler = createSlotHandler(slotDeps);
    await b.work<SlotData>(
      dueQueue,
      { batchSize: 1000, pollingIntervalSeconds: 1, localConcurrency: c.concurrency },
      slotHandler,
    );
    void resumeOrphanedSlots(slotDeps, slotHandler, (id) => b.complete(dueQueue, id)).catch((e: Error) =>
      log(`could not resume the slots of a dead daemon: ${e.message}`),
    );
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
    const replay = () => {
      if (pool) {
        replayLocalOutbox(pool, c.stateDir, log, (executions) => alerts.onReplayed(executions))
          .catch((e: Error) => log(`outbox replay failed: ${e.message}`))
          .finally(() =>
            outboxStatus(c.stateDir).then(
              (s) => {
                health.outbox = s;
              },
              () => undefined,
            ),
          );
      }
    };
    replay();
    outboxTimer = setInterval(replay, 5 * 60_000);
    const ping = sql.type(z.object({ ok: z.number() }))`SELECT 1 AS ok`;
    const enqueue = async (slots: DueSlot[], ids: string[]) => {
      await b.insert(
        dueQueue,
        slots.map((s, i) => ({
          id: ids[i]!,
          data: { workflowId: s.workflowId, slot: s.slot.toISOString() },
          singletonKey: s.workflowId,
        })),
      );
    };
    if (c.runOnStart && schedules.length) {
      // One slot per workflow at the start instant: coalesced into one invocation like any minute's.
      const at = new Date(Math.floor(Date.now() / 1000) * 1000);
      const slots = schedules.map((s) => ({ workflowId: s.workflowId, slot: at }));
      await enqueue(slots, slots.map(slotJobId));
      log(`MONITOR_RUN_ON_START: queued all ${slots.length} workflow(s) now; then each on its schedule`);
    }
    timekeeper = createTimekeeper({
      schedules: () => schedules,
      tickMs: c.tickMs,
      catchUpMs: c.catchUpMs,
      timezone: c.timezone,
      log,
      enqueue,
      onTick: (ok, error, queued) => {
        if (queued) log(`queued ${queued} due slot(s)`);
        void outboxStatus(c.stateDir).then(
          (s) => {
            health.outbox = s;
          },
          () => undefined,
        );
        void (async () => {
          let dbOk = ok;
          if (ok && pool)
            dbOk = await pool.oneFirst(ping).then(
              () => true,
              () => false,
            );
          health.databaseReachable = dbOk;
          if (ok && dbOk) {
            health.lastTickAt = new Date();
            health.lastTickError = null;
            metrics.lastTick.set(Date.now() / 1000);
            heartbeat.ping();
            // The policy's timers (reminders while DOWN, outages owed after maintenance, end of
            // flapping) need no run to happen; every daemon may tick, the rows are locked per workflow.
            alertTick ??= alerts
              .tick()
              .catch((e: Error) => log(`alert timers failed: ${e.message}`))
              .finally(() => {
                alertTick = null;
              });
          } else {
            health.lastTickError = error ?? 'database unreachable';
          }
        })();
      },
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
        await boss?.offWork(dueQueue).catch(() => undefined);
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
        await alertTick;
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
