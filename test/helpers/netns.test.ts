// The namespace helper proves its isolation with real processes: a process in namespace A reaches
// a server on the host's target address; after A's route to it is cut it cannot, while A still
// reaches the host on its own link (a database there stays reachable) and B still reaches the
// target; restored, A reaches it again; closed, nothing is left. Without root the helper throws.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { createNamespaces, forwardTcp, type Namespace, type Namespaces } from './netns.ts';

async function serve(host: string): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((_req, res) => res.end('hello from the host'));
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://${host}:${port}/`, close: () => new Promise((r) => server.close(() => r())) };
}

/** What a Node process inside `ns` gets from `url`: the body, or the error's code. */
async function fetchFrom(set: Namespaces, ns: Namespace, url: string): Promise<string> {
  const code = `fetch(${JSON.stringify(url)}, { signal: AbortSignal.timeout(5000) })
    .then((r) => r.text()).then((t) => console.log(t))
    .catch((e) => console.log('ERROR ' + (e.cause?.code ?? e.name)))`;
  const { stdout } = await set.exec(ns, process.execPath, ['-e', code]);
  return stdout.trim();
}

test('a cut namespace loses the target only; the other keeps it; restore and close undo everything', async (t) => {
  const set = await createNamespaces(2);
  t.after(() => set.close());
  const [a, b] = set.namespaces as [Namespace, Namespace];
  const target = await serve(set.targetAddress);
  t.after(() => target.close());
  const db = await serve(a.hostAddress); // stands for PostgreSQL on the host, on A's link
  t.after(() => db.close());
  const loopback = await serve('127.0.0.1');
  t.after(() => loopback.close());

  assert.equal(await fetchFrom(set, a, target.url), 'hello from the host');
  assert.equal(await fetchFrom(set, b, target.url), 'hello from the host');
  // A namespace is its own network: the host's loopback is not its loopback; a forwarder brings it.
  assert.equal(await fetchFrom(set, a, loopback.url), 'ERROR ECONNREFUSED');
  const forward = await forwardTcp('0.0.0.0', { host: '127.0.0.1', port: Number(new URL(loopback.url).port) });
  t.after(() => forward.close());
  assert.equal(await fetchFrom(set, b, `http://${b.hostAddress}:${forward.port}/`), 'hello from the host');

  await set.cut(a);
  assert.equal(await fetchFrom(set, a, target.url), 'ERROR EHOSTUNREACH');
  assert.equal(await fetchFrom(set, a, db.url), 'hello from the host', 'A keeps its other routes');
  assert.equal(await fetchFrom(set, b, target.url), 'hello from the host', 'B is not cut');

  await set.restore(a);
  assert.equal(await fetchFrom(set, a, target.url), 'hello from the host');

  await set.cut(b, { address: a.hostAddress });
  assert.equal(await fetchFrom(set, b, db.url), 'ERROR EHOSTUNREACH', 'any address can be cut');
  assert.equal(await fetchFrom(set, b, target.url), 'hello from the host');
  assert.equal(await fetchFrom(set, a, db.url), 'hello from the host');

  await set.close();
  const left = execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' });
  for (const ns of set.namespaces) assert.ok(!left.includes(ns.name), `${ns.name} removed`);
  assert.ok(!execFileSync('ip', ['-o', 'addr'], { encoding: 'utf8' }).includes(`${set.targetAddress}/32`));
  assert.ok(!execFileSync('ip', ['-o', 'link'], { encoding: 'utf8' }).includes(`wv${process.pid}-`));
});

test('a process that dies without closing leaves nothing once the next set is made', async (t) => {
  const helper = JSON.stringify(new URL('./netns.ts', import.meta.url).href);
  const code = `const { createNamespaces } = await import(${helper});
    const set = await createNamespaces(1);
    console.log(set.namespaces[0].name);
    process.kill(process.pid, 'SIGKILL');`;
  const child = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', code]).catch(
    (e: { stdout: string }) => e,
  );
  const name = child.stdout.trim();
  assert.match(name, /^wmt\d+-0$/);
  assert.ok(execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' }).includes(name), 'killed: no exit handler ran');
  const next = await createNamespaces(1);
  t.after(() => next.close());
  assert.ok(!execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' }).includes(name), 'swept by the next run');
});

test('without root, making namespaces fails with the reason (a test needing them fails, never skips)', async () => {
  const helper = JSON.stringify(new URL('./netns.ts', import.meta.url).href);
  const code = `const { createNamespaces } = await import(${helper});
    await createNamespaces(1).then(() => console.log('made'), (e) => console.log(e.name + ': ' + e.message));`;
  const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', code], {
    uid: 65534,
    gid: 65534,
  });
  assert.match(stdout, /^NamespacesUnavailable: network namespaces need root .*fails without them/);
});
