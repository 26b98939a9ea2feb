// Runs the real `playwright test` as a child process, the way users and the daemon do, and
// reads back Playwright's own JSON report.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { runPlaywright as runPlaywrightCli } from '../../scheduler/playwright-cli.ts';
import { withHeavySlot } from './heavy-slots.ts';

export const repoRoot = resolve(import.meta.dirname, '..', '..');

export type JsonAttachment = { name: string; contentType: string; path?: string; body?: string };
export type JsonResult = {
  status: string;
  retry: number;
  duration: number;
  error?: { message?: string };
  errors: { message?: string }[];
  steps?: { title: string; error?: { message?: string } }[];
  attachments: JsonAttachment[];
};
export type JsonTest = { status: string; results: JsonResult[]; annotations: { type: string; description?: string }[] };
export type JsonSpec = { title: string; file: string; tags: string[]; tests: JsonTest[] };
export type JsonSuite = { title: string; specs: JsonSpec[]; suites?: JsonSuite[] };
export type JsonReport = { suites: JsonSuite[]; errors: { message?: string }[]; stats: Record<string, number> };

export type RunOutcome = {
  code: number | null;
  stdout: string;
  stderr: string;
  report: JsonReport | null;
  outputDir: string;
};

export function allSpecs(report: JsonReport): JsonSpec[] {
  const out: JsonSpec[] = [];
  const walk = (s: JsonSuite) => {
    out.push(...s.specs);
    (s.suites ?? []).forEach(walk);
  };
  report.suites.forEach(walk);
  return out;
}

/** The titles of the specs that did not pass as expected (`(no report)` when there is none). */
export function notPassed(outcome: RunOutcome): string[] {
  if (!outcome.report) return ['(no report)'];
  return allSpecs(outcome.report)
    .filter((s) => s.tests[0]?.status !== 'expected')
    .map((s) => s.title);
}

export function specByTitle(report: JsonReport, title: string): JsonSpec {
  const spec = allSpecs(report).find((s) => s.title === title);
  if (!spec)
    throw new Error(
      `no spec titled ${title}; have: ${allSpecs(report)
        .map((s) => s.title)
        .join(', ')}`,
    );
  return spec;
}

/** Runs playwright with `args` (e.g. ['test', '--grep', ...]); the JSON report goes to a temp file. */
export type RunOptions = { timeoutMs?: number; /** Also record with the monitor reporter. */ monitor?: boolean };

export async function runPlaywright(
  args: string[],
  env: Record<string, string | undefined> = {},
  options: RunOptions = {},
): Promise<RunOutcome> {
  const timeoutMs = options.timeoutMs ?? 240_000;
  const reporter = options.monitor ? 'json,./reporters/monitor-reporter.ts' : 'json';
  const dir = await mkdtemp(join(tmpdir(), 'wm-run-'));
  const reportFile = join(dir, 'report.json');
  const outputDir = join(dir, 'output');
  // One of test/run.ts's heavy slots: a real suite with Chromium (test/helpers/heavy-slots.ts).
  const { code, stdout, stderr } = await withHeavySlot(() =>
    runPlaywrightCli(
      [...args, `--reporter=${reporter}`, '--output', outputDir],
      {
        ...process.env,
        MONITOR_REPORTER: options.monitor ? '' : 'off',
        PLAYWRIGHT_JSON_OUTPUT_FILE: reportFile,
        FORCE_COLOR: '0',
        ...env,
      },
      timeoutMs,
    ),
  );
  const report = await readFile(reportFile, 'utf8')
    .then((t) => JSON.parse(t) as JsonReport)
    .catch(() => null);
  return { code, stdout, stderr, report, outputDir };
}

export async function removeRun(outcome: RunOutcome): Promise<void> {
  await rm(resolve(outcome.outputDir, '..'), { recursive: true, force: true });
}

/** The body of a JSON attachment (inline base64 or a file). */
export async function attachmentJson<T>(result: JsonResult, name: string): Promise<T | null> {
  const a = result.attachments.find((x) => x.name === name);
  if (!a) return null;
  if (a.body) return JSON.parse(Buffer.from(a.body, 'base64').toString('utf8')) as T;
  if (a.path) return JSON.parse(await readFile(a.path, 'utf8')) as T;
  return null;
}
