// `node --test --test-global-setup=test/global-setup.ts` (npm run test:unit and test:db): one
// PostgreSQL for every test file instead of one per file, and the migrations applied once.
// Without TEST_DATABASE_URL it starts an embedded server (the default) and hands it on in
// TEST_DATABASE_URL; on that server it migrates a template database, handed on in
// TEST_DATABASE_TEMPLATE, that freshDatabase() copies. Both variables reach every test file's
// process (the runner starts them after this). Tests that stop, kill or freeze a PostgreSQL
// start their own (test/faults/), as before.
import { sql } from 'slonik';
import { z } from 'zod';
import { migrate } from '../db/migrate.ts';
import { onServer, startEmbeddedServer, withDatabaseName, type EmbeddedServer } from './helpers/db.ts';

let embedded: EmbeddedServer | undefined;
let template: { server: string; name: string } | undefined;
const none = sql.type(z.object({}));

export async function globalSetup(): Promise<void> {
  if (!process.env.TEST_DATABASE_URL) {
    // Several files at once, each with daemons, reporters and pools of its own.
    embedded = await startEmbeddedServer({ maxConnections: 400 });
    process.env.TEST_DATABASE_URL = embedded.url;
  }
  const server = process.env.TEST_DATABASE_URL;
  const name = `wm_test_template_${process.pid}`;
  const id = sql.identifier([name]);
  await onServer(server, none`CREATE DATABASE ${id}`);
  template = { server, name };
  await migrate(withDatabaseName(server, name));
  // No connection may stay on a template while it is copied; none can be opened to this one.
  await onServer(server, none`ALTER DATABASE ${id} WITH IS_TEMPLATE true ALLOW_CONNECTIONS false`);
  process.env.TEST_DATABASE_TEMPLATE = name;
}

export async function globalTeardown(): Promise<void> {
  if (template) {
    const id = sql.identifier([template.name]);
    await onServer(template.server, none`ALTER DATABASE ${id} WITH IS_TEMPLATE false`);
    await onServer(template.server, none`DROP DATABASE IF EXISTS ${id} WITH (FORCE)`);
  }
  embedded?.stop();
}
