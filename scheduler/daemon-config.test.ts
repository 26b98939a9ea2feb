// Bad configuration: every problem (environment and suite) listed at once, exit code 2,
// nothing started (no HTTP server, no database, no run).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { specDir, startDaemonProcess, tempDir, trivialSpec } from '../test/helpers/daemon-harness.ts';

test(
  'bad configuration lists every problem at once and exits 2 before starting anything',
  { timeout: 90_000 },
  async (t) => {
    const specs = await specDir({
      'alpha.spec.ts': trivialSpec({ id: 'alpha' }),
      'odd.spec.ts': trivialSpec({ id: 'odd', priority: 'urgent' }),
    });
    const state = await tempDir('wm-sched-state-');
    const daemon = await startDaemonProcess(
      {
        MONITOR_WORKFLOWS_DIR: specs.dir,
        MONITOR_STATE_DIR: state.dir,
        DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none',
        MONITOR_SCHEDULE_ALPHA: '99 * * * *',
        BASE_URL: 'not a url',
        MONITORING_INTERVAL_MINUTES: '-5',
        MONITOR_HTTP_PORT: '9',
        MONITOR_HTTP_HOST: '0.0.0.0',
      },
      { waitReady: false },
    );
    t.after(async () => {
      await daemon.destroy();
      await specs.remove();
      await state.remove();
    });
    assert.equal(await daemon.exited, 2, daemon.lines.join('\n'));
    const problems = daemon.lines.filter((l) => l.startsWith('scheduler: configuration error: '));
    assert.ok(
      problems.some((l) => /MONITOR_SCHEDULE_ALPHA: "99 \* \* \* \*" is not a valid cron expression/.test(l)),
      problems.join('\n'),
    );
    assert.ok(
      problems.some((l) => /BASE_URL: must be an http\(s\) URL/.test(l)),
      problems.join('\n'),
    );
    assert.ok(
      problems.some((l) => /MONITORING_INTERVAL_MINUTES: must be at least 1/.test(l)),
      problems.join('\n'),
    );
    assert.ok(
      problems.some((l) => /unknown priority "urgent"/.test(l)),
      problems.join('\n'),
    );
    assert.ok(
      problems.some((l) =>
        /DASHBOARD_TOKEN: required when MONITOR_HTTP_HOST \(0\.0\.0\.0\) is not a loopback address/.test(l),
      ),
      problems.join('\n'),
    );
    assert.equal(problems.length, 5, problems.join('\n'));
    assert.ok(!daemon.lines.some((l) => /http on|run \S+ started/.test(l)));
  },
);
