// Every fault switch of the demo app, one demo app each, the whole suite in one real run with the
// monitor reporter and a Slack sink: the workflows the fault should break fail at the right
// step with the right cause, stored with the execution; the Slack alert's first line names the
// request, page or element; every other workflow passes. A new fault or face is one more row.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'slonik';
import { startDemoApp } from '../demo-app/app.ts';
import { evidenceRow } from '../db/tables/execution-evidence.ts';
import { executionRow } from '../db/tables/execution-queries.ts';
import { freshDatabase } from './helpers/db.ts';
import { readFailureView } from './helpers/failure-view.ts';
import { allSpecs, removeRun, runPlaywright } from './helpers/playwright-run.ts';
import { startHttpSink } from './sinks/http-sink.ts';

type Broken = {
  workflow: string;
  title: string;
  step: string;
  cause: string;
  firstLine: RegExp;
  /** What the dashboard's failure view of this attempt shows: its cause line and evidence table. */
  view?: { cause: RegExp; evidence: RegExp[] };
};
type Row = {
  faults: string;
  broken: Broken[];
  /** Demo app options beyond the faults (e.g. a face). */
  options?: Record<string, unknown>;
  /** Run only the broken workflows (another row already shows the others pass under this fault). */
  onlyBroken?: boolean;
};

const signInButton = /^Cause: button .*Sign In.* not found/;
const table: Row[] = [
  {
    faults: 'health-down',
    broken: [
      {
        workflow: 'health-check',
        title: 'Health Check',
        step: 'Platform reports healthy',
        cause: 'unhealthy',
        firstLine:
          /^Cause: the health check reports unhealthy: database unhealthy \(Database connection failed: Connection refused\) during 'Platform reports healthy'$/,
      },
    ],
  },
  {
    faults: 'login-broken',
    broken: [
      {
        workflow: 'user-login',
        title: 'User Login',
        step: 'Sign in',
        cause: 'element-missing',
        firstLine: signInButton,
      },
      {
        workflow: 'farm-creation',
        title: 'Farm Creation',
        step: 'Sign in as farmer',
        cause: 'element-missing',
        firstLine: signInButton,
      },
      {
        workflow: 'order-placement',
        title: 'Order Placement',
        step: 'Sign in as customer',
        cause: 'element-missing',
        firstLine: signInButton,
      },
      {
        workflow: 'user-registration',
        title: 'User Registration',
        step: 'Sign in with the new account',
        cause: 'element-missing',
        firstLine: signInButton,
      },
    ],
  },
  // 12 s is beyond the listing's 10 s budget but within the navigation timeout the others use.
  {
    faults: 'slow-products:12000',
    broken: [
      {
        workflow: 'product-listing',
        title: 'Product Listing',
        step: 'Open product listing',
        cause: 'timeout',
        firstLine: /^Cause: GET \/products did not load within 10 s .* during 'Open product listing'$/,
      },
    ],
  },
  {
    faults: 'registration-invalid',
    broken: [
      {
        workflow: 'user-registration',
        title: 'User Registration',
        step: 'Create account',
        cause: 'http-error',
        firstLine: /^Cause: POST \/signup answered 422 during 'Create account'$/,
      },
    ],
  },
  {
    faults: 'checkout-error',
    broken: [
      {
        workflow: 'order-placement',
        title: 'Order Placement',
        step: 'Review and place order',
        cause: 'http-error',
        firstLine: /^Cause: POST \/api\/orders answered 500 during 'Review and place order'$/,
        view: {
          cause: /HTTP-ERROR POST \/api\/orders answered 500 during 'Review and place order'/,
          evidence: [
            /Review and place order\s+HTTP status\s+POST \/api\/orders answered 500/,
            /Proceed to checkout\s+navigation\s+\/cart answered 200/,
          ],
        },
      },
    ],
  },
  // The page renders, then its client script throws: the journey fails where it opens the cart,
  // and the exception is in the alert, the stored row and the failure view.
  {
    faults: 'client-crash:/cart',
    broken: [
      {
        workflow: 'order-placement',
        title: 'Order Placement',
        step: 'Proceed to checkout',
        cause: 'page-crash',
        firstLine:
          /^Cause: page crashed at \/cart: TypeError: Cannot read properties of undefined \(reading 'items'\) during 'Proceed to checkout'$/,
        view: {
          cause:
            /PAGE-CRASH page crashed at \/cart: TypeError: Cannot read properties of undefined \(reading 'items'\)/,
          evidence: [
            /Proceed to checkout\s+page error\s+TypeError: Cannot read properties of undefined \(reading 'items'\) at \/cart/,
          ],
        },
      },
    ],
  },
];

/**
 * The alternate face (DEMO_VARIANT=alternate: decorated names, other roles and wrappers, toasts):
 * the same faults break the same journeys at the same steps for the same causes. Only the broken
 * workflows run there; the standard face's rows show the others pass, and
 * test/workflows-faces-e2e.test.ts that all six pass on both faces.
 */
table.push(
  ...table.map((row): Row => ({
    ...row,
    options: { variant: 'alternate' },
    onlyBroken: true,
    broken: row.broken.map(({ view: _view, ...b }) => b),
  })),
);

const all = ['Health Check', 'User Login', 'User Registration', 'Farm Creation', 'Product Listing', 'Order Placement'];
const exactTag = (id: string) => `@${id}(?![-\\w])`;

