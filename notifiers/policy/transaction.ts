// The policy's transactions: each decision is taken under the workflow's row lock, from the
// history in PostgreSQL, and written with the alerts it decided before the lock is released, so
// two processes handling the same moment agree on one outcome and a replay decides nothing.
// The decisions are the engine's (engine.ts, pure); the locks and rows are db/alert-rows.ts.
import type { CommonQueryMethods, DatabasePool } from 'slonik';
import type {
  AlertEngine,
  AlertStateRow,
  AlertSummary,
  ApplyResult,
  DecidedAlert,
  PolicyEvent,
  RoutedAlert,
  ThrottleCounts,
  ThrottleVerdict,
} from '../../core/alerts.ts';
import type { ExecutionRecord } from '../../core/records.ts';
import { DEFAULT_LOCATION } from '../../core/locations.ts';
import {
  anyHeldDue,
  insertAlertEvent,
  insertObservation,
  insertThrottleSlot,
  lockAlertState,
  lockHeldAlerts,
  lockNamed,
  passesInRuns,
  pruneAlertBookkeeping,
  pruneObservations,
  readAlertHistory,
  releaseHeldOf,
  settleHeldAlert,
  throttleCounts,
  workflowsWithTimers,
  writeAlertState,
  type AlertEventRow,
} from '../../db/alert-rows.ts';
import { insertNotificationLog } from '../../db/tables/notification-logs.ts';

type Db = CommonQueryMethods;

/** On the locked row: an alert owed by a maintenance window that has ended comes first, then `event`. */
async function decide<A, C extends string>(
  db: Db,
  engine: AlertEngine<A, C>,
  locked: AlertStateRow,
  event: PolicyEvent,
  now: Date,
): Promise<DecidedAlert<A, C>[]> {
  /** Reads history, evaluates one event, writes the outcome. */
  const step = async (row: AlertStateRow, e: PolicyEvent) => {
    const decision = engine.evaluate(row, e, await readAlertHistory(db, row, engine.historyRuns), now);
    await writeAlertState(db, decision.next, decision.change, now);
    return decision;
  };
  let state = locked;
  const alerts: DecidedAlert<A, C>[] = [];
  if (state.mutedAlert !== null && !engine.inMaintenance(state, now)) {
    const ended = await step(state, { type: 'maintenance-end' });
    alerts.push(...ended.alerts);
    state = ended.next;
  }
  alerts.push(...(await step(state, event)).alerts);
  return alerts;
}

function routed<A, C extends string>(engine: AlertEngine<A, C>, r: AlertEventRow): DecidedAlert<A, C> {
  const channels = r.channels.filter((c): c is C => (engine.channels as readonly string[]).includes(c));
  return {
    key: r.key,
    workflowId: r.workflowId,
    kind: r.kind,
    channels,
    hold: true,
    runId: r.runId,
    alert: engine.fromJson(r.payload),
  };
}

/** Records each alert once; returns those to deliver now. `releaseAt` holds the foldable ones (tick rounds hold until now). */
async function recordAlerts<A, C extends string>(
  db: Db,
  engine: AlertEngine<A, C>,
  alerts: DecidedAlert<A, C>[],
  now: Date,
  releaseAt: Date | null,
) {
  const deliver: DecidedAlert<A, C>[] = [];
  let heldUntil: Date | null = null;
  for (const a of alerts) {
    const held = a.hold && releaseAt !== null;
    // A later alert about the same workflow (its recovery) must not overtake its held failure.
    if (!held) deliver.push(...(await releaseHeldOf(db, a.workflowId, now)).map((r) => routed(engine, r)));
    const event = { ...a, payload: engine.toJson(a.alert), releaseAt: held ? releaseAt : null };
    const id = await insertAlertEvent(db, event, now);
    if (id === null) continue;
    if (!held) deliver.push(a);
    else if (heldUntil === null || releaseAt.getTime() > heldUntil.getTime()) heldUntil = releaseAt;
  }
  return { deliver, heldUntil };
}

const toRouted = <A, C extends string>(alerts: DecidedAlert<A, C>[]): RoutedAlert<A, C>[] =>
  alerts.filter((a) => a.channels.length > 0).map((a) => ({ alert: a.alert, channels: a.channels }));

/**
 * Applies one finished attempt (already in workflow_executions) to its workflow's alert state,
 * in one transaction under the state row's lock: two runs finishing together decide one after
 * the other, and the same attempt applied twice (a replay, a second process) decides nothing.
 * `willRetry`: Playwright will run this test again (result.retry < test.retries and it failed).
 */
