// The frame of the npm db:* scripts (db:migrate, db:stop): .env loaded, the database configuration
// read from the environment (a problem exits 2, one line each), then the script's work, whose
// failure is one line (`label: message`) and exit code 1.
import { exitOnConfigError } from '../config/parse-env.ts';
import { loadDatabaseConfig, type DatabaseConfig } from '../config/database.ts';
import { processEnv } from '../config/env.ts';
import { loadDotEnv } from '../config/dotenv.ts';

export async function runDbScript(label: string, work: (config: DatabaseConfig) => Promise<void>): Promise<void> {
  loadDotEnv();
  let config: DatabaseConfig;
  try {
    config = loadDatabaseConfig(processEnv());
  } catch (error) {
    exitOnConfigError(error, label);
  }
  try {
    await work(config);
  } catch (error) {
    console.error(`${label}: ${(error as Error).message}`);
    process.exitCode = 1;
  }
}
