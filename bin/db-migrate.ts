// npm run db:migrate: starts the embedded server when DATABASE_URL is unset, then migrates.
import { exitOnConfigError } from '../config/parse-env.ts';
import { loadDatabaseConfig } from '../config/database.ts';
import { processEnv } from '../config/env.ts';
import { prepareDatabase } from '../db/open.ts';
import { loadDotEnv } from '../config/dotenv.ts';

loadDotEnv();

let config;
try {
  config = loadDatabaseConfig(processEnv());
} catch (error) {
  exitOnConfigError(error, 'db:migrate');
}
try {
  const { applied } = await prepareDatabase(config, { migrationLog: (line) => console.log(line) });
  console.log(
    applied.length === 0
      ? 'database schema is up to date'
      : `applied ${applied.length} migration(s): ${applied.join(', ')}`,
  );
} catch (error) {
  console.error(`db:migrate: ${(error as Error).message}`);
  process.exitCode = 1;
}
