// npm run db:stop: stops the embedded server of MONITOR_STATE_DIR (a no-op with DATABASE_URL).
import { exitOnConfigError } from '../config/parse-env.ts';
import { loadDatabaseConfig } from '../config/database.ts';
import { processEnv } from '../config/env.ts';
import { clusterPaths, stopEmbedded } from '../db/embedded.ts';
import { loadDotEnv } from '../config/dotenv.ts';

loadDotEnv();

let config;
try {
  config = loadDatabaseConfig(processEnv());
} catch (error) {
  exitOnConfigError(error, 'db:stop');
}
try {
  const stopped = await stopEmbedded({ stateDir: config.stateDir });
  const where = clusterPaths(config.stateDir).dataDir;
  console.log(
    stopped ? `stopped the embedded PostgreSQL (${where})` : `the embedded PostgreSQL was not running (${where})`,
  );
} catch (error) {
  console.error(`db:stop: ${(error as Error).message}`);
  process.exitCode = 1;
}
