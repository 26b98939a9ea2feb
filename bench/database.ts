// A database of its own for a benchmark: created on DATABASE_URL's server when set, otherwise on an
// embedded PostgreSQL started in a temporary state folder (`stateDir`). `drop()` removes the
// database, then stops and deletes the embedded server; a bench asked to keep its data skips it.
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'slonik';
import { z } from 'zod';
import { ensureDatabaseUrl, stopEmbedded } from '../db/embedded/server.ts';
import { withDatabase } from '../db/pool.ts';

export type BenchDatabase = { url: string; stateDir: string | null; drop(): Promise<void> };

export async function benchDatabase(name: string, stateDirPrefix: string): Promise<BenchDatabase> {
  let stateDir: string | null = null;
  let server = process.env.DATABASE_URL;
  if (!server) {
    stateDir = mkdtempSync(path.join(tmpdir(), stateDirPrefix));
    chmodSync(stateDir, 0o755);
    const url = new URL(await ensureDatabaseUrl({ stateDir, databaseUrl: null, timeoutMs: 120_000 }));
    url.pathname = '/postgres';
    server = url.toString();
  }
  const admin = (statement: 'create' | 'drop') =>
    withDatabase(server, (p) =>
      p.query(
        statement === 'create'
          ? sql.type(z.object({}))`CREATE DATABASE ${sql.identifier([name])}`
          : sql.type(z.object({}))`DROP DATABASE IF EXISTS ${sql.identifier([name])} WITH (FORCE)`,
      ),
    );
  await admin('create');
  const url = new URL(server);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    stateDir,
    async drop() {
      await admin('drop').catch(() => undefined);
      if (stateDir) {
        await stopEmbedded({ stateDir }).catch(() => undefined);
        rmSync(stateDir, { recursive: true, force: true });
      }
    },
  };
}
