import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { exactTagGrep } from '../../core/workflow.ts';
import { parseCommand } from './args.ts';
import { repoPath } from './node-script.ts';
import { printRows } from './output.ts';
import { runLoadingSuite, runPlaywrightTest } from './playwright-run.ts';
import { processEnv } from '../../config/env.ts';
import { daemonHttpUrl } from '../../config/daemon.ts';
import { exitOnConfigError } from '../../config/parse-env.ts';
import { isRecording } from '../../config/process-switches.ts';

const help = `
usage: workflow-monitor health [--json] [-- <playwright options>]
       workflow-monitor health --daemon [--url http://127.0.0.1:9464] [--json]

Without --daemon: runs the health-check workflow now (exact tag @health-check), recorded like
any run; --json prints its outcome as JSON instead of Playwright's list; anything after -- goes
to playwright test (a --reporter there is added to the monitor reporter).
With --daemon: asks a running daemon's /healthz (exit 0 when healthy, 1 otherwise); --json
prints the answer (or why there was none) as JSON.
`;

type JsonSpec = {
  title: string;
  tests?: { results?: { status?: string; duration?: number; retry?: number; error?: { message?: string } }[] }[];
};
type JsonSuite = { specs?: JsonSpec[]; suites?: JsonSuite[] };

/** The health-check run as JSON: Playwright's JSON report (to a file) beside the monitor reporter, boiled down. */
async function runAsJson(extra: string[]): Promise<number> {
  const dir = await mkdtemp(path.join(tmpdir(), 'wm-health-'));
  const file = path.join(dir, 'report.json');
  try {
    const reporters = ['json', ...(!isRecording(processEnv()) ? [] : [repoPath('reporters', 'monitor-reporter.ts')])];
    const code = await runPlaywrightTest(
      ['--grep', exactTagGrep(['health-check']), ...extra, `--reporter=${reporters.join(',')}`],
      { PLAYWRIGHT_JSON_OUTPUT_FILE: file },
      { stdoutToStderr: true },
    );
    const report = JSON.parse(await readFile(file, 'utf8').catch(() => '{}')) as {
      suites?: JsonSuite[];
      stats?: { expected?: number; unexpected?: number; flaky?: number };
    };
    const specs: JsonSpec[] = [];
    const walk = (s: JsonSuite) => {
      specs.push(...(s.specs ?? []));
      (s.suites ?? []).forEach(walk);
    };
    (report.suites ?? []).forEach(walk);
    const attempts = specs.flatMap((s) =>
      (s.tests ?? []).flatMap((t) =>
        (t.results ?? []).map((r) => ({
          workflow: s.title,
          retry: r.retry ?? 0,
          status: r.status ?? 'unknown',
          durationMs: r.duration ?? null,
          error: r.error?.message?.split('\n')[0] ?? null,
        })),
      ),
    );
    process.stdout.write(
      `${JSON.stringify({ ok: code === 0, exitCode: code, stats: report.stats ?? null, attempts }, null, 2)}\n`,
    );
    return code;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export default async function health(args: string[]): Promise<number> {
  const sep = args.indexOf('--');
  const extra = sep === -1 ? [] : args.slice(sep + 1);
  const parsed = parseCommand(
    sep === -1 ? args : args.slice(0, sep),
    { daemon: { type: 'boolean' }, url: { type: 'string' }, json: { type: 'boolean' } },
    help,
  );
  if (parsed === null) return 0;
  if (parsed === 'error') return 1;
  const json = parsed.values.json ?? false;
  if (!parsed.values.daemon)
    return json ? runAsJson(extra) : runLoadingSuite('health', ['--grep', exactTagGrep(['health-check']), ...extra]);
  let base: string;
  try {
    base = parsed.values.url ?? daemonHttpUrl(processEnv());
  } catch (error) {
    exitOnConfigError(error, 'workflow-monitor health');
  }
  try {
    const res = await fetch(new URL('/healthz', base), { signal: AbortSignal.timeout(5_000) });
    const body = (await res.json()) as Record<string, unknown>;
    printRows([{ http: res.status, ...body }], json);
    return res.ok ? 0 : 1;
  } catch (error) {
    const reason = `no daemon answered at ${base}: ${(error as Error).message}`;
    if (json) process.stdout.write(`${JSON.stringify({ ok: false, url: base, error: reason }, null, 2)}\n`);
    else process.stderr.write(`workflow-monitor health: ${reason}\n`);
    return 1;
  }
}
