// The run row of one `playwright test` invocation: its id (MONITOR_RUN_ID, the CI run, or a new
// one; one per shard inside the group), trigger, grep, host and CI link, and how Playwright's
// final status maps onto ours.
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { FullConfig, FullResult } from '@playwright/test/reporter';
import type { ReporterConfig } from '../config/reporter.ts';
import type { RunRecord, RunStatus, Trigger } from '../core/records.ts';

export const newRunId = (): string => `run_${Date.now()}_${randomBytes(3).toString('hex')}`;

function grepFromArgv(argv: string[]): string | null {
  const i = argv.findIndex((a) => a === '--grep' || a === '-g');
  if (i >= 0) return argv[i + 1] ?? null;
  return argv.find((a) => a.startsWith('--grep='))?.slice('--grep='.length) ?? null;
}

export /** Playwright's `merge-reports` command (the reporter then sees blob reports, not a run). */
function isMergeReports(argv: readonly string[]): boolean {
  return argv.slice(1, 4).some((a) => a === 'merge-reports');
}

function ciUrl(cfg: ReporterConfig): string | null {
  return cfg.GITHUB_SERVER_URL && cfg.GITHUB_REPOSITORY && cfg.GITHUB_RUN_ID
    ? `${cfg.GITHUB_SERVER_URL}/${cfg.GITHUB_REPOSITORY}/actions/runs/${cfg.GITHUB_RUN_ID}`
    : null;
}

export const runStatus: Record<FullResult['status'], RunStatus> = {
  passed: 'passed',
  failed: 'failed',
  timedout: 'timedout',
  interrupted: 'interrupted',
};

/** The run row when the run begins (status `running`). */
export function startingRun(cfg: ReporterConfig, shard: FullConfig['shard'], argv: string[]): RunRecord {
  const trigger: Trigger = cfg.MONITOR_TRIGGER ?? (cfg.CI ? 'ci' : 'manual');
  // The shards of one logical run share its group: MONITOR_RUN_ID (set the same for every
  // shard), else the CI run; each shard is a run of its own inside it.
  const group = cfg.MONITOR_RUN_ID ?? (shard && cfg.GITHUB_RUN_ID ? `gh_${cfg.GITHUB_RUN_ID}` : newRunId());
  return {
    runId: shard ? `${group}-shard${shard.current}of${shard.total}` : group,
    ...(shard ? { runGroup: group, shardIndex: shard.current, shardTotal: shard.total } : {}),
    trigger,
    grep: grepFromArgv(argv),
    host: hostname(),
    startedAt: new Date(),
    endedAt: null,
    status: 'running',
    ciUrl: ciUrl(cfg),
    location: cfg.MONITOR_LOCATION,
  };
}
