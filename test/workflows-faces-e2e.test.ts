// The six workflows in a real Chromium against both faces of the demo app (DEMO_VARIANT): the
// alternate face shows every variation TARGET.md allows at once, and the workflows must neither
// raise a false alarm on it nor miss a fault on it. Here: all six healthy on it, and two faults
// at once. Each fault alone on the alternate face (login-broken, checkout-error and
// client-crash:/cart with the other workflows passing; client-crash on both faces) is a row of
// test/failure-causes-e2e.test.ts, with the same checks on Playwright's report.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withDemo } from './helpers/demo.ts';
import { allSpecs, removeRun, runPlaywright } from './helpers/playwright-run.ts';
import type { RunOutcome } from './helpers/playwright-run.ts';
import { allWorkflows, assertBroken, assertOthersPassed, assertPassed } from './helpers/workflow-results.ts';
import type { Variant } from '../demo-app/variant.ts';

async function suite(
  faults: string,
  variant: Variant,
  check: (run: RunOutcome) => void | Promise<void>,
): Promise<void> {
  await withDemo(
    faults,
    async (demo) => {
      const run = await runPlaywright(['test', '--retries=0'], { BASE_URL: demo.url });
      try {
        assert.ok(run.report, `a JSON report: ${run.stderr}`);
        await check(run);
      } finally {
        await removeRun(run);
      }
    },
    { variant },
  );
}

test('all six workflows pass on the alternate face (decorated names, a cart button, other wrappers and order)', async () => {
  await suite('', 'alternate', (run) => {
    assert.equal(allSpecs(run.report!).length, 6);
    assertPassed(run, allWorkflows);
    assert.equal(run.code, 0, run.stderr);
  });
});

// Each row: faults on a face, the workflows they must break (title, step, message); every other passes.
const table: { face: Variant; faults: string; broken: [string, string, RegExp][] }[] = [
  {
    face: 'alternate',
    faults: 'health-down,registration-invalid',
    broken: [
      ['Health Check', 'Platform reports healthy', /platform is unhealthy \(HTTP 503\): database unhealthy/],
      [
        'User Registration',
        'Create account',
        /registration was not accepted: still on \/signup.*the page says "Please check the form: email is invalid/,
      ],
    ],
  },
];

for (const row of table) {
  test(`${row.faults} on the ${row.face} face breaks ${row.broken.map(([t, s]) => `${t} at "${s}"`).join(', ')}; the others pass`, async () => {
    await suite(row.faults, row.face, (run) => {
      assert.equal(run.code, 1);
      for (const [title, step, message] of row.broken) assertBroken(run, title, step, message);
      assertOthersPassed(
        run,
        row.broken.map(([t]) => t),
      );
    });
  });
}
