// The status page's settings as a user types them (issue 17 item 1): a bad STATUS_PAGE_GROUPS or
// STATUS_PAGE_LOGO_URL stops `npm run monitor:daemon` before anything starts, exit 2, one
// configuration error line per variable, naming it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scratchCopy } from './helpers/scratch.ts';

test('npm run monitor:daemon with bad STATUS_PAGE_* values: one line each, exit 2', { timeout: 240_000 }, async (t) => {
  const s = await scratchCopy();
  t.after(() => s.cleanup());
  const r = await s.run('npm', ['run', 'monitor:daemon'], {
    env: {
      BASE_URL: 'http://127.0.0.1:9',
      MONITOR_HTTP_PORT: '0',
      STATUS_PAGE_GROUPS: 'Shopping=order-placement;Shopping=user-login',
      STATUS_PAGE_LOGO_URL: 'javascript:alert(1)',
    },
  });
  assert.equal(r.code, 2, r.output);
  const lines = r.output.split('\n').filter((l) => /configuration error/.test(l));
  assert.deepEqual(
    lines.map((l) => /configuration error: (\w+):/.exec(l)?.[1]).sort(),
    ['STATUS_PAGE_GROUPS', 'STATUS_PAGE_LOGO_URL'],
    r.output,
  );
  assert.match(r.output, /STATUS_PAGE_GROUPS: group "Shopping" is named twice/);
});
