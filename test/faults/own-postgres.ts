// A PostgreSQL of the fault test's own (never the shared server, nor test/helpers/db.ts's one,
// which TEST_DATABASE_URL may point at a shared server): started, stopped, hung and resumed at will.
import { chmodSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clusterPaths, ensureDatabaseUrl, postmasterState, stopEmbedded } from '../../db/embedded/server.ts';
import { migrate } from '../../db/migrate.ts';
import { createDbPool, type DatabasePool } from '../../db/pool.ts';

export type OwnPostgres = {
  url: string;
  /** A pool for the test's own counting; reconnects by itself after a restart. */
  pool: DatabasePool;
  stop(): Promise<void>;
  start(): Promise<void>;
  /** SIGSTOP / SIGCONT the postmaster: connections hang instead of being refused. */
  hang(): Promise<void>;
  resume(): Promise<void>;
  destroy(): Promise<void>;
};

const quiet = () => undefined;

export async function startOwnPostgres(): Promise<OwnPostgres> {
  const dir = await mkdtemp(join(tmpdir(), 'wm-fault-pg-'));
  chmodSync(dir, 0o755);
  const url = await ensureDatabaseUrl({
    stateDir: dir,
    databaseUrl: null,
    ephemeral: true,
    log: quiet,
    database: 'faults',
  });
  await migrate(url);
  const pool = await createDbPool(url);
  const pid = async () => {
    const s = await postmasterState(clusterPaths(dir));
    if (s.kind !== 'alive') throw new Error(`the test's PostgreSQL is not running (${s.kind})`);
    return s.pid;
  };
  const self: OwnPostgres = {
    url,
    pool,
    async stop() {
      await stopEmbedded({ stateDir: dir, log: quiet, timeoutMs: 30_000 });
    },
    async start() {
      const again = await ensureDatabaseUrl({ stateDir: dir, databaseUrl: null, log: quiet, database: 'faults' });
      if (again !== url) throw new Error(`the test's PostgreSQL came back on another address (${new URL(again).port})`);
    },
    async hang() {
      process.kill(await pid(), 'SIGSTOP');
    },
    async resume() {
      process.kill(await pid(), 'SIGCONT');
    },
    async destroy() {
      await pool.end().catch(quiet);
      await self.resume().catch(quiet);
      await self.stop().catch(quiet);
      await rm(dir, { recursive: true, force: true });
    },
  };
  return self;
}
