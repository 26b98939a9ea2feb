// What the daemon does on every tick of its timekeeper (and every five minutes for the outbox):
// the database ping behind /healthz, the heartbeat, the alert policy's timers (one at a time),
// the outbox's backlog, and the replay of rows spooled while the database was away.
import { sql } from 'slonik';
import { z } from 'zod';
import { outboxStatus } from '../db/outbox.ts';
import type { DatabasePool } from '../db/pool.ts';
import type { AlertSender } from './alerts.ts';
import type { HealthState } from './health.ts';
import type { createHeartbeat } from './heartbeat.ts';
import { replayLocalOutbox } from './housekeeping.ts';
import type { Log } from './log.ts';
import type { createMetrics } from './metrics.ts';

export type TickDeps = {
  stateDir: string;
  log: Log;
  health: HealthState;
  metrics: ReturnType<typeof createMetrics>;
  alerts: AlertSender;
  heartbeat: ReturnType<typeof createHeartbeat>;
  pool: () => DatabasePool | null;
  /** The slot claims' upkeep (slot-claims.ts `keepClaims`), given since when the database answers without a break. */
  claims?: (dbUpSince: number) => Promise<void>;
  /** The capacity check (capacity-watch.ts `maybeCheck`), on healthy ticks. */
  capacity?: () => void;
};

const ping = sql.type(z.object({ ok: z.number() }))`SELECT 1 AS ok`;

export function createTicks(d: TickDeps) {
  let alertTick: Promise<unknown> | null = null;
  let claimTick: Promise<unknown> | null = null;
  let dbUpSince: number | null = null;
  return {
    /** MONITORING_ENABLED=false: alive, nothing scheduled. */
    idleTick(): void {
      d.health.lastTickAt = new Date();
      d.metrics.lastTick.set(Date.now() / 1000);
      d.heartbeat.ping();
    },
    replayOutbox() {
      const pool = d.pool();
      if (pool) {
        replayLocalOutbox(pool, d.stateDir, d.log, (executions) => d.alerts.onReplayed(executions))
          .catch((e: Error) => d.log(`outbox replay failed: ${e.message}`))
          .finally(() =>
            outboxStatus(d.stateDir).then(
              (s) => {
                d.health.outbox = s;
              },
              () => undefined,
            ),
          );
      }
    },
    onTick(ok: boolean, error: string | null, queued: number): void {
      if (queued) d.log(`queued ${queued} due slot(s)`);
      void outboxStatus(d.stateDir).then(
        (s) => {
          d.health.outbox = s;
        },
        () => undefined,
      );
      void (async () => {
        const pool = d.pool();
        let dbOk = ok;
        if (ok && pool)
          dbOk = await pool.oneFirst(ping).then(
            () => true,
            () => false,
          );
        d.health.databaseReachable = dbOk;
        const upSince = ok && dbOk ? (dbUpSince ?? Date.now()) : null;
        dbUpSince = upSince;
        if (upSince !== null && d.claims)
          claimTick ??= d
            .claims(upSince)
            .catch((e: Error) => d.log(`slot claims: ${e.message}`))
            .finally(() => {
              claimTick = null;
            });
        if (ok && dbOk) {
          d.health.lastTickAt = new Date();
          d.health.lastTickError = null;
          d.metrics.lastTick.set(Date.now() / 1000);
          d.heartbeat.ping();
          d.capacity?.();
          // The policy's timers (reminders while DOWN, outages owed after maintenance, end of
          // flapping) need no run to happen; every daemon may tick, the rows are locked per workflow.
          alertTick ??= d.alerts
            .tick()
            .catch((e: Error) => d.log(`alert timers failed: ${e.message}`))
            .finally(() => {
              alertTick = null;
            });
        } else {
          d.health.lastTickError = error ?? 'database unreachable';
        }
      })();
    },
    /** The alert timers and slot claims in flight, awaited when the daemon stops. */
    settled: (): Promise<unknown> => Promise.all([alertTick, claimTick]),
  };
}
