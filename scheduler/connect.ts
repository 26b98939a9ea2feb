// The daemon's database: openDatabase (db/open.ts), retried for a minute while the server is
// still starting (a deploy of both, a restart), at once given up on a login or database name
// that is wrong. Whether this daemon started the embedded server decides who stops it.
import { DatabaseUnavailableError } from '../config/database-url.ts';
import { embeddedRunning, openDatabase } from '../db/open.ts';
import type { DatabasePool } from '../db/pool.ts';
import type { SchedulerConfig } from './config.ts';
import type { Log } from './log.ts';

export async function connectDatabase(
  c: SchedulerConfig,
  log: Log,
): Promise<{ url: string; pool: DatabasePool; startedEmbedded: boolean }> {
  // A database still starting (a deploy of both, a restart) gets a minute before we give up.
  const deadline = Date.now() + 60_000;
  // The embedded server this daemon starts is its own to stop (a run's or a CLI's stays up).
  const embeddedWasUp = await embeddedRunning(c);
  for (let attempt = 1; ; attempt++) {
    try {
      const { url, pool } = await openDatabase(c, { log });
      return { url, pool, startedEmbedded: !c.databaseUrl && !embeddedWasUp };
    } catch (error) {
      // A wrong login or database name stays wrong: say so at once rather than after a minute.
      if (Date.now() > deadline || (error instanceof DatabaseUnavailableError && error.permanent)) throw error;
      log(`database not ready (attempt ${attempt}): ${(error as Error).message}; retrying`);
      await new Promise((r) => setTimeout(r, Math.min(10_000, 1000 * attempt)));
    }
  }
}
