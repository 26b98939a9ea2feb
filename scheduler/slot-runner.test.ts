// The slot handler with a real Playwright invocation (no recording, no database): a daemon that
// begins to stop while a chunk waits for MONITOR_CONCURRENCY starts nothing more. Seen in a
// clean-clone CI: `npm run monitor:daemon`, SIGTERM to npm, and a run started after the stop
// began was left `running` in the database once the embedded PostgreSQL had stopped.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Job } from 'pg-boss';
import type { AlertSender } from './alerts.ts';
import { createLimit } from './capacity.ts';
import type { RunningInvocation } from './invoke.ts';
import { createMetrics } from './metrics.ts';
import { createSlotHandler, type SlotData } from './slot-runner.ts';
import { tempDir } from '../test/helpers/daemon-harness.ts';

test('a daemon that begins to stop starts no waiting chunk: it goes back to pg-boss, nothing else runs', async (t) => {
  const state = await tempDir('wm-slot-stop-');
  t.after(() => state.remove());
  let stopping = false;
  const running = new Map<number, RunningInvocation>();
  const lines: string[] = [];
  const alerts: string[] = [];
  const sender = { sendOnce: async (key: string) => (alerts.push(key), true) } as unknown as AlertSender;
  const handler = createSlotHandler({
    env: { ...process.env, MONITOR_REPORTER: 'off', BASE_URL: 'http://127.0.0.1:9' },
    stateDir: state.dir,
    runTimeoutMs: 120_000,
    killGraceMs: 10_000,
    retryLimit: 0,
    pool: () => null,
    isScheduled: () => true,
    metrics: createMetrics(),
    alerts: sender,
    running,
    log: (line) => lines.push(line),
    isStopping: () => stopping,
    // Two invocations for the one minute, one at a time: the second waits for the first.
    split: (slots) => ({ chunks: slots.map((s) => [s]), fits: true, workMs: 0 }),
    limit: createLimit(1),
    // The stop begins as the first run starts, and interrupts it (what `interrupt` does).
    onInvocation: () => {
      stopping = true;
      for (const r of running.values()) r.stop('daemon stopping');
    },
  });
  const slot = '2026-12-03T10:00:00.000Z';
  const jobs = ['health-check', 'user-login'].map(
    (workflowId, i) => ({ id: `job-${i}`, retryCount: 0, data: { workflowId, slot } }) as Job<SlotData>,
  );
  await assert.rejects(handler(jobs), 'the slots go back to pg-boss (the handler fails)');
  const runs = lines.filter((l) => / started \(pid/.test(l));
  assert.equal(runs.length, 1, `one run started:\n${lines.join('\n')}`);
  assert.match(runs[0]!, /health-check/);
  assert.ok(
    lines.some((l) => /user-login@2026-12-03T10:00:00\.000Z: not started, the daemon is stopping/.test(l)),
    lines.join('\n'),
  );
  assert.equal(running.size, 0, 'nothing left running');
  assert.deepEqual(alerts, [], 'a run the stop interrupted is no pipeline alert');
});
