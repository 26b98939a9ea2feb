// A test's own embedded PostgreSQL, and a way to hang it: SIGSTOP to the postmaster and every
// backend (no new connection is answered, no query runs), SIGCONT to let it go on.
import { chmod, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clusterPaths, ensureDatabaseUrl, stopEmbedded } from '../../../db/embedded/server.ts';
import { migrate } from '../../../db/migrate.ts';

export type OwnPostgres = { stateDir: string; url: string; stop(): Promise<void> };

/** An embedded PostgreSQL in a fresh state folder (the one MONITOR_STATE_DIR should name), migrated. */
export async function ownPostgres(): Promise<OwnPostgres> {
  const stateDir = await mkdtemp(join(tmpdir(), 'wm-fault-'));
  await chmod(stateDir, 0o755); // the server may run as the OS user postgres
  const url = await ensureDatabaseUrl({ stateDir, databaseUrl: null, ephemeral: true, log: () => undefined });
  await migrate(url);
  return {
    stateDir,
    url,
    async stop() {
      await stopEmbedded({ stateDir, log: () => undefined }).catch(() => false);
      await rm(stateDir, { recursive: true, force: true });
    },
  };
}

async function postmasterPid(stateDir: string): Promise<number> {
  const text = await readFile(join(clusterPaths(stateDir).dataDir, 'postmaster.pid'), 'utf8');
  return Number(text.split('\n')[0]);
}

async function childrenOf(pid: number): Promise<number[]> {
  const out: number[] = [];
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = await readFile(`/proc/${name}/stat`, 'utf8').catch(() => '');
    // pid (comm) state ppid ...: comm may hold spaces, so read after the last ')'.
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (ppid === pid) out.push(Number(name));
  }
  return out;
}

/** Stops the postmaster and its backends; the returned function resumes them (idempotent). */
export async function freezePostgres(stateDir: string): Promise<() => void> {
  const postmaster = await postmasterPid(stateDir);
  process.kill(postmaster, 'SIGSTOP'); // first, so no new backend appears behind our back
  const backends = await childrenOf(postmaster);
  for (const pid of backends) process.kill(pid, 'SIGSTOP');
  let thawed = false;
  return () => {
    if (thawed) return;
    thawed = true;
    for (const pid of backends) {
      try {
        process.kill(pid, 'SIGCONT');
      } catch {
        /* gone */
      }
    }
    process.kill(postmaster, 'SIGCONT');
  };
}
