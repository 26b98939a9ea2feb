// The runner's slot server: at most N holders; with `admit`, a free slot beyond the first waits
// until admit says yes, or until it has been held back for maxWaitMs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createConnection, type Socket } from 'node:net';
import { startSlotServer } from './heavy-slots.ts';
import { startLoadGate } from './load-gate.ts';

/** Asks for a slot; `granted` resolves when it is. */
function ask(address: string): { socket: Socket; granted: Promise<number> } {
  const [host, port] = address.split(':');
  const socket = createConnection({ host: host!, port: Number(port) });
  const t0 = performance.now();
  const granted = new Promise<number>((resolve, reject) => {
    socket.once('error', reject);
    socket.once('data', () => resolve(performance.now() - t0));
  });
  return { socket, granted };
}

test('at most N holders; a closed holder frees its slot', async () => {
  const server = await startSlotServer(1);
  const first = ask(server.address);
  await first.granted;
  const second = ask(server.address);
  let got = false;
  void second.granted.then(() => (got = true));
  await new Promise((r) => setTimeout(r, 200));
  assert.equal(got, false, 'the second waits while the first holds');
  first.socket.destroy();
  await second.granted;
  second.socket.destroy();
  assert.equal(server.stats().granted, 2);
  await server.close();
});

test('admit holds a free slot back (the first is always granted), and gives in after maxWaitMs', async () => {
  let open = false;
  const server = await startSlotServer(3, { admit: () => open, maxWaitMs: 1_500 });
  const first = ask(server.address);
  await first.granted;
  const second = ask(server.address);
  let got = false;
  void second.granted.then(() => (got = true));
  await new Promise((r) => setTimeout(r, 400));
  assert.equal(got, false, 'held back while admit says no');
  open = true;
  assert.ok((await second.granted) < 1_500, 'granted once admit says yes');
  open = false;
  const third = ask(server.address);
  const waited = await third.granted;
  assert.ok(waited >= 1_400, `granted after being held back for maxWaitMs: ${Math.round(waited)} ms`);
  for (const s of [first, second, third]) s.socket.destroy();
  await server.close();
});

test('the load gate spaces admissions and reads the runnable tasks', () => {
  const gate = startLoadGate({ perCpu: 1_000, spacingMs: 60_000 });
  try {
    assert.equal(gate.admit(), true, 'a quiet enough machine');
    assert.equal(gate.admit(), false, 'not twice within the spacing');
    assert.ok(gate.perCpuNow() >= 0);
  } finally {
    gate.stop();
  }
  const closed = startLoadGate({ perCpu: -1, spacingMs: 0 });
  try {
    assert.equal(closed.admit(), false, 'over the limit (any load is over -1 per CPU)');
    assert.equal(closed.summary().refused, 1, 'the refusal is counted');
    assert.ok(closed.summary().peakPerCpu >= closed.summary().meanPerCpu);
  } finally {
    closed.stop();
  }
});

test('admit hears whether the holder granted last still holds its slot', async () => {
  const heard: boolean[] = [];
  const server = await startSlotServer(3, { admit: (previousHeld) => (heard.push(previousHeld), true) });
  const first = ask(server.address);
  await first.granted;
  const second = ask(server.address);
  await second.granted;
  second.socket.destroy();
  await new Promise((r) => setTimeout(r, 100));
  const third = ask(server.address);
  await third.granted;
  assert.deepEqual(heard, [true, false], 'the first is granted unasked; then held, then ended');
  for (const s of [first, third]) s.socket.destroy();
  await server.close();
});

test('the load gate skips the spacing when the file started last has ended', () => {
  const gate = startLoadGate({ perCpu: 1_000, spacingMs: 60_000 });
  try {
    assert.equal(gate.admit(), true);
    assert.equal(gate.admit(true), false, 'within the spacing while it runs');
    assert.equal(gate.admit(false), true, 'at once once it has ended');
  } finally {
    gate.stop();
  }
});
