// The six workflows in a real Chromium against the demo app: all pass when it is healthy,
// and faults together break their journeys at the right step with a readable error, a trace
// and a screenshot, while the journeys they do not touch still pass. Each fault alone, with the
// same checks on Playwright's report and the trace viewer serving a trace, is a row of
// test/failure-causes-e2e.test.ts, whose real runs also check what is stored and alerted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { withDemo } from './helpers/demo.ts';
import { freePort } from './helpers/net.ts';
import { allSpecs, attachmentJson, removeRun, runPlaywright, type RunOutcome } from './helpers/playwright-run.ts';
import { allWorkflows, assertBroken, assertPassed, lastResult } from './helpers/workflow-results.ts';

type Metrics = {
  navigations: { ttfbMs: number; loadMs: number }[];
  apiCalls: unknown[];
  pageLoadMs: number | null;
  apiResponseTimeMs: number | null;
};

const noRetries = ['test', '--retries=0'];

/** Playwright with `args` against the demo app with `faults` on; `check` reads the run, whose files are removed after. */
async function withDemoRun(faults: string, args: string[], check: (run: RunOutcome) => void | Promise<void>) {
  await withDemo(faults, async (demo) => {
    const run = await runPlaywright(args, { BASE_URL: demo.url });
    try {
      await check(run);
    } finally {
      await removeRun(run);
    }
  });
}

test('all six workflows pass against the healthy demo app, with metrics', async () => {
  await withDemoRun('', noRetries, async (run) => {
    assert.equal(allSpecs(run.report!).length, 6);
    assertPassed(run, allWorkflows);
    assert.equal(run.code, 0, run.stderr);
    for (const title of ['User Login', 'Product Listing', 'Order Placement']) {
      const metrics = await attachmentJson<Metrics>(lastResult(run.report!, title), 'workflow-metrics');
      assert.ok(metrics, `${title} attaches its metrics`);
      assert.ok(
        metrics.navigations.length > 0 && metrics.navigations.every((n) => n.ttfbMs > 0 && n.loadMs > 0),
        `${title}: non-zero navigation timings`,
      );
      assert.ok((metrics.pageLoadMs ?? 0) > 0);
      assert.ok(
        metrics.apiCalls.length > 0 && (metrics.apiResponseTimeMs ?? 0) > 0,
        `${title}: at least one API response time`,
      );
    }
    const health = await attachmentJson<{ payload: { status: string }; httpStatus: number }>(
      lastResult(run.report!, 'Health Check'),
      'health-payload',
    );
    assert.equal(health?.payload.status, 'healthy');
  });
});

test('health-down, registration-invalid and slow-products break exactly their journeys', async () => {
  await withDemoRun('health-down,registration-invalid,slow-products:12000', noRetries, (run) => {
    assert.equal(run.code, 1);
    assertBroken(
      run,
      'Health Check',
      'Platform reports healthy',
      /platform is unhealthy \(HTTP 503\): database unhealthy/,
    );
    assertBroken(
      run,
      'User Registration',
      'Create account',
      /registration was not accepted: still on \/signup.*the page says/,
    );
    assertBroken(
      run,
      'Product Listing',
      'Open product listing',
      /the product listing loading did not happen within 10 s/,
    );
    assertPassed(run, ['User Login', 'Farm Creation', 'Order Placement']);
  });
});

test('flaky:2 fails a journey once: the attempt fails with evidence, the retry in a new visit passes (flaky)', async () => {
  await withDemoRun(
    'flaky:2',
    ['test', '--retries=2', '--workers=1', '--grep', '@product-listing|@user-login'],
    (run) => {
      assert.equal(run.code, 0, 'flaky is not failed');
      for (const spec of allSpecs(run.report!)) {
        const t = spec.tests[0]!;
        assert.equal(t.status, 'flaky', spec.title);
        assert.deepEqual(
          t.results.map((r) => r.status),
          ['failed', 'passed'],
          spec.title,
        );
        const failed = t.results[0]!;
        assert.match(failed.error?.message ?? '', /500|Something went wrong/, spec.title);
        assert.ok(
          failed.attachments.some((a) => a.name === 'trace' && a.path && existsSync(a.path)),
          `${spec.title}: trace of the failed attempt`,
        );
      }
    },
  );
});

test('an unreachable BASE_URL fails fast with one actionable line', async () => {
  const port = await freePort(); // nothing listens there any more
  const run = await runPlaywright(['test', '--retries=0', '--grep', '@user-login'], {
    BASE_URL: `http://127.0.0.1:${port}`,
  });
  try {
    assert.equal(run.code, 1);
    const message = lastResult(run.report!, 'User Login').error?.message ?? '';
    assert.match(
      message.split('\n')[0]!,
      new RegExp(
        `^TargetUnreachableError: target unreachable: http://127\\.0\\.0\\.1:${port} \\(ECONNREFUSED\\)\\. Is the platform up, and is BASE_URL right\\?$`,
      ),
    );
  } finally {
    await removeRun(run);
  }
});
