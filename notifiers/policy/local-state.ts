// The policy's bounded local fallback, for when PostgreSQL cannot be reached: each workflow's
// last known state (cached whenever the database decided), the final outcomes seen while offline,
// and a ledger of the alerts sent while offline. One JSON file under MONITOR_STATE_DIR, read and
// written under a cross-process file lock, so parallel runs offline page once per failure, and
// the replay that follows (notifiers/replay-alerts.ts) does not send those alerts again.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseAlertState, parseObservation } from '../../db/alert-rows.ts';
import { type AlertStateRow, type Observation } from '../../core/alerts.ts';
import { withFileLock } from '../../db/file-lock.ts';

export type SentOffline = { workflowId: string; kind: string; key: string; runId: string | null; at: Date };
export type LocalWorkflow = { state: AlertStateRow; observations: Observation[]; stateChanges: Date[] };
export type LocalPolicyState = { workflows: Record<string, LocalWorkflow>; sent: SentOffline[] };

/** Bounds: the file stays small whatever the outage's length. */
export const localLimits = { observations: 50, stateChanges: 50, sent: 500, workflows: 2000 } as const;

export const localStateDir = (stateDir: string): string => join(stateDir, 'alert-fallback');
const fileOf = (stateDir: string) => join(localStateDir(stateDir), 'policy-state.json');

const isoDate = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
const revive = (_key: string, value: unknown) =>
  typeof value === 'string' && isoDate.test(value) ? new Date(value) : value;

/** A file written before migration 1780000000900 names the flaky state `degraded`. */
const renamedState = (state: unknown): unknown =>
  typeof state === 'object' && state !== null && (state as { state?: unknown }).state === 'degraded'
    ? { ...state, state: 'flaky' }
    : state;

function parse(text: string): LocalPolicyState {
  const raw = JSON.parse(text, revive) as Partial<LocalPolicyState>;
  const workflows: Record<string, LocalWorkflow> = {};
  for (const [id, w] of Object.entries(raw.workflows ?? {})) {
    try {
      workflows[id] = {
        state: parseAlertState(renamedState(w.state)),
        observations: (w.observations ?? []).map(parseObservation),
        stateChanges: (w.stateChanges ?? []).filter((d): d is Date => d instanceof Date),
      };
    } catch {
      // One unreadable workflow entry is dropped; the rest still count.
    }
  }
  const sent = (raw.sent ?? []).filter((s) => typeof s?.workflowId === 'string' && typeof s.kind === 'string');
  return { workflows, sent };
}

async function load(stateDir: string): Promise<LocalPolicyState> {
  const text = await readFile(fileOf(stateDir), 'utf8').catch(() => null);
  if (text === null) return { workflows: {}, sent: [] };
  try {
    return parse(text);
  } catch {
    return { workflows: {}, sent: [] }; // a file cut short by a crash: start over rather than stop alerting
  }
}

function bound(s: LocalPolicyState): LocalPolicyState {
  for (const w of Object.values(s.workflows)) {
    w.observations = w.observations.slice(0, localLimits.observations);
    w.stateChanges = w.stateChanges.slice(0, localLimits.stateChanges);
  }
  const ids = Object.keys(s.workflows);
  if (ids.length > localLimits.workflows) {
    const keep = ids
      .sort((a, b) => s.workflows[b]!.state.since.getTime() - s.workflows[a]!.state.since.getTime())
      .slice(0, localLimits.workflows);
    s.workflows = Object.fromEntries(keep.map((id) => [id, s.workflows[id]!]));
  }
  s.sent = s.sent.slice(-localLimits.sent);
  return s;
}

/** Reads, lets `fn` change, and writes back the local state, under the lock (atomic rename). */
export async function withLocalPolicyState<T>(
  stateDir: string,
  fn: (state: LocalPolicyState) => T | Promise<T>,
): Promise<T> {
  const dir = localStateDir(stateDir);
  await mkdir(dir, { recursive: true });
  return withFileLock(
    join(dir, 'policy-state.lock'),
    { timeoutMs: 10_000, staleMs: 60_000, purpose: 'the local alert state' },
    async () => {
      const state = await load(stateDir);
      const result = await fn(state);
      const tmp = `${fileOf(stateDir)}.${process.pid}.tmp`;
      await writeFile(tmp, JSON.stringify(bound(state)));
      await rename(tmp, fileOf(stateDir));
      return result;
    },
  );
}

/** The database decided: its state becomes the fallback's starting point, offline history is reset. */
export function rememberDecidedState(local: LocalPolicyState, row: AlertStateRow): void {
  local.workflows[row.workflowId] = { state: row, observations: [], stateChanges: [] };
}

/**
 * Takes the first alert sent offline that matches (workflow and kind) off the ledger: true
 * when the replay must not send it again.
 */
export function consumeSentOffline(local: LocalPolicyState, workflowId: string, kind: string): boolean {
  const i = local.sent.findIndex((s) => s.workflowId === workflowId && s.kind === kind);
  if (i < 0) return false;
  local.sent.splice(i, 1);
  return true;
}
