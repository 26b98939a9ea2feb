// Manual runs from the CLI: `playwright test --grep <exact tags>` with MONITOR_TRIGGER=manual,
// output inherited, Ctrl-C and SIGTERM passed on as SIGINT (SIGTERM would orphan the webServer).
import { spawn } from 'node:child_process';
import path from 'node:path';
import { brokenLines, exactFileFilter, listSuite } from '../../scheduler/discover.ts';
import type { SuiteListing } from '../../scheduler/suite-listing.ts';
import { playwrightCli, repoRoot } from '../../scheduler/playwright-cli.ts';
import { childEnv, processEnv } from '../../config/env.ts';
import { isRecording, manualTrigger } from '../../config/process-switches.ts';
import { exitCodeOf } from './node-script.ts';

const monitorReporter = path.join(repoRoot, 'reporters', 'monitor-reporter.ts');

/**
 * A `--reporter` on Playwright's command line replaces the configured reporters, the monitor
 * reporter included, so the run would record nothing: the monitor reporter is added to the list.
 */
export function keepMonitorReporter(args: readonly string[], env: NodeJS.ProcessEnv = processEnv()): string[] {
  if (!isRecording(env)) return [...args];
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const inline = a.startsWith('--reporter=');
    if (!inline && a !== '--reporter') {
      out.push(a);
      continue;
    }
    const value = inline ? a.slice('--reporter='.length) : (args[++i] ?? '');
    const names = value.split(',').filter(Boolean);
    if (!names.some((n) => /monitor-reporter(\.ts)?$/.test(n))) names.push(monitorReporter);
    out.push(`--reporter=${names.join(',')}`);
  }
  return out;
}

/** `stdoutToStderr`: Playwright's progress goes to stderr, so that stdout holds only the command's JSON. */
export async function runPlaywrightTest(
  args: string[],
  env: NodeJS.ProcessEnv = {},
  options: { stdoutToStderr?: boolean } = {},
): Promise<number> {
  const child = spawn(process.execPath, [playwrightCli(), 'test', ...keepMonitorReporter(args, childEnv(env))], {
    cwd: repoRoot,
    stdio: options.stdoutToStderr ? ['inherit', process.stderr, 'inherit'] : 'inherit',
    env: childEnv({ MONITOR_TRIGGER: manualTrigger(processEnv()), ...env }),
  });
  return exitCodeOf(child);
}

/**
 * A spec file that does not load makes Playwright run nothing at all: warn about it and return
 * the filters that select the files that load (none needed when all do).
 */
export function loadingFileFilters(suite: SuiteListing, command: string): string[] {
  for (const line of brokenLines(suite.broken)) process.stderr.write(`workflow-monitor ${command}: warning: ${line}\n`);
  return (suite.files ?? []).map(exactFileFilter);
}

/** `runPlaywrightTest` with only the spec files that load. */
export async function runLoadingSuite(command: string, args: string[]): Promise<number> {
  const suite = await listSuite({ env: processEnv() });
  return runPlaywrightTest([...args, ...loadingFileFilters(suite, command)]);
}
