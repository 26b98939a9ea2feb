// Discovery: ask Playwright which workflows the suite holds, then resolve their schedules.
import { spawn } from 'node:child_process';
import { playwrightCli, repoRoot } from './playwright-cli.ts';
import { resolveSchedules, type Resolution } from './schedules.ts';
import { parseSuiteListing, type SuiteListing } from './suite-listing.ts';

export type DiscoverOptions = {
  env: NodeJS.ProcessEnv;
  /** Runner variables known to be invalid: left out so the listing still loads the specs. */
  omitVariables?: readonly string[];
  timeoutMs?: number;
};

export async function listSuite(options: DiscoverOptions): Promise<SuiteListing> {
  const env: NodeJS.ProcessEnv = { ...options.env, FORCE_COLOR: '0', MONITOR_REPORTER: 'off' };
  for (const name of options.omitVariables ?? []) delete env[name];
  delete env.PLAYWRIGHT_JSON_OUTPUT_FILE;
  const child = spawn(process.execPath, [playwrightCli(), 'test', '--list', '--reporter=json'], {
    cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true,
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => { stdout += d; });
  child.stderr.on('data', (d) => { stderr += d; });
  const timer = setTimeout(() => { try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* gone */ } }, options.timeoutMs ?? 120_000);
  const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
  clearTimeout(timer);
  const listing = parseSuiteListing(stdout);
  if (code !== 0 && listing.problems.length === 0) {
    const tail = stderr.trim().split('\n').slice(-5).join(' | ') || `exit code ${code}`;
    listing.problems.push(`playwright test --list failed: ${tail}`);
  }
  return listing;
}

export type Discovery = SuiteListing & Resolution;

export async function discover(options: DiscoverOptions & Omit<Parameters<typeof resolveSchedules>[1], never>): Promise<Discovery> {
  const listing = await listSuite(options);
  const resolution = resolveSchedules(listing.workflows, options);
  return {
    workflows: listing.workflows,
    schedules: resolution.schedules,
    problems: [...new Set([...listing.problems, ...resolution.problems])],
    warnings: [...listing.warnings, ...resolution.warnings],
  };
}

/**
 * The suite's own problems (load errors, unknown priorities, bad spec schedules) when the
 * environment is already known to be bad: so one start lists every problem, not half of them.
 */
export async function suiteProblems(env: NodeJS.ProcessEnv, omitVariables: readonly string[]): Promise<string[]> {
  const listing = await listSuite({ env, omitVariables });
  const resolution = resolveSchedules(listing.workflows, { overrides: new Map(), intervalMinutes: 15, allowSeconds: true });
  return [...listing.problems, ...resolution.problems.filter((p) => !p.startsWith('MONITORING_INTERVAL_MINUTES'))];
}
