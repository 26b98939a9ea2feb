// Network namespaces for tests that need processes seeing different networks on one machine
// (issue 16's locations): N namespaces, each with a veth pair to the host and a default route
// through it, so a process inside reaches the host's addresses (a server bound to the host end,
// or to an extra "target" address on the host's loopback) and nothing else. One namespace's route
// to the target can be cut and restored, without touching the others or that namespace's route to
// anything else (its database, say). The cut is an `unreachable` route:
// a connection fails at once with EHOSTUNREACH, as when a runner's network loses the target's.
// (A `blackhole` route fails local sockets with EINVAL, and a silent drop needs a firewall that
// this machine need not have, so neither is offered.)
//
// Names and subnets are unique per test run: `wmt<pid>-<i>` / `wv<pid>-<i>h|n`, in 10.213.<k>.0/24
// where <k> is reserved by an exclusive lock file holding the pid (a dead pid's reservation, its
// namespaces and its addresses are swept the next time). At most 8 namespaces per run. `close()`
// removes everything; it also runs on process exit, so a failing test leaves nothing behind.
// Where namespaces cannot be made (not root, no `ip`), `createNamespaces` throws: a test that needs
// them fails, it never skips.
import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const lockDir = '/run/workflow-monitor-netns';
const maxNamespaces = 8;

export type Namespace = {
  name: string;
  /** The host's address on this namespace's link: a host server bound to it (or 0.0.0.0) is reached here. */
  hostAddress: string;
  /** The namespace's own address. */
  address: string;
  /** `ip netns exec <name>`: prefix a command with it to run it inside. */
  prefix: readonly string[];
};

export type Namespaces = {
  namespaces: Namespace[];
  /** An extra host address (on loopback), reachable from every namespace until cut: bind the target here. */
  targetAddress: string;
  /** Runs `command` inside namespace `ns`; resolves with its output, rejects on a non-zero exit. */
  exec(
    ns: Namespace,
    command: string,
    args: readonly string[],
    timeoutMs?: number,
  ): Promise<{ stdout: string; stderr: string }>;
  /** `ns` can no longer reach `address` (default: the target); every other route stays. */
  cut(ns: Namespace, options?: { address?: string }): Promise<void>;
  /** Undoes `cut`. */
  restore(ns: Namespace, options?: { address?: string }): Promise<void>;
  close(): Promise<void>;
};

