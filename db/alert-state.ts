// The alert policy's memory and its atomic steps. The decisions are the pure policy's
// (notifiers/policy), handed in as an engine because db/ imports nothing of ours above it: this
// file locks, reads the history the rules need, writes the decided state and records every alert
// once, so two processes handling the same moment agree on one outcome.
import { z } from 'zod';
import { sql, type CommonQueryMethods, type DatabasePool, type SerializableValue } from 'slonik';
import { insertNotificationLog } from './tables/notification-logs.ts';
import {
  notificationKinds,
  priorities,
  type ExecutionRecord,
  type NotificationKind,
  type NotificationLogRecord,
  type Priority,
} from './types.ts';
import { storableJson, storableText } from './tables/storable.ts';

export const storedStates = ['up', 'down', 'degraded'] as const;
export type StoredState = (typeof storedStates)[number];
export const observedEvents = ['passed', 'failed', 'flaky-pass'] as const;
export type ObservedEvent = (typeof observedEvents)[number];
export type PolicyEvent =
  { type: ObservedEvent; execution: ExecutionRecord } | { type: 'timer' } | { type: 'maintenance-end' };

/** A workflow_states row as the policy sees it. FLAPPING is `flappingSince !== null`; `state` then holds the underlying up/down. */
export type AlertStateRow = {
  workflowId: string;
  state: StoredState;
  since: Date;
  consecutiveFailures: number;
  consecutivePasses: number;
  lastAlertAt: Date | null;
  lastExecutionAt: Date | null;
  name: string | null;
  type: string | null;
  priority: Priority | null;
  tags: string[];
  /** Outage number: keys the outage's failure, reminders and recovery. */
  episode: number;
  downSince: Date | null;
  lastReminderAt: Date | null;
  /** Channels that got the outage's first alert: reminders go there. */
  alertChannels: string[];
  /** An alert a maintenance window swallowed, owed when the window ends. */
  mutedAlert: 'failure' | 'recovery' | null;
  flappingSince: Date | null;
  stableSince: Date | null;
  flapEpisode: number;
  flakySince: Date | null;
  flakyEpisode: number;
  lastError: string | null;
  lastRunId: string | null;
};

/** One final outcome of one test in one run, in the order the policy applied them. */
export type Observation = { runId: string; testId: string; event: ObservedEvent; at: Date; error: string | null };
/** Newest first; observations include the event being evaluated. */
export type AlertHistory = { observations: Observation[]; stateChanges: Date[]; throttled: number };
export type StateChange = { from: StoredState; to: StoredState };
export type DecidedAlert<A, C extends string = string> = {
  /** Unique with workflowId and kind: the same transition decided twice is one alert. */
  key: string;
  workflowId: string;
  kind: NotificationKind;
  channels: C[];
  /** May wait for, and be folded with, others of the same run or minute. */
  hold: boolean;
  runId: string | null;
  alert: A;
};
export type Decision<A, C extends string = string> = {
  next: AlertStateRow;
  alerts: DecidedAlert<A, C>[];
  change: StateChange | null;
};
export type RoutedAlert<A, C extends string = string> = { alert: A; channels: C[] };
export type ThrottleCounts = { lastHour: number; lastDay: number };
export type ThrottleVerdict = { throttled: false } | { throttled: true; reason: string };
export type AlertSummary = Pick<
  NotificationLogRecord,
  'kind' | 'priority' | 'workflowId' | 'runId' | 'title' | 'message'
>;

