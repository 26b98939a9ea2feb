// The alert policy's tables, as locking and row primitives: workflow_states (one row per
// workflow, locked for the decision), alert_observations (the final outcomes the rules read),
// alert_state_changes, alert_events (each decided alert once; held ones wait there) and
// alert_throttle_slots. Each function is one query or one lock; the policy
// (notifiers/policy/transaction.ts) composes them into its transactions.
import { z } from 'zod';
import { sql, type CommonQueryMethods, type SerializableValue } from 'slonik';
import {
  observedEvents,
  type AlertHistory,
  type AlertStateRow,
  type Observation,
  type ObservedEvent,
  type StateChange,
  type ThrottleCounts,
} from '../core/alerts.ts';
import { notificationKinds, type NotificationKind } from '../core/records.ts';
import { DEFAULT_LOCATION } from '../core/locations.ts';
import { storableJson, storableText } from './tables/storable.ts';
import { workflowStateColumns } from './tables/workflow-states.ts';

type Db = CommonQueryMethods;
const none = z.object({});
const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** Waits for the transaction-scoped advisory lock `name` (released at commit or rollback). */
export async function lockNamed(db: Db, name: string): Promise<void> {
  await db.query(sql.type(none)`SELECT pg_advisory_xact_lock(hashtextextended(${`workflow-monitor:${name}`}, 0))`);
}

const stateRow = workflowStateColumns.omit({ details: true, updatedAt: true }).extend({
  // Defaults: a local fallback file written before issue 16 has none of these.
  failingLocations: z.array(z.string()).default([]),
  passingLocations: z.array(z.string()).default([]),
  partialSince: z.date().nullable().default(null),
  partialEpisode: z.number().default(0),
});

const stateColumns = sql.fragment`workflow_id AS "workflowId", state, since, consecutive_failures AS "consecutiveFailures",
  consecutive_passes AS "consecutivePasses", last_alert_at AS "lastAlertAt", last_execution_at AS "lastExecutionAt",
  workflow_name AS name, workflow_type AS type, priority, tags, episode, down_since AS "downSince",
  last_reminder_at AS "lastReminderAt", alert_channels AS "alertChannels", muted_alert AS "mutedAlert",
  flapping_since AS "flappingSince", stable_since AS "stableSince", flap_episode AS "flapEpisode",
  flaky_since AS "flakySince", flaky_episode AS "flakyEpisode", last_error AS "lastError", last_run_id AS "lastRunId",
  failing_locations AS "failingLocations", passing_locations AS "passingLocations", partial_since AS "partialSince",
  partial_episode AS "partialEpisode"`;

const observationRow = z.object({
  runId: z.string(),
  testId: z.string(),
  event: z.enum(observedEvents),
  at: z.date(),
  error: z.string().nullable(),
  location: z.string().optional(),
});

/** The row as JSON gives it back (dates as strings), checked. */
export const parseAlertState = (value: unknown): AlertStateRow => stateRow.parse(value);
export const parseObservation = (value: unknown): Observation => observationRow.parse(value);

/** The row locked until the transaction ends; created 'up' when missing. */
export async function lockAlertState(db: Db, workflowId: string): Promise<AlertStateRow> {
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
    failingLocations: [],
    passingLocations: [],
    partialSince: null,
    partialEpisode: 0,
  };
}

export async function getAlertState(db: Db, workflowId: string): Promise<AlertStateRow | null> {
  return db.maybeOne(sql.type(stateRow)`SELECT ${stateColumns} FROM workflow_states WHERE workflow_id = ${workflowId}`);
}

/** Workflows time alone may move: down, flapping, or owing an alert a maintenance window swallowed. */
export async function workflowsWithTimers(db: Db): Promise<readonly string[]> {
  return db.anyFirst(sql.type(z.object({ id: z.string() }))`SELECT workflow_id AS id FROM workflow_states
    WHERE state = 'down' OR flapping_since IS NOT NULL OR muted_alert IS NOT NULL ORDER BY workflow_id`);
}

