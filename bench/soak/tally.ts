// The soak bench's figures, from the database, the outbox, the sink and the daemon's own log.
import { sql } from 'slonik';
import { z } from 'zod';
import type { DatabasePool } from '../../db/pool.ts';
import type { RecordedRequest } from '../../test/sinks/http-sink.ts';
import { spooledExecutions } from '../../test/faults/ledger.ts';
import { slotLedger, type SlotLedger } from '../../test/faults/helpers/slot-ledger.ts';
import type { FaultWindow } from './faults.ts';

export type Started = { runId: string; at: Date; slot: Date };

/** "run <id> started (pid N, 1 workflow(s), lag L ms): ..." lines, with the slot each ran for. */
export function startedRuns(lines: readonly { at: Date; text: string }[], slotMs: number): Started[] {
  return lines.flatMap(({ at, text }) => {
    const m = /run (\S+) started \(pid \d+, \d+ workflow\(s\), lag (\d+) ms\)/.exec(text);
    if (!m) return [];
    const slot = new Date(Math.round((at.getTime() - Number(m[2])) / slotMs) * slotMs);
    return [{ runId: m[1]!, at, slot }];
  });
}

export type Figures = {
  slotsDue: number;
  slotsDuringFaults: Record<string, number>;
  executionsStored: number;
  spooled: number;
  runsStarted: number;
  lost: number;
  duplicatedSlots: number;
  slotsWithoutExecution: number;
  alertsExpected: number;
  alertsSent: number;
  alertsLoggedUnsent: number;
  logRows: number;
  /** Per (workflow, slot): one execution or one missed record (test/faults/helpers/slot-ledger.ts). */
  slots: SlotLedger;
  /** For reading the figures: each sent alert, each started run without a row, each outcome change. */
  details: string[];
};