export type AlertEngine<A, C extends string = string> = {
  channels: readonly C[];
  /** null: not a final outcome (a retry follows, skipped, interrupted). */
  classify(execution: ExecutionRecord, willRetry: boolean): ObservedEvent | null;
  evaluate(state: AlertStateRow, event: PolicyEvent, history: AlertHistory, now: Date): Decision<A, C>;
  inMaintenance(state: AlertStateRow, now: Date): boolean;
  /** Folds alerts released together (storms, reminder rounds); passesInRuns counts passes in their runs. */
  fold(batch: DecidedAlert<A, C>[], context: { passesInRuns: number }, now: Date): DecidedAlert<A, C>[];
  throttle(counts: ThrottleCounts): ThrottleVerdict;
  summarize(alert: A): AlertSummary;
  toJson(alert: A): unknown;
  fromJson(value: unknown): A;
  holdMs: number;
  historyRuns: number;
};

export type ApplyResult<A, C extends string = string> = {
  /** False when the attempt was not a final outcome or was applied before (a replay). */
  applied: boolean;
  alerts: RoutedAlert<A, C>[];
  /** A DOWN alert waits for a possible storm until then: call releaseHeldAlerts at that time (or at run end). */
  heldUntil: Date | null;
};

type Db = CommonQueryMethods;
const none = z.object({});
const iso = (d: Date | null) => (d ? d.toISOString() : null);
const lockKey = (name: string) =>
  sql.fragment`pg_advisory_xact_lock(hashtextextended(${`workflow-monitor:${name}`}, 0))`;

const stateRow = z.object({
  workflowId: z.string(),
  state: z.enum(storedStates),
  since: z.date(),
  consecutiveFailures: z.number(),
  consecutivePasses: z.number(),
  lastAlertAt: z.date().nullable(),
  lastExecutionAt: z.date().nullable(),
  name: z.string().nullable(),
  type: z.string().nullable(),
  priority: z.enum(priorities).nullable(),
  tags: z.array(z.string()),
  episode: z.number(),
  downSince: z.date().nullable(),
  lastReminderAt: z.date().nullable(),
  alertChannels: z.array(z.string()),
  mutedAlert: z.enum(['failure', 'recovery']).nullable(),
  flappingSince: z.date().nullable(),
  stableSince: z.date().nullable(),
  flapEpisode: z.number(),
  flakySince: z.date().nullable(),
  flakyEpisode: z.number(),
  lastError: z.string().nullable(),
  lastRunId: z.string().nullable(),
});

const stateColumns = sql.fragment`workflow_id AS "workflowId", state, since, consecutive_failures AS "consecutiveFailures",
  consecutive_passes AS "consecutivePasses", last_alert_at AS "lastAlertAt", last_execution_at AS "lastExecutionAt",
  workflow_name AS name, workflow_type AS type, priority, tags, episode, down_since AS "downSince",
  last_reminder_at AS "lastReminderAt", alert_channels AS "alertChannels", muted_alert AS "mutedAlert",
  flapping_since AS "flappingSince", stable_since AS "stableSince", flap_episode AS "flapEpisode",
  flaky_since AS "flakySince", flaky_episode AS "flakyEpisode", last_error AS "lastError", last_run_id AS "lastRunId"`;

/** The row locked until the transaction ends; created 'up' when missing. */
async function lockState(db: Db, workflowId: string): Promise<AlertStateRow> {
  await db.query(
    sql.type(
      none,
    )`INSERT INTO workflow_states (workflow_id) VALUES (${workflowId}) ON CONFLICT (workflow_id) DO NOTHING`,
  );
  return db.one(
    sql.type(stateRow)`SELECT ${stateColumns} FROM workflow_states WHERE workflow_id = ${workflowId} FOR UPDATE`,
  );
}

/** A workflow's state before anything happened to it, as workflow_states creates it. */
export function initialAlertState(workflowId: string, now: Date): AlertStateRow {
  return {
    workflowId,
    state: 'up',
    since: now,
    consecutiveFailures: 0,
    consecutivePasses: 0,
    lastAlertAt: null,
    lastExecutionAt: null,
    name: null,
    type: null,
    priority: null,
    tags: [],
    episode: 0,
    downSince: null,
    lastReminderAt: null,
    alertChannels: [],
    mutedAlert: null,
    flappingSince: null,
    stableSince: null,
    flapEpisode: 0,
    flakySince: null,
    flakyEpisode: 0,
    lastError: null,
    lastRunId: null,
  };
}