export async function applyExecutionToState<A, C extends string>(
  pool: DatabasePool,
  execution: ExecutionRecord,
  engine: AlertEngine<A, C>,
  now: Date,
  options: { willRetry: boolean; hold?: boolean },
): Promise<ApplyResult<A, C>> {
  const event = engine.classify(execution, options.willRetry);
  if (event === null) return { applied: false, alerts: [], heldUntil: null };
  const at = new Date(execution.startedAt.getTime() + Math.max(0, execution.durationMs));
  const { workflowId, runId, testId, error } = execution;
  const location = execution.location ?? DEFAULT_LOCATION;
  const outcome = await pool.transaction(async (tx) => {
    const state = await lockAlertState(tx, workflowId);
    const seq = await insertObservation(tx, { workflowId, runId, testId, event, at, error, location });
    if (seq === null) return null;
    // Keeps the history bounded: the rules never read further back than historyRuns.
    await pruneObservations(tx, workflowId, seq - Math.max(engine.historyRuns, 50) * 5);
    const alerts = await decide(tx, engine, state, { type: event, execution }, now);
    // hold: false (an outbox replay): every decided alert comes back now, for the caller to filter and send.
    const releaseAt = engine.holdMs > 0 && options.hold !== false ? new Date(now.getTime() + engine.holdMs) : null;
    return recordAlerts(tx, engine, alerts, now, releaseAt);
  });
  if (outcome === null) return { applied: false, alerts: [], heldUntil: null };
  const due = await releaseHeldAlerts(pool, engine, now);
  return { applied: true, alerts: [...toRouted(outcome.deliver), ...due], heldUntil: outcome.heldUntil };
}

/**
 * Releases held alerts once any of them is due (or belongs to `runId`, a run that has ended),
 * all together, folded by the engine into digests or one "target unreachable" alert.
 */
export async function releaseHeldAlerts<A, C extends string>(
  pool: DatabasePool,
  engine: AlertEngine<A, C>,
  now: Date,
  options: { runId?: string } = {},
): Promise<RoutedAlert<A, C>[]> {
  const runId = options.runId ?? null;
  if (!(await anyHeldDue(pool, now, runId))) return [];
  return pool.transaction(async (tx) => {
    await lockNamed(tx, 'alert-release');
    const held = await lockHeldAlerts(tx);
    if (!held.some((h) => (h.releaseAt !== null && h.releaseAt <= now) || (runId !== null && h.runId === runId)))
      return [];
    const runIds = [...new Set(held.flatMap((h) => (h.runId === null ? [] : [h.runId])))];
    const batch = held.map((h) => routed(engine, h));
    const folded = engine.fold(batch, { passesInRuns: await passesInRuns(tx, runIds) }, now);
    const same = (f: DecidedAlert<A, C>, h: AlertEventRow) =>
      f.workflowId === h.workflowId && f.kind === h.kind && f.key === h.key;
    for (const h of held) await settleHeldAlert(tx, h.id, folded.find((f) => same(f, h))?.channels ?? null, now);
    const fresh = folded.filter((f) => !held.some((h) => same(f, h)));
    await recordAlerts(
      tx,
      engine,
      fresh.map((f) => ({ ...f, hold: false })),
      now,
      null,
    );
    return toRouted(folded);
  });
}

/**
 * What time alone decides, for every workflow that may need it: reminders, alerts owed at the
 * end of a maintenance window, the end of flapping. The daemon calls it each minute, the
 * reporter at run end; also releases held alerts that are due and prunes old bookkeeping.
 */
export async function tickTimers<A, C extends string>(
  pool: DatabasePool,
  engine: AlertEngine<A, C>,
  now: Date,
): Promise<RoutedAlert<A, C>[]> {
  const deliver: DecidedAlert<A, C>[] = [];
  for (const id of await workflowsWithTimers(pool)) {
    const out = await pool.transaction(async (tx) => {
      const alerts = await decide(tx, engine, await lockAlertState(tx, id), { type: 'timer' }, now);
      // Held until now: the round is released below as one batch, so reminders of a storm fold too.
      return recordAlerts(tx, engine, alerts, now, now);
    });
    deliver.push(...out.deliver);
  }
  await pruneAlertBookkeeping(pool, now);
  return [...toRouted(deliver), ...(await releaseHeldAlerts(pool, engine, now))];
}

/**
 * Atomically decides whether one more alert may go to `channel` now, across processes: a
 * per-channel advisory lock orders the claims, every claim is counted, and a throttled alert is
 * logged in notification_logs as such (delivery never sees it).
 */
export async function claimThrottleSlot(
  pool: DatabasePool,
  channel: string,
  now: Date,
  rule: (counts: ThrottleCounts) => ThrottleVerdict,
  alert?: AlertSummary,
): Promise<ThrottleVerdict> {
  return pool.transaction(async (tx) => {
    await lockNamed(tx, `throttle:${channel}`);
    const verdict = rule(await throttleCounts(tx, channel, now));
    const slot = {
      channel,
      granted: !verdict.throttled,
      kind: alert?.kind ?? null,
      workflowId: alert?.workflowId ?? null,
    };
    await insertThrottleSlot(tx, slot, now);
    if (verdict.throttled && alert) {
      await insertNotificationLog(tx, {
        ...alert,
        channel,
        sent: false,
        throttled: true,
        error: verdict.reason,
        statusCode: null,
        attempts: 0,
        latencyMs: 0,
      });
    }
    return verdict;
  });
}
