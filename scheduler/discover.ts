// Discovery: ask Playwright which workflows the suite holds, then resolve their schedules.
// One spec file that does not load (a bad workflow() argument) makes Playwright's listing fail
// as a whole; then each file is listed on its own, the broken ones are reported with their
// reason, and the rest of the suite is scheduled and run (with the files that load, explicitly).
import { globSync } from 'node:fs';
import path from 'node:path';
import { repoRoot, runPlaywright } from './playwright-cli.ts';
import { resolveSchedules, type Resolution } from './schedules.ts';
import { loadErrorsOf, mergeListings, parseSuiteListing, type BrokenSpec, type SuiteListing } from './suite-listing.ts';
import { workflowsDir } from '../config/runner.ts';

export type DiscoverOptions = {
  env: NodeJS.ProcessEnv;
  /** Runner variables known to be invalid: left out so the listing still loads the specs. */
  omitVariables?: readonly string[];
  timeoutMs?: number;
};

/** A `playwright test` file filter that matches exactly this file (filters are regular expressions). */
export function exactFileFilter(file: string): string {
  return `/^${path.resolve(repoRoot, file).replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$/`;
}

async function listOnce(
  options: DiscoverOptions,
  files: string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...options.env, FORCE_COLOR: '0', MONITOR_REPORTER: 'off' };
  for (const name of options.omitVariables ?? []) delete env[name];
  delete env.PLAYWRIGHT_JSON_OUTPUT_FILE;
  return runPlaywright(
    ['test', '--list', '--reporter=json', ...files.map(exactFileFilter)],
    env,
    options.timeoutMs ?? 120_000,
  );
}

/** The suite's spec files (absolute), as playwright.config.ts finds them: `<testDir>/**\/*.spec.ts`. */
function specFiles(env: NodeJS.ProcessEnv): string[] {
  const testDir = path.resolve(repoRoot, workflowsDir(env));
  return globSync('**/*.spec.ts', { cwd: testDir, exclude: (name) => name === 'node_modules' })
    .map((f) => path.join(testDir, f))
    .sort();
}

/** Lists each file on its own (a few at a time): which ones load, and why the others do not. */
async function listPerFile(
  options: DiscoverOptions,
  files: string[],
): Promise<{ good: string[]; jsons: string[]; broken: BrokenSpec[] }> {
  const results = new Array<{ file: string; stdout: string; errors: string[] }>(files.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < files.length; i = next++) {
      const r = await listOnce(options, [files[i]!]);
      // A file that fails to load also yields Playwright's "No tests found": only the cause counts.
      const all = loadErrorsOf(r.stdout);
      const causes = all.filter((e) => !/^Error: No tests found/.test(e));
      const errors = causes.length ? causes : all;
      if (!errors.length && r.code !== 0)
        errors.push(r.stderr.trim().split('\n').slice(-1)[0] || `exit code ${r.code}`);
      results[i] = { file: files[i]!, stdout: r.stdout, errors };
    }
  };
  await Promise.all(Array.from({ length: Math.min(3, files.length) }, worker));
  const ok = results.filter((r) => !r.errors.length);
  return {
    good: ok.map((r) => r.file),
    jsons: ok.map((r) => r.stdout),
    broken: results
      .filter((r) => r.errors.length)
      .map((r) => ({ file: path.relative(repoRoot, r.file), reason: r.errors.join(' | ') })),
  };
}

export async function listSuite(options: DiscoverOptions): Promise<SuiteListing> {
  const whole = await listOnce(options, []);
  let listing = parseSuiteListing(whole.stdout);
  if (loadErrorsOf(whole.stdout).length) {
    const files = specFiles(options.env);
    const perFile = await listPerFile(options, files);
    // Some files load and others do not: report those, keep the rest. When every file fails
    // alone too (a problem of the configuration, not of one file), it is the listing's problem.
    if (perFile.broken.length && perFile.good.length) {
      listing = { ...parseSuiteListing(mergeListings(perFile.jsons)), broken: perFile.broken, files: perFile.good };
    } else if (perFile.broken.length && files.length) {
      listing = {
        ...listing,
        problems: [...new Set([...listing.problems, ...perFile.broken.map((b) => `${b.file}: ${b.reason}`)])],
      };
    }
  }
  if (whole.code !== 0 && listing.problems.length === 0 && !listing.broken.length) {
    const tail = whole.stderr.trim().split('\n').slice(-5).join(' | ') || `exit code ${whole.code}`;
    listing.problems.push(`playwright test --list failed: ${tail}`);
  }
  return listing;
}

export type Discovery = SuiteListing & Resolution;

export async function discover(
  options: DiscoverOptions & Omit<Parameters<typeof resolveSchedules>[1], never>,
): Promise<Discovery> {
  const listing = await listSuite(options);
  const resolution = resolveSchedules(listing.workflows, { ...options, suiteIncomplete: listing.broken.length > 0 });
  return {
    ...listing,
    schedules: resolution.schedules,
    problems: [...new Set([...listing.problems, ...resolution.problems])],
    warnings: [...listing.warnings, ...resolution.warnings],
  };
}

/** One line per spec file that does not load: what a log, `list` and /healthz say. */
export function brokenLines(broken: readonly BrokenSpec[]): string[] {
  return broken.map((b) => `${b.file} does not load and its workflows do not run: ${b.reason}`);
}

/**
 * The suite's own problems (load errors, unknown priorities, bad spec schedules) when the
 * environment is already known to be bad: so one start lists every problem, not half of them.
 */
export async function suiteProblems(env: NodeJS.ProcessEnv, omitVariables: readonly string[]): Promise<string[]> {
  const listing = await listSuite({ env, omitVariables });
  const resolution = resolveSchedules(listing.workflows, {
    overrides: new Map(),
    intervalMinutes: 15,
    allowSeconds: true,
  });
  return [...listing.problems, ...resolution.problems.filter((p) => !p.startsWith('MONITORING_INTERVAL_MINUTES'))];
}