export class NamespacesUnavailable extends Error {
  override name = 'NamespacesUnavailable';
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

function ipSync(args: string[]): void {
  try {
    execFileSync('ip', args, { stdio: 'ignore' });
  } catch {
    /* already gone */
  }
}

/** Everything a run of `pid` with subnet `k` made: its namespaces (and so their veth pairs) and its target address. */
function removeAll(pid: number, k: number): void {
  let names: string[] = [];
  try {
    names = execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' })
      .split('\n')
      .map((l) => l.split(' ')[0]!)
      .filter((n) => n.startsWith(`wmt${pid}-`));
  } catch {
    /* no namespaces */
  }
  for (const n of names) ipSync(['netns', 'del', n]);
  // A pair whose inside end never reached its namespace (a failed set-up) is still on the host.
  let links: string[] = [];
  try {
    links = [...execFileSync('ip', ['-o', 'link'], { encoding: 'utf8' }).matchAll(/^\d+: ([^:@]+)/gm)].map(
      (m) => m[1]!,
    );
  } catch {
    /* none */
  }
  for (const l of links.filter((l) => l.startsWith(`wv${pid}-`))) ipSync(['link', 'del', l]);
  ipSync(['addr', 'del', `10.213.${k}.254/32`, 'dev', 'lo']);
  rmSync(path.join(lockDir, String(k)), { force: true });
}

/** Reserves a free 10.213.<k>.0/24 for this process, sweeping reservations of dead processes. */
function reserveSubnet(): number {
  mkdirSync(lockDir, { recursive: true });
  for (const f of readdirSync(lockDir)) {
    const pid = Number(readFileSync(path.join(lockDir, f), 'utf8').trim());
    if (!alive(pid)) removeAll(pid, Number(f));
  }
  for (let k = 0; k < 250; k++) {
    try {
      writeFileSync(path.join(lockDir, String(k)), String(process.pid), { flag: 'wx' });
      return k;
    } catch {
      /* taken */
    }
  }
  throw new NamespacesUnavailable('no free 10.213.<k>.0/24 subnet left for network namespaces');
}

async function ip(args: readonly string[]): Promise<void> {
  try {
    await run('ip', args, { timeout: 10_000 });
  } catch (error) {
    const e = error as { stderr?: string; message: string };
    throw new Error(`ip ${args.join(' ')}: ${(e.stderr ?? e.message).trim()}`, { cause: error });
  }
}

/** Why namespaces cannot be made here, or null. */
export async function namespacesProblem(): Promise<string | null> {
  if (process.getuid?.() !== 0) return 'network namespaces need root (this test runs as a non-root user)';
  try {
    await run('ip', ['netns', 'list'], { timeout: 5000 });
  } catch (error) {
    return `network namespaces cannot be listed (\`ip netns list\`: ${(error as Error).message.trim()}); install iproute2`;
  }
  return null;
}

/** `count` namespaces (1..8), each linked to the host; throws NamespacesUnavailable where that cannot be done. */
export async function createNamespaces(count: number): Promise<Namespaces> {
  if (!Number.isInteger(count) || count < 1 || count > maxNamespaces)
    throw new RangeError(`between 1 and ${maxNamespaces} namespaces, not ${count}`);
  const problem = await namespacesProblem();
  if (problem) throw new NamespacesUnavailable(`${problem}: this test needs them and fails without them`);
  const k = reserveSubnet();
  const pid = process.pid;
  const cleanup = () => removeAll(pid, k);
  process.once('exit', cleanup);
  const targetAddress = `10.213.${k}.254`;
  const namespaces: Namespace[] = [];
  try {
    await ip(['addr', 'add', `${targetAddress}/32`, 'dev', 'lo']);
    for (let i = 0; i < count; i++) {
      const name = `wmt${pid}-${i}`;
      const [host, inside] = [`wv${pid}-${i}h`, `wv${pid}-${i}n`];
      const hostAddress = `10.213.${k}.${4 * i + 1}`;
      const address = `10.213.${k}.${4 * i + 2}`;
      await ip(['netns', 'add', name]);
      await ip(['link', 'add', host, 'type', 'veth', 'peer', 'name', inside]);
      await ip(['link', 'set', inside, 'netns', name]);
      await ip(['addr', 'add', `${hostAddress}/30`, 'dev', host]);
      await ip(['link', 'set', host, 'up']);
      const inNs = (args: string[]) => ip(['netns', 'exec', name, 'ip', ...args]);
      await inNs(['addr', 'add', `${address}/30`, 'dev', inside]);
      await inNs(['link', 'set', inside, 'up']);
      await inNs(['link', 'set', 'lo', 'up']);
      await inNs(['route', 'add', 'default', 'via', hostAddress]);
      namespaces.push({ name, hostAddress, address, prefix: ['ip', 'netns', 'exec', name] });
    }
  } catch (error) {
    cleanup();
    process.removeListener('exit', cleanup);
    throw new NamespacesUnavailable(`network namespaces could not be made: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const routeTo = (o: { address?: string } = {}) => `${o.address ?? targetAddress}/32`;
  return {
    namespaces,
    targetAddress,
    async exec(ns, command, args, timeoutMs = 30_000) {
      return run('ip', ['netns', 'exec', ns.name, command, ...args], { timeout: timeoutMs });
    },
    async cut(ns, o = {}) {
      await ip(['netns', 'exec', ns.name, 'ip', 'route', 'add', 'unreachable', routeTo(o)]);
    },
    async restore(ns, o = {}) {
      await ip(['netns', 'exec', ns.name, 'ip', 'route', 'del', routeTo(o)]);
    },
    async close() {
      cleanup();
      process.removeListener('exit', cleanup);
    },
  };
}

export type Forward = { host: string; port: number; close(): Promise<void> };

/**
 * A TCP forwarder on the host: `listenHost` (a namespace's `hostAddress`, or 0.0.0.0 for all of
 * them) on a free port, to `to` (say PostgreSQL or a sink on 127.0.0.1, which no namespace sees).
 */
export async function forwardTcp(listenHost: string, to: { host: string; port: number }): Promise<Forward> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((inbound) => {
    const outbound = net.connect(to);
    for (const s of [inbound, outbound]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => {
        inbound.destroy();
        outbound.destroy();
      });
    }
    inbound.pipe(outbound).pipe(inbound);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, listenHost, () => resolve());
  });
  const { port } = server.address() as net.AddressInfo;
  return {
    host: listenHost,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
