// A cross-process lock file: O_EXCL creation, holder pid inside, broken only when that pid is
// gone. Short-lived processes (reporter, CLI) may be killed while holding it, so a dead holder
// must never block the others.
import { randomUUID } from 'node:crypto';
import { link, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

export type FileLockOptions = {
  timeoutMs: number;
  /** A lock older than this is stale even if its pid is alive (the pid was reused). */
  staleMs?: number;
  /** What the lock protects, for the timeout message. */
  purpose?: string;
};

/** The process exists (EPERM: it does, under another user). */
export function pidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function readHolder(file: string): Promise<string | null> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

function holderPid(content: string): number {
  return Number.parseInt(content.split('\n')[0] ?? '', 10);
}

/** Removes a lock whose holder is dead, without ever removing a lock someone just took. */
async function breakStale(file: string, seen: string): Promise<void> {
  const aside = `${file}.stale-${randomUUID()}`;
  try {
    await rename(file, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  const moved = await readHolder(aside);
  if (moved !== seen) {
    // Another waiter broke the stale lock and took a fresh one in between: put it back.
    await link(aside, file).catch(() => undefined);
  }
  await unlink(aside).catch(() => undefined);
}

/**
 * Creates the lock with its content in one step: the content goes to a private file first, then
 * link() publishes it (failing with EEXIST when the lock exists). Creating the lock empty and then
 * writing it left a moment in which another process read no pid, took the holder for dead, broke
 * the lock and ran beside us (two initdb runs on one folder).
 */
async function tryCreate(file: string, content: string): Promise<boolean> {
  const draft = `${file}.draft-${process.pid}-${randomUUID()}`;
  await writeFile(draft, content, { mode: 0o644 });
  try {
    await link(draft, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    await unlink(draft).catch(() => undefined);
  }
}

/** Runs `fn` while holding `file`; waits at most `timeoutMs` for the lock. */
export async function withFileLock<T>(file: string, options: FileLockOptions, fn: () => Promise<T>): Promise<T> {
  const token = `${process.pid}\n${randomUUID()}\n`;
  const deadline = Date.now() + options.timeoutMs;
  let delay = 20;
  for (;;) {
    if (await tryCreate(file, token)) break;
    const seen = await readHolder(file);
    if (seen === null) continue;
    const pid = holderPid(seen);
    const age = await stat(file).then(
      (s) => Date.now() - s.mtimeMs,
      () => 0,
    );
    // A lock without a readable pid (a crash while writing one by an older version) is broken
    // only once it is old; a holder's pid that is gone breaks it at once.
    const dead = Number.isInteger(pid) && pid > 0 ? !pidAlive(pid) : age > 10_000;
    if (dead || age > (options.staleMs ?? 10 * 60_000)) {
      await breakStale(file, seen);
      continue;
    }
    if (Date.now() >= deadline) {
      throw new Error(
        `timed out after ${options.timeoutMs} ms waiting for ${file} ` +
          `(held by pid ${pid}${options.purpose ? ` for ${options.purpose}` : ''})`,
      );
    }
    await sleep(delay);
    delay = Math.min(delay * 2, 250);
  }
  try {
    return await fn();
  } finally {
    if ((await readHolder(file)) === token) await unlink(file).catch(() => undefined);
  }
}