/** The row as JSON gives it back (dates as strings), checked. */
export const parseAlertState = (value: unknown): AlertStateRow => stateRow.parse(value);
export const parseObservation = (value: unknown): Observation => observationRow.parse(value);

export async function getAlertState(db: Db, workflowId: string): Promise<AlertStateRow | null> {
  return db.maybeOne(sql.type(stateRow)`SELECT ${stateColumns} FROM workflow_states WHERE workflow_id = ${workflowId}`);
}

async function writeState(db: Db, s: AlertStateRow, change: StateChange | null, now: Date): Promise<void> {
  await db.query(sql.type(none)`UPDATE workflow_states SET state = ${s.state}, since = ${iso(s.since)}::timestamptz,
    consecutive_failures = ${s.consecutiveFailures}, consecutive_passes = ${s.consecutivePasses},
    last_alert_at = ${iso(s.lastAlertAt)}::timestamptz, last_execution_at = ${iso(s.lastExecutionAt)}::timestamptz,
    workflow_name = ${s.name}, workflow_type = ${s.type}, priority = ${s.priority}, tags = ${sql.array(s.tags, 'text')},
    episode = ${s.episode}, down_since = ${iso(s.downSince)}::timestamptz, last_reminder_at = ${iso(s.lastReminderAt)}::timestamptz,
    alert_channels = ${sql.array(s.alertChannels, 'text')}, muted_alert = ${s.mutedAlert},
    flapping_since = ${iso(s.flappingSince)}::timestamptz, stable_since = ${iso(s.stableSince)}::timestamptz,
    flap_episode = ${s.flapEpisode}, flaky_since = ${iso(s.flakySince)}::timestamptz, flaky_episode = ${s.flakyEpisode},
    last_error = ${s.lastError}, last_run_id = ${s.lastRunId}, updated_at = now()
    WHERE workflow_id = ${s.workflowId}`);
  if (change) {
    await db.query(sql.type(none)`INSERT INTO alert_state_changes (workflow_id, at, from_state, to_state)
      VALUES (${s.workflowId}, ${now.toISOString()}::timestamptz, ${change.from}, ${change.to})`);
  }
}

const observationRow = z.object({
  runId: z.string(),
  testId: z.string(),
  event: z.enum(observedEvents),
  at: z.date(),
  error: z.string().nullable(),
});

async function readHistory(db: Db, state: AlertStateRow, limit: number): Promise<AlertHistory> {
  const observations = await db.any(sql.type(
    observationRow,
  )`SELECT run_id AS "runId", test_id AS "testId", event, at, error
    FROM alert_observations WHERE workflow_id = ${state.workflowId} ORDER BY seq DESC LIMIT ${limit}`);
  const stateChanges = await db.anyFirst(sql.type(z.object({ at: z.date() }))`SELECT at FROM alert_state_changes
    WHERE workflow_id = ${state.workflowId} ORDER BY at DESC, id DESC LIMIT 100`);
  // Throttled messages on this workflow's channels since it last spoke: the next reminder says how many.
  const since = state.lastReminderAt ?? state.lastAlertAt;
  const throttled =
    since === null || state.alertChannels.length === 0
      ? 0
      : await db.oneFirst(sql.type(z.object({ n: z.number() }))`
    SELECT count(*)::integer AS n FROM notification_logs WHERE throttled AND created_at >= ${since.toISOString()}::timestamptz
      AND channel = ANY(${sql.array(state.alertChannels, 'text')})`);
  return { observations: [...observations], stateChanges: [...stateChanges], throttled };
}

