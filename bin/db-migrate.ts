// npm run db:migrate: starts the embedded server when DATABASE_URL is unset, then migrates.
import { prepareDatabase } from '../db/open.ts';
import { runDbScript } from './db-script.ts';

await runDbScript('db:migrate', async (config) => {
  const { applied } = await prepareDatabase(config, { migrationLog: (line) => console.log(line) });
  console.log(
    applied.length === 0
      ? 'database schema is up to date'
      : `applied ${applied.length} migration(s): ${applied.join(', ')}`,
  );
});
