// Where a run's CPU went: the lines test/helpers/cpu-log.mjs wrote, summed by kind of process, and
// the machine's busy share from /proc/stat (every process, Chromium and PostgreSQL included: what
// the Node lines miss is the rest). `node test/run.ts --cpu-log <file>` prints it at the end.
import { readFileSync } from 'node:fs';
import path from 'node:path';

/** Busy and total jiffies of all CPUs so far (/proc/stat's first line). */
export function cpuJiffies(): { busy: number; total: number } {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const total = fields.reduce((a, b) => a + b, 0);
  return { busy: total - fields[3]! - (fields[4] ?? 0), total };
}

export function kindOf(argv: string, root: string): string {
  const a = argv.replaceAll(`${root}${path.sep}`, '');
  if (/playwright\/lib\/worker\//.test(a)) return 'Playwright worker';
  if (/(\.bin\/playwright|@playwright\/test\/cli\.js|playwright\/cli\.js)/.test(a))
    return a.includes('--list') ? 'Playwright runner (--list)' : 'Playwright runner';
  if (/npm-cli\.js/.test(a)) return 'npm';
  if (/\.test\.ts\b/.test(a)) return 'test file';
  return a.split(' ')[0] || '(node)';
}

export function cpuTable(logFile: string, root: string, busyShare: number, wallSeconds: number, cpus: number): string {
  const rows = new Map<string, { cpu: number; n: number }>();
  const files = new Map<string, { cpu: number; runs: number }>();
  let text = '';
  try {
    text = readFileSync(logFile, 'utf8');
  } catch {
    /* nothing logged */
  }
  for (const line of text.split('\n').filter(Boolean)) {
    const { argv, cpu, file } = JSON.parse(line) as { argv: string; cpu: number; file?: string };
    const k = kindOf(argv, root);
    const r = rows.get(k) ?? { cpu: 0, n: 0 };
    rows.set(k, { cpu: r.cpu + cpu, n: r.n + 1 });
    const f = files.get(file ?? '(no test file)') ?? { cpu: 0, runs: 0 };
    files.set(file ?? '(no test file)', {
      cpu: f.cpu + cpu,
      runs: f.runs + (k.startsWith('Playwright runner') ? 1 : 0),
    });
  }
  const machine = busyShare * wallSeconds * cpus;
  const node = [...rows.values()].reduce((a, r) => a + r.cpu, 0);
  const out = [
    `CPU: busy ${(busyShare * 100).toFixed(0)}% of ${cpus} CPUs over ${wallSeconds.toFixed(0)} s = ${machine.toFixed(0)} CPU-s; ` +
      `Node processes ${node.toFixed(0)} CPU-s, the rest (Chromium, PostgreSQL, shells) ${Math.max(0, machine - node).toFixed(0)}`,
    '  CPU-s  processes  kind',
  ];
  for (const [k, r] of [...rows].sort((a, b) => b[1].cpu - a[1].cpu).slice(0, 12))
    out.push(`${r.cpu.toFixed(1).padStart(7)} ${String(r.n).padStart(10)}  ${k}`);
  out.push('  CPU-s  Playwright runs  test file (its Node processes and theirs)');
  for (const [f, r] of [...files].sort((a, b) => b[1].cpu - a[1].cpu).slice(0, 12))
    out.push(`${r.cpu.toFixed(1).padStart(7)} ${String(r.runs).padStart(16)}  ${f}`);
  return `${out.join('\n')}\n`;
}