/** Every alert to Slack alone, at once, one per workflow (no storm digest), on the first failure. */
const policy = JSON.stringify({
  rules: { down: { consecutiveFailures: 1 } },
  storm: { holdSeconds: 0, minWorkflows: 100 },
  routes: { critical: ['slack'], high: ['slack'], medium: ['slack'], low: ['slack'] },
});

type SlackBody = { text: string; blocks: { type: string; text?: { text: string } }[] };
const execution = executionRow
  .pick({ id: true, startedAt: true, workflowId: true, status: true, failedStep: true })
  .extend(evidenceRow.shape);

// Two rows at a time: each has its own demo app, database and sink, and its run takes one of
// test/run.ts's heavy slots like any other.
describe('fault switches', { concurrency: 2 }, () => {
  for (const row of table) {
    test(`fault ${row.faults}${row.options ? ` ${JSON.stringify(row.options)}` : ''}: ${row.broken.map((b) => b.workflow).join(', ')} fail with their cause${row.onlyBroken ? '' : ', the rest pass'}`, async () => {
      const [db, slack, stateDir] = await Promise.all([
        freshDatabase(),
        startHttpSink(),
        mkdtemp(join(tmpdir(), 'wm-causes-')),
      ]);
      await chmod(stateDir, 0o755);
      const demo = await startDemoApp({ port: 0, host: '127.0.0.1', faults: row.faults, ...row.options });
      try {
        const grep = row.onlyBroken ? ['--grep', row.broken.map((b) => exactTag(b.workflow)).join('|')] : [];
        const run = await runPlaywright(
          ['test', '--retries=0', '--workers=2', ...grep],
          {
            BASE_URL: demo.url,
            DATABASE_URL: db.url,
            MONITOR_STATE_DIR: stateDir,
            CI: '',
            ALERT_POLICY: policy,
            SLACK_WEBHOOK_URL: slack.urlFor('/services/T0/B0/causes'),
            NOTIFY_BACKOFF_BASE_MS: '50',
            // The workflows that must pass do so within the default 60 s on a quiet machine, but
            // Order Placement took longer at load 35 (the suite's first minutes on 2 CPUs). The
            // broken ones fail on their own 10 s waits, whatever this bound.
            MONITOR_TEST_TIMEOUT_MS: '120000',
          },
          { monitor: true, timeoutMs: 300_000 },
        );
        await removeRun(run);
        assert.ok(run.report, run.stderr.slice(-2000));
        const results = new Map(allSpecs(run.report).map((s) => [s.title, s.tests[0]!.results.at(-1)!]));
        const brokenTitles = row.broken.map((b) => b.title);
        for (const title of row.onlyBroken ? [] : all.filter((t) => !brokenTitles.includes(t))) {
          assert.equal(
            results.get(title)?.status,
            'passed',
            `${title} should pass under ${row.faults}: ${results.get(title)?.error?.message?.slice(0, 400)}`,
          );
        }
        const rows = await db.pool.any(sql.type(execution)`
        SELECT id, started_at AS "startedAt", workflow_id AS "workflowId", status, failed_step AS "failedStep", cause,
          cause_line AS "causeLine", evidence FROM workflow_executions`);
        assert.equal(rows.length, row.onlyBroken ? row.broken.length : 6, 'every attempt is stored');
        for (const ok of rows.filter((r) => r.status === 'passed'))
          assert.equal(ok.cause, null, `${ok.workflowId} passed: no cause`);

        await slack.waitForRequests(row.broken.length, 30_000);
        const alerts = slack.requests.map((r) => r.json<SlackBody>()).filter((b) => /Workflow Failed/.test(b.text));
        assert.equal(
          alerts.length,
          row.broken.length,
          `one failure alert per broken workflow: ${alerts.map((a) => a.text).join(' | ')}`,
        );
        for (const b of row.broken) {
          const stored = rows.find((r) => r.workflowId === b.workflow);
          assert.ok(stored, `${b.workflow} stored`);
          assert.notEqual(stored.status, 'passed', `${b.title} should fail under ${row.faults}`);
          assert.equal(stored.failedStep, b.step, `${b.title} fails at "${b.step}"`);
          assert.equal(stored.cause, b.cause, `${b.title}: cause (line: ${stored.causeLine})`);
          assert.match(`Cause: ${stored.causeLine}`, b.firstLine, `${b.title}: the stored line`);
          assert.ok(Array.isArray(stored.evidence), `${b.title}: the evidence is stored with the failure`);
          const alert = alerts.find((a) => a.text.includes(`Workflow Failed: ${b.title}`));
          assert.ok(alert, `a Slack alert for ${b.title}`);
          const firstSection = alert.blocks.find((block) => block.type === 'section')?.text?.text ?? '';
          assert.match(
            firstSection.split('\n')[0]!.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&'),
            b.firstLine,
            `${b.title}: the alert opens with the cause`,
          );
          assert.match(alert.text, /Cause: /, `${b.title}: the notification text carries the cause`);
          if (b.view) {
            const view = await readFailureView(db.pool, join(stateDir, 'artifacts'), {
              id: stored.id,
              at: stored.startedAt,
            });
            assert.match(view.cause, b.view.cause, `${b.title}: the failure view's cause`);
            for (const line of b.view.evidence)
              assert.match(view.evidence, line, `${b.title}: the failure view lists the evidence`);
          }
        }
      } finally {
        await Promise.all([demo.close(), slack.close()]);
        await db.drop();
        await rm(stateDir, { recursive: true, force: true });
      }
    });
  }
});
