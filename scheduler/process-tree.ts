// Playwright starts the browser and the webServer as leaders of their own process groups, so
// killing a run's group is not enough: the whole tree is read from /proc first, then every
// group in it is signalled. Linux only (as are the deploy targets); elsewhere only the group.
import { readdirSync, readFileSync } from 'node:fs';

type Proc = { pid: number; ppid: number; pgid: number };

function readProcs(): Proc[] {
  let names: string[];
  try {
    names = readdirSync('/proc');
  } catch {
    return [];
  }
  const out: Proc[] = [];
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // The command name may contain spaces and parentheses: fields start after the last ')'.
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.push({ pid: Number(name), ppid: Number(rest[1]), pgid: Number(rest[2]) });
    } catch {
      // exited while we looked
    }
  }
  return out;
}

/** Every descendant of `root` (not root itself), with its process group. */
export function descendants(root: number): Proc[] {
  const procs = readProcs();
  const children = new Map<number, Proc[]>();
  for (const p of procs) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p]);
  const out: Proc[] = [];
  const queue = [root];
  while (queue.length) {
    const pid = queue.shift()!;
    for (const c of children.get(pid) ?? []) {
      out.push(c);
      queue.push(c.pid);
    }
  }
  return out;
}

function signal(target: number, sig: NodeJS.Signals): void {
  try {
    process.kill(target, sig);
  } catch {
    // already gone
  }
}

/**
 * Signals the group led by `root` (unless `spareRootGroup`, for a caller inside that group) and
 * every group and process found below it.
 */
export function signalTree(
  root: number,
  sig: NodeJS.Signals,
  snapshot = descendants(root),
  spareRootGroup = false,
): void {
  const groups = new Set<number>(spareRootGroup ? [] : [root]);
  for (const p of snapshot) if (p.pgid > 1 && !(spareRootGroup && p.pgid === root)) groups.add(p.pgid);
  for (const g of groups) signal(-g, sig);
  for (const p of snapshot) signal(p.pid, sig);
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
