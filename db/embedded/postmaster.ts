// Telling a live postmaster from a stale `postmaster.pid` (a killed server's): the pid must be
// alive and be this cluster's postmaster, not some other program that got the pid since.
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { ClusterPaths } from './files.ts';

// Synchronous on purpose: /proc reads never block.
function readProcFile(pid: number, name: string): string | null {
  try {
    return readFileSync(`/proc/${pid}/${name}`, 'utf8');
  } catch {
    return null;
  }
}

export type PostmasterState = { kind: 'none' } | { kind: 'alive'; pid: number } | { kind: 'stale'; pid: number };

/** Reads postmaster.pid and decides whether its pid is really this cluster's postmaster. A pid
 * that is dead, or now belongs to some other program, means a killed owner left the file. */
export async function postmasterState(paths: ClusterPaths): Promise<PostmasterState> {
  let content: string;
  try {
    content = await readFile(path.join(paths.dataDir, 'postmaster.pid'), 'utf8');
  } catch {
    return { kind: 'none' };
  }
  const pid = Number.parseInt(content.split('\n')[0] ?? '', 10);
  if (!Number.isInteger(pid) || pid <= 0) return { kind: 'stale', pid: 0 };
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return { kind: 'stale', pid };
  }
  const cmdline = readProcFile(pid, 'cmdline');
  if (cmdline === null) return { kind: 'alive', pid }; // no /proc: trust the live pid
  return cmdline.includes(paths.dataDir) ? { kind: 'alive', pid } : { kind: 'stale', pid };
}