/** Writes the decided row, and the UP/DOWN change when there is one. */
export async function writeAlertState(db: Db, s: AlertStateRow, change: StateChange | null, now: Date): Promise<void> {
  await db.query(sql.type(none)`UPDATE workflow_states SET state = ${s.state}, since = ${iso(s.since)}::timestamptz,
    consecutive_failures = ${s.consecutiveFailures}, consecutive_passes = ${s.consecutivePasses},
    last_alert_at = ${iso(s.lastAlertAt)}::timestamptz, last_execution_at = ${iso(s.lastExecutionAt)}::timestamptz,
    workflow_name = ${s.name}, workflow_type = ${s.type}, priority = ${s.priority}, tags = ${sql.array(s.tags, 'text')},
    episode = ${s.episode}, down_since = ${iso(s.downSince)}::timestamptz, last_reminder_at = ${iso(s.lastReminderAt)}::timestamptz,
    alert_channels = ${sql.array(s.alertChannels, 'text')}, muted_alert = ${s.mutedAlert},
    flapping_since = ${iso(s.flappingSince)}::timestamptz, stable_since = ${iso(s.stableSince)}::timestamptz,
    flap_episode = ${s.flapEpisode}, flaky_since = ${iso(s.flakySince)}::timestamptz, flaky_episode = ${s.flakyEpisode},
    last_error = ${s.lastError}, last_run_id = ${s.lastRunId},
    failing_locations = ${sql.array(s.failingLocations, 'text')}, passing_locations = ${sql.array(s.passingLocations, 'text')},
    partial_since = ${iso(s.partialSince)}::timestamptz, partial_episode = ${s.partialEpisode}, updated_at = now()
    WHERE workflow_id = ${s.workflowId}`);
  if (change) {
    await db.query(sql.type(none)`INSERT INTO alert_state_changes (workflow_id, at, from_state, to_state)
      VALUES (${s.workflowId}, ${now.toISOString()}::timestamptz, ${change.from}, ${change.to})`);
  }
}

export type ObservationInsert = Omit<Observation, 'event'> & { workflowId: string; event: ObservedEvent };

/** The observation's sequence number, or null when this (run, test) was observed before (a replay). */
export async function insertObservation(db: Db, o: ObservationInsert): Promise<number | null> {
  return db.maybeOneFirst(sql.type(z.object({ seq: z.number() }))`INSERT INTO alert_observations
    (workflow_id, run_id, test_id, event, at, error, location) VALUES (${o.workflowId}, ${o.runId}, ${o.testId},
    ${o.event}, ${o.at.toISOString()}::timestamptz, ${storableText(o.error)}, ${o.location ?? DEFAULT_LOCATION}) ON CONFLICT (workflow_id, run_id, test_id) DO NOTHING RETURNING seq`);
}

/** Drops a workflow's observations up to `seq`: the history stays bounded. */
export async function pruneObservations(db: Db, workflowId: string, seq: number): Promise<void> {
  await db.query(sql.type(none)`DELETE FROM alert_observations WHERE workflow_id = ${workflowId} AND seq <= ${seq}`);
}

/** Passes (including flaky ones) observed in these runs: a storm with passes is not "target unreachable". */
export async function passesInRuns(db: Db, runIds: readonly string[]): Promise<number> {
  return db.oneFirst(sql.type(z.object({ n: z.number() }))`SELECT count(*)::integer AS n
    FROM alert_observations WHERE run_id = ANY(${sql.array([...runIds], 'text')}) AND event <> 'failed'`);
}

