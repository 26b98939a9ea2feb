// Artifact files (traces, screenshots) in the durable artifacts folder: which ones the database
// still references, and removing the others. Only files found by walking the folder itself are
// ever deleted, so a path stored in the database can never point a delete outside it.
import { lstat, readdir, realpath, rmdir, unlink } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { sql, type CommonQueryMethods } from 'slonik';

/** Stored paths may be absolute or relative to the artifacts folder. */
export function resolveArtifactPath(artifactsDir: string, stored: string): string {
  return path.resolve(artifactsDir, stored);
}

export async function referencedArtifactPaths(db: CommonQueryMethods, artifactsDir: string): Promise<Set<string>> {
  const rows = await db.any(sql.type(z.object({ p: z.string() }))`
    SELECT p FROM (
      SELECT unnest(ARRAY[trace_path, screenshot_path]) AS p FROM workflow_executions
      WHERE trace_path IS NOT NULL OR screenshot_path IS NOT NULL
    ) refs WHERE p IS NOT NULL`);
  return new Set(rows.map((r) => resolveArtifactPath(artifactsDir, r.p)));
}

type Entry = { file: string; mtimeMs: number };
type Walked = { files: Entry[]; dirs: Entry[] };

async function walk(dir: string, out: Walked): Promise<void> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    // Symlinks are skipped, never followed: their targets may live anywhere.
    if (entry.isSymbolicLink()) continue;
    const info = entry.isDirectory() || entry.isFile() ? await lstat(full).catch(() => null) : null;
    if (!info) continue;
    if (entry.isDirectory()) {
      out.dirs.push({ file: full, mtimeMs: info.mtimeMs });
      await walk(full, out);
    } else {
      out.files.push({ file: full, mtimeMs: info.mtimeMs });
    }
  }
}

function isReferenced(file: string, root: string, referenced: Set<string>): boolean {
  // A stored path may name a folder (one attempt's artifacts), so ancestors count too.
  for (let current = file; current.startsWith(root + path.sep); current = path.dirname(current)) {
    if (referenced.has(current)) return true;
  }
  return false;
}

export type SweepOptions = {
  artifactsDir: string;
  /** Files younger than this are kept: the reporter copies files before it inserts their row. */
  graceMs?: number;
  now?: Date;
};

/** Deletes files under artifactsDir that no execution references; returns how many. */
export async function sweepArtifacts(db: CommonQueryMethods, options: SweepOptions): Promise<number> {
  let root: string;
  try {
    root = await realpath(options.artifactsDir);
  } catch {
    return 0; // no folder, nothing to sweep
  }
  const walked: Walked = { files: [], dirs: [] };
  await walk(root, walked);
  if (walked.files.length === 0) return 0;
  const referenced = await referencedArtifactPaths(db, root);
  const logical = path.resolve(options.artifactsDir);
  if (logical !== root) {
    // Rows may store paths through a symlinked folder name; compare both spellings.
    for (const p of [...referenced])
      if (p.startsWith(logical + path.sep)) referenced.add(root + p.slice(logical.length));
  }
  const cutoff = (options.now ?? new Date()).getTime() - (options.graceMs ?? 3_600_000);
  let deleted = 0;
  for (const { file, mtimeMs } of walked.files) {
    if (mtimeMs > cutoff || isReferenced(file, root, referenced)) continue;
    await unlink(file).then(
      () => deleted++,
      () => undefined,
    );
  }
  // Deepest first; rmdir fails on folders that still hold something, which is what we want.
  // Young folders stay: the reporter may have just made one to copy into.
  const oldDirs = walked.dirs.filter((d) => d.mtimeMs <= cutoff).map((d) => d.file);
  for (const dir of oldDirs.sort((a, b) => b.length - a.length)) await rmdir(dir).catch(() => undefined);
  return deleted;
}
