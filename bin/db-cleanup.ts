// npm run db:cleanup [-- --days N] [--json]: the retention tiers, once (the daemon runs it daily).
import { parseArgs } from 'node:util';
import { exitOnConfigError } from '../config/parse-env.ts';
import { loadRetentionConfig } from '../config/retention.ts';
import { processEnv } from '../config/env.ts';
import type { RetentionConfig } from '../config/retention.ts';
import { withOpenDatabase } from '../db/open.ts';
import { cleanupOldRecords } from '../db/retention.ts';
import { loadDotEnv } from '../config/dotenv.ts';
import { printRows } from './cli/output.ts';

loadDotEnv();

let config: RetentionConfig;
let days: number;
let json = false;
try {
  config = loadRetentionConfig(processEnv());
  const { values } = parseArgs({ options: { days: { type: 'string' }, json: { type: 'boolean' } } });
  json = values.json ?? false;
  days = values.days === undefined ? config.days : Number(values.days);
  if (!Number.isInteger(days) || days < 1) {
    console.error('db:cleanup: --days must be a whole number of at least 1');
    process.exit(2);
  }
} catch (error) {
  exitOnConfigError(error, 'db:cleanup');
}
try {
  const result = await withOpenDatabase(config, (pool) =>
    cleanupOldRecords(pool, {
      days,
      aggregateDays: config.aggregateDays,
      artifactDays: config.artifactDays,
      artifactsDir: config.artifactsDir,
    }),
  );
  printRows(
    Object.entries(result).map(([what, n]) => ({ what, removed: n })),
    json,
  );
} catch (error) {
  console.error(`db:cleanup: ${(error as Error).message}`);
  process.exitCode = 1;
}