/** Newest first: the last `limit` observations, the last 100 state changes, and the throttled count since it last spoke. */
export async function readAlertHistory(db: Db, state: AlertStateRow, limit: number): Promise<AlertHistory> {
  const observations = await db.any(sql.type(
    observationRow,
  )`SELECT run_id AS "runId", test_id AS "testId", event, at, error, location
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
export type AlertEventRow = z.infer<typeof heldRow>;
const heldColumns = sql.fragment`id, workflow_id AS "workflowId", kind, dedupe_key AS key, run_id AS "runId",
  channels, payload, release_at AS "releaseAt"`;

/** Releases a workflow's held alerts now and returns them (a later alert must not overtake them). */
export async function releaseHeldOf(db: Db, workflowId: string, now: Date): Promise<readonly AlertEventRow[]> {
  return db.any(sql.type(
    heldRow,
  )`UPDATE alert_events SET status = 'released', released_at = ${now.toISOString()}::timestamptz
    WHERE workflow_id = ${workflowId} AND status = 'held' RETURNING ${heldColumns}`);
}

export type AlertEventInsert = {
  workflowId: string;
  kind: NotificationKind;
  key: string;
  runId: string | null;
  channels: readonly string[];
  payload: unknown;
  /** Held until then; null: released now. */
  releaseAt: Date | null;
};

/** Records a decided alert once: null when (workflow, kind, key) was recorded before. */
export async function insertAlertEvent(db: Db, a: AlertEventInsert, now: Date): Promise<number | null> {
  const held = a.releaseAt !== null;
  return db.maybeOneFirst(sql.type(
    z.object({ id: z.number() }),
  )`INSERT INTO alert_events (workflow_id, kind, dedupe_key,
    run_id, status, channels, payload, decided_at, release_at, released_at)
    VALUES (${a.workflowId}, ${a.kind}, ${a.key}, ${a.runId}, ${held ? 'held' : 'released'}, ${sql.array([...a.channels], 'text')},
      ${sql.jsonb(storableJson(a.payload) as SerializableValue)}, ${now.toISOString()}::timestamptz,
      ${iso(a.releaseAt)}::timestamptz, ${held ? null : now.toISOString()}::timestamptz)
    ON CONFLICT (workflow_id, kind, dedupe_key) DO NOTHING RETURNING id`);
}

/** Whether any held alert is due at `now` or belongs to `runId` (cheap, without locks). */
export async function anyHeldDue(db: Db, now: Date, runId: string | null): Promise<boolean> {
  return db.oneFirst(sql.type(z.object({ due: z.boolean() }))`SELECT EXISTS (SELECT 1 FROM alert_events
    WHERE status = 'held' AND (release_at <= ${now.toISOString()}::timestamptz OR run_id = ${runId})) AS due`);
}

/** Every held alert, oldest first, locked until the transaction ends. */
export async function lockHeldAlerts(db: Db): Promise<readonly AlertEventRow[]> {
  return db.any(
    sql.type(heldRow)`SELECT ${heldColumns} FROM alert_events WHERE status = 'held' ORDER BY id FOR UPDATE`,
  );
}

/** A held alert leaves: released on `channels`, or folded into another (null). */
export async function settleHeldAlert(
  db: Db,
  id: number,
  channels: readonly string[] | null,
  now: Date,
): Promise<void> {
  await db.query(sql.type(none)`UPDATE alert_events SET status = ${channels ? 'released' : 'folded'},
    channels = ${sql.array([...(channels ?? [])], 'text')}, released_at = ${now.toISOString()}::timestamptz WHERE id = ${id}`);
}

/** Prunes bookkeeping nobody reads any more: throttle slots (2 days), state changes (7), settled alerts (30). */
export async function pruneAlertBookkeeping(db: Db, now: Date): Promise<void> {
  await db.query(sql.type(
    none,
  )`WITH a AS (DELETE FROM alert_throttle_slots WHERE claimed_at < ${now.toISOString()}::timestamptz - interval '2 days'),
    b AS (DELETE FROM alert_state_changes WHERE at < ${now.toISOString()}::timestamptz - interval '7 days')
    DELETE FROM alert_events WHERE status <> 'held' AND decided_at < ${now.toISOString()}::timestamptz - interval '30 days'`);
}

/** Granted claims on `channel` in the last hour and the last day. */
export async function throttleCounts(db: Db, channel: string, now: Date): Promise<ThrottleCounts> {
  return db.one(sql.type(z.object({ lastHour: z.number(), lastDay: z.number() }))`SELECT
    count(*) FILTER (WHERE claimed_at > ${now.toISOString()}::timestamptz - interval '1 hour')::integer AS "lastHour",
    count(*)::integer AS "lastDay" FROM alert_throttle_slots
    WHERE channel = ${channel} AND granted AND claimed_at > ${now.toISOString()}::timestamptz - interval '1 day'`);
}

export type ThrottleSlotInsert = {
  channel: string;
  granted: boolean;
  kind: NotificationKind | null;
  workflowId: string | null;
};

export async function insertThrottleSlot(db: Db, s: ThrottleSlotInsert, now: Date): Promise<void> {
  await db.query(sql.type(none)`INSERT INTO alert_throttle_slots (channel, claimed_at, granted, kind, workflow_id)
    VALUES (${s.channel}, ${now.toISOString()}::timestamptz, ${s.granted}, ${s.kind}, ${s.workflowId})`);
}
