// Shared set-up of the policy's transaction tests (notifiers/policy/transaction*.test.ts,
// throttle-claim.test.ts): a fake clock in whole minutes, the runbook's routes, attempts of one
// workflow, and a fresh Node process with the policy and the db primitives at hand.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { executionRecord } from './db.ts';
import {
  defaultPolicy as everyChannel,
  exampleRoutes,
  mergePolicy,
  type Policy,
} from '../../notifiers/policy/rules.ts';
import type { ExecutionRecord } from '../../core/records.ts';

export const MIN = 60_000;
export const t0 = new Date(Math.floor(Date.now() / MIN) * MIN - 10 * MIN);
export const at = (minutes: number) => new Date(t0.getTime() + minutes * MIN);
// The runbook's routes (critical to Slack and PagerDuty ...), which these assertions name; by
// default every configured channel gets every alert.
export const defaultPolicy: Policy = { ...everyChannel, routes: exampleRoutes };
export const noHold = mergePolicy(defaultPolicy, { storm: { holdSeconds: 0 } });

export function attempt(
  minutes: number,
  status: 'passed' | 'failed',
  o: Partial<ExecutionRecord> = {},
): ExecutionRecord {
  const failed = status === 'failed';
  return executionRecord({
    runId: `run-${minutes}`,
    startedAt: new Date(at(minutes).getTime() - 2000),
    durationMs: 1500,
    status,
    outcome: failed ? 'unexpected' : 'expected',
    error: failed ? 'Error: Login button not found' : null,
    failedStep: failed ? 'Sign in' : null,
    ...o,
  });
}

export const kinds = (alerts: Array<{ alert: { kind: string } }>) => alerts.map((a) => a.alert.kind);

/** Runs `body` in a fresh Node process with `pool` (on URL), the policy's transactions (as `db`) and the policy at hand, all starting at START_AT. */
export function inChildProcess(body: string, env: Record<string, string>): Promise<string> {
  const mod = (path: string) => JSON.stringify(new URL(path, import.meta.url).href);
  const code = `
    const { createDbPool } = await import(${mod('../../db/pool.ts')});
    const db = await import(${mod('../../notifiers/policy/transaction.ts')});
    const { throttleRule } = await import(${mod('../../notifiers/policy/throttle.ts')});
    const { createPolicyEngine } = await import(${mod('../../notifiers/policy/engine.ts')});
    const { defaultPolicy } = await import(${mod('../../notifiers/policy/rules.ts')});
    const pool = await createDbPool(process.env.URL);
    await new Promise((r) => setTimeout(r, Math.max(0, Number(process.env.START_AT) - Date.now())));
    const out = await (async () => { ${body} })();
    await pool.end();
    process.stdout.write(JSON.stringify(out));`;
  return promisify(execFile)(process.execPath, ['--input-type=module', '-e', code], {
    env: { ...process.env, ...env },
    timeout: 60_000,
  }).then((r) => r.stdout);
}
