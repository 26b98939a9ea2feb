// What /healthz answers, as a pure function of the daemon's state and the time.
import type { LocationView } from './location-watch.ts';
export type HealthState = {
  startedAt: Date;
  /** The last tick that reached the database and queued its due slots. */
  lastTickAt: Date | null;
  lastTickError: string | null;
  databaseReachable: boolean | null;
  enabled: boolean;
  workflows: number;
  running: number;
  stopping: boolean;
  /** MONITOR_LOCATION of this daemon. */
  location?: string;
  /** The local outbox: rows waiting for a replay, and entries set aside as dead letters (refreshed every tick). */
  outbox?: {
    pendingEntries: number;
    pendingFiles: number;
    deadLetters: number;
    lastDeadLetter: { at: string; reason: string } | null;
  } | null;
  /** Slots recorded missed in the last day (scheduler_slot_runs), and the latest with its reason. */
  missedSlots?: {
    lastDay: number;
    last: { workflowId: string; slot: string; reason: string | null } | null;
  } | null;
  /** The capacity check (capacity-watch.ts): due work over what the live daemons can run; `warning` when a schedule cannot be met. */
  capacity?: {
    ratio: number;
    over: boolean;
    since: string;
    daemons: number;
    workersInParallel: number;
    workflowsWithDuration: number;
    workSecondsPerHour: number;
    capacitySecondsPerHour: number;
    tooLong: string[];
    warning: string | null;
    checkedAt: string;
  } | null;
  /** The runner registry (location-watch.ts): every location, when it was last seen, offline or not. */
  locations?: LocationView[] | null;
  /** Spec files that do not load (one line each): the daemon runs the rest, degraded. */
  brokenSpecs?: string[];
};

export type HealthReport = { status: number; body: Record<string, unknown> };

export function healthReport(state: HealthState, now: Date, staleMs: number): HealthReport {
  const reference = state.lastTickAt ?? state.startedAt;
  const ageMs = now.getTime() - reference.getTime();
  const stale = ageMs > staleMs;
  const ok = !stale && !state.stopping;
  const problems = state.brokenSpecs ?? [];
  // Degraded is still up (200): the other workflows run; the reason is in `problems`.
  return {
    status: ok ? 200 : 503,
    body: {
      status: !ok ? (state.stopping ? 'stopping' : 'stale') : problems.length ? 'degraded' : 'ok',
      problems,
      alive: true,
      enabled: state.enabled,
      lastTickAt: state.lastTickAt?.toISOString() ?? null,
      lastTickAgeSeconds: Math.round(ageMs / 100) / 10,
      staleAfterSeconds: staleMs / 1000,
      lastTickError: state.lastTickError,
      databaseReachable: state.databaseReachable,
      workflows: state.workflows,
      runningInvocations: state.running,
      // Rows not in PostgreSQL yet (replayed every 5 min and by the next run) and rows it refused (outbox/dead/).
      spoolBacklog: state.outbox?.pendingEntries ?? null,
      spoolFiles: state.outbox?.pendingFiles ?? null,
      deadLetters: state.outbox?.deadLetters ?? null,
      lastDeadLetter: state.outbox?.lastDeadLetter ?? null,
      missedSlotsLastDay: state.missedSlots?.lastDay ?? null,
      lastMissedSlot: state.missedSlots?.last ?? null,
      capacity: state.capacity ?? null,
      location: state.location ?? null,
      locations: state.locations ?? null,
      startedAt: state.startedAt.toISOString(),
    },
  };
}
