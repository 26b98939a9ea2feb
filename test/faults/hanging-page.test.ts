// Issue 14 item 7: a page that never loads must not hold the attempt past the test timeout by
// more than a small bound. Before the fix, the monitor fixture's teardown (metrics sampling on
// the hung page) ran into Playwright's separate teardown allowance: attempts of 1.5x the timeout.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { allSpecs, removeRun, runPlaywright } from '../helpers/playwright-run.ts';
import { startHangingTarget } from './hanging-target.ts';

// Playwright's own failure screenshot has a fixed 5 s bound of its own, before any fixture
// teardown runs: with 40 s, 1.35x (54 s) leaves room for it, ours and a loaded machine; before
// the fix attempts took 2x (80 s), and the issue saw 1.5x.
const timeoutMs = 40_000;
const limit = 1.35;

test('a hanging page: the attempt ends well within 1.5x the test timeout, teardown included', async (t) => {
  const target = await startHangingTarget();
  const stateDir = await mkdtemp(join(tmpdir(), 'wm-fault-hang-'));
  try {
    const run = await runPlaywright(
      ['test', '--retries=0', '--grep', '@user-login(?![-\\w])'],
      {
        BASE_URL: target.url,
        MONITOR_STATE_DIR: stateDir,
        CI: '',
        MONITOR_TEST_TIMEOUT_MS: String(timeoutMs),
        // Navigation may wait as long as the test: the test timeout is what must hold.
        MONITOR_NAVIGATION_TIMEOUT_MS: String(timeoutMs * 3),
        MONITOR_ACTION_TIMEOUT_MS: String(timeoutMs * 3),
      },
      { timeoutMs: 180_000 },
    );
    await removeRun(run);
    assert.ok(run.report, `no JSON report; stderr: ${run.stderr.slice(-2000)}`);
    const results = allSpecs(run.report).flatMap((s) => s.tests.flatMap((t) => t.results));
    assert.equal(results.length, 1, 'one attempt');
    const [result] = results;
    assert.ok(target.hung() > 0, 'the page request reached the target and hung');
    assert.equal(result!.status, 'timedOut');
    t.diagnostic(`attempt ${result!.duration} ms against a ${timeoutMs} ms test timeout`);
    assert.ok(
      result!.duration < timeoutMs * limit,
      `attempt took ${result!.duration} ms against a ${timeoutMs} ms timeout; errors: ${result!.errors
        .map((e) => e.message)
        .join(' | ')
        .slice(0, 800)}`,
    );
    assert.doesNotMatch(JSON.stringify(result!.errors), /Tearing down .* exceeded/);
  } finally {
    await target.close();
    await rm(stateDir, { recursive: true, force: true });
  }
});
