// SIGTERM to npm's own process (what a container runtime, a CI runner or a supervisor sends to
// `npm start`): npm does not pass it on, so the daemon must notice that whoever started it is
// gone and stop cleanly: the run in flight ends as interrupted, the port closes, nothing is left.
import assert from 'node:assert/strict';
import { chmodSync, existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { scratchCopy, processesMatching, type Scratch } from './helpers/scratch.ts';
import {
  alive,
  eventually,
  freePort,
  portOpen,
  processTree,
  runs,
  stopScratchDb,
  withScratchDb,
} from './helpers/procs.ts';

let s: Scratch;
// The embedded PostgreSQL may run as the OS user postgres (as root), which must enter the copy.
before(async () => {
  s = await scratchCopy();
  chmodSync(s.dir, 0o755);
});
after(async () => {
  await s.cleanup();
});

for (const script of [['start'], ['run', 'monitor:daemon']]) {
  test(`SIGTERM to the npm process of \`npm ${script.join(' ')}\` leaves no process of ours, the run in flight interrupted`, async (t) => {
    // The test's own look at the database (a previous test's) started it: the daemon starts its own.
    await stopScratchDb(s);
    const daemon = s.start('npm', script, {
      env: { MONITOR_HTTP_PORT: '0', DEMO_PORT: String(await freePort()), MONITOR_RUN_ON_START: 'true' },
    });
    const port = Number((await daemon.waitFor(/http on http:\/\/127\.0\.0\.1:(\d+)/, 180_000))[1]);
    const runId = (await daemon.waitFor(/run (\S+) started \(pid/, 180_000))[1]!;
    // In flight: the reporter has written the run row and a browser is on its way.
    assert.ok(
      await eventually(
        () =>
          withScratchDb(s, async (pool) => (await runs(pool)).some((r) => r.id === runId && r.status === 'running')),
        120_000,
      ),
      `run ${runId} never showed as running:\n${daemon.output()}`,
    );
    const ours = processTree(daemon.child.pid!).map((p) => p.pid);
    assert.ok(await portOpen(port), 'the daemon serves before the signal');

    const signalledAt = Date.now();
    process.kill(daemon.child.pid!, 'SIGTERM'); // npm's pid only, not its group
    const gone = await eventually(() => alive(ours).length === 0 && processesMatching(s.dir).length === 0, 60_000);
    assert.ok(
      gone,
      `left after 60 s:\n${[...alive(ours).map((p) => `${p.pid} ${p.args}`), ...processesMatching(s.dir)].join('\n')}\n--- output:\n${daemon.output()}`,
    );
    t.diagnostic(`all gone ${Date.now() - signalledAt} ms after the SIGTERM`);
    assert.equal(await portOpen(port), false, `port ${port} still open`);

    await withScratchDb(s, async (pool) => {
      const row = (await runs(pool)).find((r) => r.id === runId);
      assert.equal(row?.status, 'interrupted', `run ${runId}: ${JSON.stringify(row)}\n${daemon.output()}`);
      assert.ok(row.endedAt, 'the interrupted run has its end time');
      const left = (await runs(pool)).filter((r) => r.status === 'running');
      assert.deepEqual(left, [], `no run left running\n${daemon.output()}`);
    });
    // Nothing lost: nothing waits in the outbox for a later replay.
    const outbox = path.join(s.stateDir, 'outbox');
    assert.deepEqual(existsSync(outbox) ? readdirSync(outbox) : [], [], 'outbox empty');
    assert.match(daemon.output(), /is gone: stopping[\s\S]*stopped the embedded PostgreSQL it had started/);
  });
}