/** Reads history, evaluates one event, writes the outcome. */
async function step<A, C extends string>(
  db: Db,
  engine: AlertEngine<A, C>,
  state: AlertStateRow,
  event: PolicyEvent,
  now: Date,
) {
  const decision = engine.evaluate(state, event, await readHistory(db, state, engine.historyRuns), now);
  await writeState(db, decision.next, decision.change, now);
  return decision;
}

const heldRow = z.object({
  id: z.number(),
  workflowId: z.string(),
  kind: z.enum(notificationKinds),
  key: z.string(),
  runId: z.string().nullable(),
  channels: z.array(z.string()),
  payload: z.unknown(),
  releaseAt: z.date().nullable(),
});

function routed<A, C extends string>(engine: AlertEngine<A, C>, r: z.infer<typeof heldRow>): DecidedAlert<A, C> {
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
    if (!held) {
      // A later alert about the same workflow (its recovery) must not overtake its held failure.
      const flushed = await db.any(sql.type(
        heldRow,
      )`UPDATE alert_events SET status = 'released', released_at = ${now.toISOString()}::timestamptz
        WHERE workflow_id = ${a.workflowId} AND status = 'held' RETURNING id, workflow_id AS "workflowId", kind, dedupe_key AS key,
        run_id AS "runId", channels, payload, release_at AS "releaseAt"`);
      deliver.push(...flushed.map((r) => routed(engine, r)));
    }
    const id = await db.maybeOneFirst(sql.type(
      z.object({ id: z.number() }),
    )`INSERT INTO alert_events (workflow_id, kind, dedupe_key,
      run_id, status, channels, payload, decided_at, release_at, released_at)
      VALUES (${a.workflowId}, ${a.kind}, ${a.key}, ${a.runId}, ${held ? 'held' : 'released'}, ${sql.array(a.channels, 'text')},
        ${sql.jsonb(storableJson(engine.toJson(a.alert)) as SerializableValue)}, ${now.toISOString()}::timestamptz,
        ${held ? releaseAt.toISOString() : null}::timestamptz, ${held ? null : now.toISOString()}::timestamptz)
      ON CONFLICT (workflow_id, kind, dedupe_key) DO NOTHING RETURNING id`);
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
  const outcome = await pool.transaction(async (tx) => {
    let state = await lockState(tx, execution.workflowId);
    const seq = await tx.maybeOneFirst(sql.type(z.object({ seq: z.number() }))`INSERT INTO alert_observations
      (workflow_id, run_id, test_id, event, at, error) VALUES (${execution.workflowId}, ${execution.runId}, ${execution.testId},
      ${event}, ${at.toISOString()}::timestamptz, ${storableText(execution.error)}) ON CONFLICT (workflow_id, run_id, test_id) DO NOTHING RETURNING seq`);
    if (seq === null) return null;
    // Keeps the history bounded: the rules never read further back than historyRuns.
    await tx.query(sql.type(none)`DELETE FROM alert_observations WHERE workflow_id = ${execution.workflowId}
      AND seq <= ${seq - Math.max(engine.historyRuns, 50) * 5}`);
    const alerts: DecidedAlert<A, C>[] = [];
    if (state.mutedAlert !== null && !engine.inMaintenance(state, now)) {
      const ended = await step(tx, engine, state, { type: 'maintenance-end' }, now);
      alerts.push(...ended.alerts);
      state = ended.next;
    }
    alerts.push(...(await step(tx, engine, state, { type: event, execution }, now)).alerts);
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
  const anyDue = await pool.oneFirst(sql.type(z.object({ due: z.boolean() }))`SELECT EXISTS (SELECT 1 FROM alert_events
    WHERE status = 'held' AND (release_at <= ${now.toISOString()}::timestamptz OR run_id = ${runId})) AS due`);
  if (!anyDue) return [];
  return pool.transaction(async (tx) => {
    await tx.query(sql.type(none)`SELECT ${lockKey('alert-release')}`);
    const held = await tx.any(sql.type(
      heldRow,
    )`SELECT id, workflow_id AS "workflowId", kind, dedupe_key AS key, run_id AS "runId",
      channels, payload, release_at AS "releaseAt" FROM alert_events WHERE status = 'held' ORDER BY id FOR UPDATE`);
    if (!held.some((h) => (h.releaseAt !== null && h.releaseAt <= now) || (runId !== null && h.runId === runId)))
      return [];
    const runIds = [...new Set(held.flatMap((h) => (h.runId === null ? [] : [h.runId])))];
    const passesInRuns = await tx.oneFirst(sql.type(z.object({ n: z.number() }))`SELECT count(*)::integer AS n
      FROM alert_observations WHERE run_id = ANY(${sql.array(runIds, 'text')}) AND event <> 'failed'`);
    const batch = held.map((h) => routed(engine, h));
    const folded = engine.fold(batch, { passesInRuns }, now);
    for (const h of held) {
      const kept = folded.find((f) => f.workflowId === h.workflowId && f.kind === h.kind && f.key === h.key);
      await tx.query(sql.type(none)`UPDATE alert_events SET status = ${kept ? 'released' : 'folded'},
        channels = ${sql.array(kept?.channels ?? [], 'text')}, released_at = ${now.toISOString()}::timestamptz WHERE id = ${h.id}`);
    }
    const fresh = folded.filter(
      (f) => !held.some((h) => f.workflowId === h.workflowId && f.kind === h.kind && f.key === h.key),
    );
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
  const ids = await pool.anyFirst(sql.type(z.object({ id: z.string() }))`SELECT workflow_id AS id FROM workflow_states
    WHERE state = 'down' OR flapping_since IS NOT NULL OR muted_alert IS NOT NULL ORDER BY workflow_id`);
  const deliver: DecidedAlert<A, C>[] = [];
  for (const id of ids) {
    const out = await pool.transaction(async (tx) => {
      let state = await lockState(tx, id);
      const alerts: DecidedAlert<A, C>[] = [];
      if (state.mutedAlert !== null && !engine.inMaintenance(state, now)) {
        const ended = await step(tx, engine, state, { type: 'maintenance-end' }, now);
        alerts.push(...ended.alerts);
        state = ended.next;
      }
      alerts.push(...(await step(tx, engine, state, { type: 'timer' }, now)).alerts);
      // Held until now: the round is released below as one batch, so reminders of a storm fold too.
      return recordAlerts(tx, engine, alerts, now, now);
    });
    deliver.push(...out.deliver);
  }
  await pool.query(sql.type(
    none,
  )`WITH a AS (DELETE FROM alert_throttle_slots WHERE claimed_at < ${now.toISOString()}::timestamptz - interval '2 days'),
    b AS (DELETE FROM alert_state_changes WHERE at < ${now.toISOString()}::timestamptz - interval '7 days')
    DELETE FROM alert_events WHERE status <> 'held' AND decided_at < ${now.toISOString()}::timestamptz - interval '30 days'`);
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
    await tx.query(sql.type(none)`SELECT ${lockKey(`throttle:${channel}`)}`);
    const counts = await tx.one(sql.type(z.object({ lastHour: z.number(), lastDay: z.number() }))`SELECT
      count(*) FILTER (WHERE claimed_at > ${now.toISOString()}::timestamptz - interval '1 hour')::integer AS "lastHour",
      count(*)::integer AS "lastDay" FROM alert_throttle_slots
      WHERE channel = ${channel} AND granted AND claimed_at > ${now.toISOString()}::timestamptz - interval '1 day'`);
    const verdict = rule(counts);
    await tx.query(sql.type(none)`INSERT INTO alert_throttle_slots (channel, claimed_at, granted, kind, workflow_id)
      VALUES (${channel}, ${now.toISOString()}::timestamptz, ${!verdict.throttled}, ${alert?.kind ?? null}, ${alert?.workflowId ?? null})`);
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
