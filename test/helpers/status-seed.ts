// A database for the status page's tests: ten days of Product Listing (one failed day) rolled up
// into the aggregates, and User Login DOWN through the real alert policy with private details
// (an account, a token, a trace path, a host, a selector) in its error.
import { rollupAggregates } from '../../db/tables/aggregates.ts';
import { insertExecutions } from '../../db/tables/executions.ts';
import { createAlerting, type Alerting } from '../../notifiers/policy/alerting.ts';
import { executionRecord, type FreshDatabase } from './db.ts';

const DAY = 86_400_000;
export const statusSecrets = [
  'wm-buyer-s3cr3t@synthetic-monitor.example.com',
  'xoxb-hook-token-771',
  '/var/lib/monitor/artifacts/run-9/trace.zip',
  "locator('#checkout-button')",
  'Timeout 30000ms exceeded waiting',
  'db-internal-7.prod.example.net',
];
export const secretError = `TimeoutError: ${statusSecrets[3]}: ${statusSecrets[4]} for ${statusSecrets[0]} at http://${statusSecrets[5]}/x token=${statusSecrets[1]} trace ${statusSecrets[2]}`;

export const statusWorkflows = [
  { id: 'user-login', title: 'User <img src=x onerror=alert(1)> Login', priority: 'critical', tags: ['@critical'] },
  { id: 'product-listing', title: 'Product Listing', priority: 'high', tags: [] },
];

export function statusEnv(now: Date): NodeJS.ProcessEnv {
  return {
    ...process.env,
    STATUS_PAGE_PUBLIC: 'true',
    STATUS_PAGE_TITLE: 'Acme <script>window.pwned=1</script> status',
    STATUS_PAGE_GROUPS: 'Shop <b>ping</b>=product-listing;Accounts=user-login',
    MAINTENANCE_WINDOWS: JSON.stringify([
      {
        name: 'Database upgrade',
        workflows: ['product-listing'],
        start: new Date(now.getTime() - 60_000).toISOString(),
        end: new Date(now.getTime() + 3_600_000).toISOString(),
      },
    ]),
  };
}

/** Seeds the database; the returned alerting drives later attempts (close it at the end). */
export async function seedStatus(db: FreshDatabase, env: NodeJS.ProcessEnv, now: Date): Promise<Alerting> {
  const today = Math.floor(now.getTime() / DAY) * DAY;
  const past = Array.from({ length: 10 }, (_, i) =>
    executionRecord({
      runId: `p${i}`,
      testId: 'pl',
      workflowId: 'product-listing',
      name: 'Product Listing',
      priority: 'high',
      startedAt: new Date(today - (i + 1) * DAY + 3_600_000),
      status: i === 2 ? 'failed' : 'passed',
      outcome: i === 2 ? 'unexpected' : 'expected',
      error: i === 2 ? secretError : null,
    }),
  );
  await insertExecutions(db.pool, past);
  await rollupAggregates(db.pool, { from: new Date(today - 11 * DAY), to: new Date(today) });
  const setup = createAlerting(db.pool, env, () => undefined);
  if (!setup.ok) throw new Error(setup.problems.join('\n'));
  // Four failures within today (UTC), a minute apart, or closer just after midnight: "today" on
  // the page is the UTC day, and 40 minutes back would be yesterday before 00:40.
  const step = Math.min(60_000, Math.floor((now.getTime() - today) / 5));
  const start = now.getTime() - 5 * step;
  for (let i = 0; i < 4; i++) {
    const e = executionRecord({
      runId: `f${i}`,
      startedAt: new Date(start + i * step),
      status: 'failed',
      outcome: 'unexpected',
      error: secretError,
    });
    await insertExecutions(db.pool, [e]);
    await setup.alerting.onAttempt(e, { willRetry: false });
    await setup.alerting.onRunEnd(e.runId);
  }
  return setup.alerting;
}
