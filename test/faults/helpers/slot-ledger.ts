// Per (workflow, slot): the executions that slot's run left (stored, or waiting in the outbox)
// and whether the slot was recorded missed. "0 lost, 0 duplicated, none out of order" is: every
// due slot has exactly one execution or one missed record, every execution belongs to a slot,
// and executions start in slot order.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sql } from 'slonik';
import { z } from 'zod';
import { outboxDir } from '../../../db/outbox.ts';
import type { DatabasePool } from '../../../db/pool.ts';

export type SlotLedger = {
  slots: number;
  executed: number;
  missed: number;
  /** Slots with neither an execution nor a missed record. */
  lost: string[];
  /** Slots with more than one execution, or an execution and a missed record. */
  duplicated: string[];
  /** Executions of a run that holds no slot (a slot run twice under another run id). */
  strays: string[];
  /** Executions that started before an execution of an earlier slot. */
  outOfOrder: string[];
  missedReasons: string[];
};

type Execution = { runId: string; startedAt: Date };

async function spooled(stateDir: string, workflowId: string): Promise<Execution[]> {
  const out: Execution[] = [];
  for (const name of await readdir(outboxDir(stateDir)).catch(() => [] as string[])) {
    if (!/\.jsonl($|\.replaying-)/.test(name)) continue;
    for (const line of (await readFile(join(outboxDir(stateDir), name), 'utf8').catch(() => '')).split('\n')) {
      if (!line.includes('"kind":"execution"')) continue;
      const e = JSON.parse(line) as {
        record: { runId: string; workflowId: string; startedAt: string; status: string };
      };
      if (e.record.workflowId === workflowId && e.record.status !== 'interrupted')
        out.push({ runId: e.record.runId, startedAt: new Date(e.record.startedAt) });
    }
  }
  return out;
}

/** `expected`: the slots that fell due (the schedule's occurrences over the window looked at). */
export async function slotLedger(
  pool: DatabasePool,
  stateDir: string,
  workflowId: string,
  expected: readonly Date[],
): Promise<SlotLedger> {
  const rows = await pool.any(
    sql.type(
      z.object({ slot: z.date(), status: z.string(), runId: z.string().nullable(), reason: z.string().nullable() }),
    )`SELECT slot_at AS slot, status, run_id AS "runId", to_jsonb(r)->>'reason' AS reason
    FROM scheduler_slot_runs r WHERE workflow_id = ${workflowId}`,
  );
  const stored = await pool.any(sql.type(z.object({ runId: z.string(), startedAt: z.date() }))`
    SELECT run_id AS "runId", started_at AS "startedAt" FROM workflow_executions
    WHERE workflow_id = ${workflowId} AND status <> 'interrupted'`);
  const executions = [...stored, ...(await spooled(stateDir, workflowId))];
  const slotOfRun = new Map(rows.filter((r) => r.runId && r.status !== 'missed').map((r) => [r.runId!, r.slot]));
  const bySlot = new Map(rows.map((r) => [r.slot.getTime(), r]));
  const ledger: SlotLedger = {
    slots: expected.length,
    executed: 0,
    missed: 0,
    lost: [],
    duplicated: [],
    strays: [],
    outOfOrder: [],
    missedReasons: [],
  };
  const perSlot = new Map<number, number>();
  for (const e of executions) {
    const slot = slotOfRun.get(e.runId);
    if (!slot) ledger.strays.push(`${e.runId} at ${e.startedAt.toISOString()}`);
    else perSlot.set(slot.getTime(), (perSlot.get(slot.getTime()) ?? 0) + 1);
  }
  for (const at of expected) {
    const row = bySlot.get(at.getTime());
    const n = perSlot.get(at.getTime()) ?? 0;
    const missed = row?.status === 'missed';
    const name = at.toISOString();
    if (n + (missed ? 1 : 0) === 0) ledger.lost.push(name);
    else if (n + (missed ? 1 : 0) > 1)
      ledger.duplicated.push(`${name} (${n} execution(s)${missed ? ' + missed' : ''})`);
    if (n) ledger.executed++;
    if (missed) {
      ledger.missed++;
      ledger.missedReasons.push(`${name}: ${row.reason ?? '(no reason)'}`);
    }
  }
  let latestSlot = -Infinity;
  for (const e of [...executions].sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime())) {
    const slot = slotOfRun.get(e.runId)?.getTime();
    if (slot === undefined) continue;
    if (slot < latestSlot) ledger.outOfOrder.push(`${new Date(slot).toISOString()} ran after a later slot`);
    latestSlot = Math.max(latestSlot, slot);
  }
  return ledger;
}
