import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { exactFileFilter } from '../../scheduler/discover.ts';
import { repoRoot } from '../../scheduler/playwright-cli.ts';
import { keepMonitorReporter } from './playwright-run.ts';

const monitor = path.join(repoRoot, 'reporters', 'monitor-reporter.ts');

test('a --reporter passed on gets the monitor reporter added, in either spelling, once', () => {
  assert.deepEqual(keepMonitorReporter(['--grep', 'x']), ['--grep', 'x']);
  assert.deepEqual(keepMonitorReporter(['--reporter=dot', '--workers=1']), [
    `--reporter=dot,${monitor}`,
    '--workers=1',
  ]);
  assert.deepEqual(keepMonitorReporter(['--reporter', 'line,json']), [`--reporter=line,json,${monitor}`]);
  assert.deepEqual(keepMonitorReporter(['--reporter=dot,./reporters/monitor-reporter.ts']), [
    '--reporter=dot,./reporters/monitor-reporter.ts',
  ]);
  assert.deepEqual(keepMonitorReporter(['--reporter=dot'], { MONITOR_REPORTER: 'off' }), ['--reporter=dot']);
});

test('a file filter matches exactly its file (Playwright filters are regular expressions)', () => {
  const filter = exactFileFilter('workflows/user-login.spec.ts');
  const re = new RegExp(filter.slice(1, -1));
  assert.ok(re.test(path.join(repoRoot, 'workflows/user-login.spec.ts')));
  assert.ok(!re.test(path.join(repoRoot, 'workflows/admin-user-login.spec.ts')));
  assert.ok(!re.test(path.join(repoRoot, 'workflows/user-loginXspec.ts')));
});
