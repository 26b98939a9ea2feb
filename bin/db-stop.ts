// npm run db:stop: stops the embedded server of MONITOR_STATE_DIR (a no-op with DATABASE_URL).
import { clusterPaths, stopEmbedded } from '../db/embedded/server.ts';
import { runDbScript } from './db-script.ts';

await runDbScript('db:stop', async (config) => {
  const stopped = await stopEmbedded({ stateDir: config.stateDir });
  const where = clusterPaths(config.stateDir).dataDir;
  console.log(
    stopped ? `stopped the embedded PostgreSQL (${where})` : `the embedded PostgreSQL was not running (${where})`,
  );
});
