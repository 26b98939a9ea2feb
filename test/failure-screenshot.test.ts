// A failed attempt keeps its screenshot even when Playwright's own could not be taken: the monitor
// fixture takes one when none is attached (fixtures/teardown.ts, screenshotIfMissing). Here
// Playwright's is switched off for one spec (as an overloaded machine loses it: 5 s, error
// swallowed) and left on for another (one screenshot, not two); a pass gets none.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { startDemoApp } from '../demo-app/app.ts';
import { specDir } from './helpers/daemon-harness.ts';
import { allSpecs, removeRun, runPlaywright } from './helpers/playwright-run.ts';

const spec = (id: string, use: string, body: string) => `import { expect, test, workflow } from '../fixtures/index.ts';
${use}
test('${id}', workflow({ id: '${id}', priority: 'low', schedule: '*/5 * * * *' }), async ({ page }) => {
  await page.goto('/');
  ${body}
});
`;
const fail = "await expect(page.locator('#no-such-element')).toBeVisible({ timeout: 300 });";

test('a failure without Playwright screenshot gets one from the fixture; with one, it keeps one; a pass has none', async () => {
  const specs = await specDir({
    'lost.spec.ts': spec('shot-lost', "test.use({ screenshot: 'off' });", fail),
    'kept.spec.ts': spec('shot-kept', '', fail),
    'pass.spec.ts': spec(
      'shot-pass',
      "test.use({ screenshot: 'off' });",
      "await expect(page.locator('body')).toBeVisible();",
    ),
  });
  const demo = await startDemoApp({ port: 0, host: '127.0.0.1' });
  try {
    const run = await runPlaywright(['test', '--retries=0', '--workers=1'], {
      BASE_URL: demo.url,
      MONITOR_WORKFLOWS_DIR: specs.dir,
      CI: '',
    });
    assert.ok(run.report, run.stderr.slice(-2000));
    const shots = new Map(
      allSpecs(run.report).map((s) => {
        const result = s.tests[0]!.results.at(-1)!;
        return [s.title, { status: result.status, shots: result.attachments.filter((a) => a.name === 'screenshot') }];
      }),
    );
    assert.equal(shots.get('shot-lost')?.status, 'failed');
    assert.equal(shots.get('shot-lost')?.shots.length, 1, 'the fixture took the screenshot Playwright did not');
    assert.equal(shots.get('shot-kept')?.status, 'failed');
    assert.equal(shots.get('shot-kept')?.shots.length, 1, "Playwright's screenshot, and no second one");
    assert.equal(shots.get('shot-pass')?.status, 'passed');
    assert.equal(shots.get('shot-pass')?.shots.length, 0, 'a pass has no screenshot');
    const taken = shots.get('shot-lost')!.shots[0]!.path!;
    assert.ok(existsSync(taken), `the screenshot file ${taken} exists`);
    assert.deepEqual([...readFileSync(taken).subarray(1, 4)], [...Buffer.from('PNG')], 'a PNG');
    await removeRun(run);
  } finally {
    await demo.close();
    await specs.remove();
  }
});