export async function tally(input: {
  pool: DatabasePool;
  stateDir: string;
  workflowId: string;
  from: Date;
  to: Date;
  slotMs: number;
  started: Started[];
  faults: FaultWindow[];
  sink: readonly RecordedRequest[];
}): Promise<Figures> {
  const { pool, workflowId, slotMs } = input;
  const rows = await pool.any(sql.type(
    z.object({ runId: z.string(), status: z.string(), startedAt: z.date(), retry: z.number() }),
  )`
    SELECT run_id AS "runId", status, started_at AS "startedAt", retry FROM workflow_executions
    WHERE workflow_id = ${workflowId} AND started_at >= ${input.from.toISOString()}::timestamptz ORDER BY started_at`);
  const details: string[] = [];
  const byRun = new Map<string, number>();
  for (const r of rows) byRun.set(r.runId, (byRun.get(r.runId) ?? 0) + 1);
  const spooled = await spooledExecutions(input.stateDir);
  // Lost: the daemon started a run that has no row and no outbox line (the outbox holds at most `spooled`).
  const unstored = input.started.filter((s) => !byRun.has(s.runId));
  const lost = Math.max(0, unstored.length - spooled);
  const perSlot = new Map<number, number>();
  for (const s of input.started)
    if (byRun.has(s.runId)) perSlot.set(s.slot.getTime(), (perSlot.get(s.slot.getTime()) ?? 0) + 1);
  const duplicatedSlots = [...perSlot.values()].filter((n) => n > 1).length;

  const first = Math.ceil(input.from.getTime() / slotMs) * slotMs;
  const due: Date[] = [];
  for (let t = first; t < input.to.getTime(); t += slotMs) due.push(new Date(t));
  // Up to the last slot the daemon took up: a slot due in the last seconds may still wait behind a run at the stop.
  const lastTaken = await pool.oneFirst(sql.type(z.object({ at: z.date().nullable() }))`
    SELECT max(slot_at) AS at FROM scheduler_slot_runs WHERE workflow_id = ${workflowId}`);
  const slots = await slotLedger(
    pool,
    input.stateDir,
    workflowId,
    due.filter((d) => lastTaken !== null && d <= lastTaken),
  );
  for (const s of [...slots.lost, ...slots.duplicated, ...slots.strays, ...slots.outOfOrder])
    details.push(`slot ledger: ${s}`);
  let slotsDue = 0;
  let slotsWithoutExecution = 0;
  const slotsDuringFaults: Record<string, number> = {};
  for (let t = first; t < input.to.getTime(); t += slotMs) {
    slotsDue++;
    if (perSlot.has(t)) continue;
    slotsWithoutExecution++;
    const fault = input.faults.find((f) => t >= f.from.getTime() - slotMs && t <= f.to.getTime() + 3 * slotMs);
    const key = fault ? `during ${fault.kind}` : 'no fault';
    slotsDuringFaults[key] = (slotsDuringFaults[key] ?? 0) + 1;
  }

  // Expected alerts: each change of the final outcome (pass -> fail: a failure; fail -> pass: a recovery).
  let expected = 0;
  let last: string | null = 'passed';
  for (const r of rows) {
    const outcome = r.status === 'passed' ? 'passed' : 'failed';
    if (outcome !== last) {
      expected++;
      details.push(`outcome ${last} -> ${outcome} at ${r.startedAt.toISOString()} (${r.status}, ${r.runId})`);
    }
    last = outcome;
  }
  for (const s of unstored)
    details.push(`run ${s.runId} started ${s.at.toISOString()} (slot ${s.slot.toISOString()}): no row`);
  for (const r of input.sink.filter((x) => x.path === '/hook')) {
    let body: { kind?: string; title?: string } = {};
    try {
      body = r.json();
    } catch {
      /* not JSON */
    }
    details.push(`alert ${body.kind ?? '?'} at ${r.at.toISOString()}: ${(body.title ?? '').slice(0, 80)}`);
  }
  for (const f of input.faults) details.push(`fault ${f.kind} ${f.from.toISOString()} .. ${f.to.toISOString()}`);
  const hooks = input.sink
    .filter((r) => r.path === '/hook')
    .map((r) => {
      try {
        return r.json<{ kind?: string }>().kind ?? '?';
      } catch {
        return '?';
      }
    });
  const alertsSent = hooks.filter((k) => k === 'failure' || k === 'recovery').length;
  const logs = await pool.any(sql.type(z.object({ kind: z.string(), sent: z.boolean() }))`
    SELECT kind, sent FROM notification_logs WHERE created_at >= ${input.from.toISOString()}::timestamptz AND kind IN ('failure', 'recovery')`);
  return {
    slotsDue,
    slotsDuringFaults,
    executionsStored: rows.length,
    spooled,
    runsStarted: input.started.length,
    lost,
    duplicatedSlots,
    slotsWithoutExecution,
    alertsExpected: expected,
    alertsSent,
    alertsLoggedUnsent: logs.filter((l) => !l.sent).length,
    logRows: logs.length,
    slots,
    details: details.sort((a, b) => (a.match(/\d{4}-\S+Z/)?.[0] ?? '').localeCompare(b.match(/\d{4}-\S+Z/)?.[0] ?? '')),
  };
}

/**
 * Item 3's figure: after each daemon restart, from the new process's spawn (and from its ready
 * line) to the start of the run that re-ran the slot its killed predecessor left running.
 */
export function resumeTimings(
  lines: readonly { at: Date; text: string }[],
  restarts: readonly { spawnAt: Date; readyAt: Date }[],
): string[] {
  return restarts.flatMap((r, i) => {
    const until = restarts[i + 1]?.spawnAt.getTime() ?? Infinity;
    const mine = lines.filter((l) => l.at >= r.spawnAt && l.at.getTime() < until);
    const resume = mine.find((l) => /resuming \d+ slot\(s\) left running/.test(l.text));
    if (!resume) return [`restart ${r.spawnAt.toISOString()}: nothing to resume`];
    const rerun = mine.find((l) => l.at >= resume.at && /run \S+ started \(pid/.test(l.text));
    const judged = mine.find((l) => l.at >= resume.at && /already ran|MISSED, a later/.test(l.text));
    const s = (a: Date, b: Date) => `${((b.getTime() - a.getTime()) / 1000).toFixed(1)} s`;
    if (!rerun || (judged && judged.at < rerun.at))
      return [
        `restart ${r.spawnAt.toISOString()}: resumed slot judged without a re-run (${judged?.text.slice(0, 80) ?? '?'})`,
      ];
    return [
      `restart ${r.spawnAt.toISOString()}: re-run started ${s(r.spawnAt, rerun.at)} after spawn, ${s(r.readyAt, rerun.at)} after ready, ${s(resume.at, rerun.at)} after the resume line`,
    ];
  });
}
