import { exactTagGrep } from '../../fixtures/workflow.ts';
import { parseCommand } from './args.ts';
import { printRows } from './output.ts';
import { runLoadingSuite } from './playwright-run.ts';

const help = `
usage: workflow-monitor health [-- <playwright options>]
       workflow-monitor health --daemon [--url http://127.0.0.1:9464] [--json]

Without --daemon: runs the health-check workflow now (exact tag @health-check), recorded;
anything after -- goes to playwright test (a --reporter there is added to the monitor reporter).
With --daemon: asks a running daemon's /healthz (exit 0 when healthy, 1 otherwise).
`;

export default async function health(args: string[]): Promise<number> {
  const sep = args.indexOf('--');
  const extra = sep === -1 ? [] : args.slice(sep + 1);
  const parsed = parseCommand(sep === -1 ? args : args.slice(0, sep), { daemon: { type: 'boolean' }, url: { type: 'string' }, json: { type: 'boolean' } }, help);
  if (parsed === null) return 0;
  if (parsed === 'error') return 1;
  if (!parsed.values.daemon) return runLoadingSuite('health', ['--grep', exactTagGrep(['health-check']), ...extra]);
  const base = parsed.values.url ?? `http://${process.env.MONITOR_HTTP_HOST || '127.0.0.1'}:${process.env.MONITOR_HTTP_PORT || '9464'}`;
  try {
    const res = await fetch(new URL('/healthz', base), { signal: AbortSignal.timeout(5_000) });
    const body = await res.json() as Record<string, unknown>;
    printRows([{ http: res.status, ...body }], parsed.values.json ?? false);
    return res.ok ? 0 : 1;
  } catch (error) {
    process.stderr.write(`workflow-monitor health: no daemon answered at ${base}: ${(error as Error).message}\n`);
    return 1;
  }
}
