// The words of each alert the policy decides. Titles are plain text; channels add decoration.
import type { AlertStateRow } from '../../core/alerts.ts';
import type { ExecutionRecord } from '../../core/records.ts';
import type { Alert, AlertWorkflow, FailedStep } from '../alert.ts';
import { formatDuration, formatPercent } from '../format.ts';
import type { FlakeStats } from './flaky.ts';
import { locationList, type LocationVerdict } from './quorum.ts';
import type { Rules } from './rules.ts';

export type MessageContext = {
  workflow: AlertWorkflow;
  /** The state after the transition. */
  state: AlertStateRow;
  execution: ExecutionRecord | null;
  now: Date;
  /** Alerts throttled on this workflow's channels since it last spoke. */
  throttled: number;
};

function failedStepOf(e: ExecutionRecord): FailedStep | null {
  if (!e.failedStep) return null;
  const i = e.steps.findIndex((s) => s.title === e.failedStep);
  return {
    index: i >= 0 ? i + 1 : e.passedSteps + 1,
    total: Math.max(e.totalSteps, e.steps.length),
    title: e.failedStep,
  };
}

function throttledNote(n: number): string {
  return n > 0 ? ` ${n} alert${n === 1 ? ' was' : 's were'} throttled on these channels since the last message.` : '';
}

/** The fields every alert about one workflow carries; the attempt's details when there is one. */
function base(ctx: MessageContext): Omit<Alert, 'kind' | 'title'> {
  const e = ctx.execution;
  return {
    priority: ctx.workflow.priority,
    workflow: ctx.workflow,
    at: ctx.now,
    runId: e?.runId ?? ctx.state.lastRunId,
    locations: { failing: [...ctx.state.failingLocations], passing: [...ctx.state.passingLocations] },
    ...(e
      ? {
          status: e.status,
          durationMs: e.durationMs,
          tracePath: e.tracePath,
          screenshotPath: e.screenshotPath,
          ...(e.status === 'passed' ? {} : { error: e.error, failedStep: failedStepOf(e), cause: e.causeLine ?? null }),
        }
      : {}),
  };
}

export function failureMessage(ctx: MessageContext, reason: string): Alert {
  const down = ctx.state.downSince;
  return {
    ...base(ctx),
    kind: 'failure',
    title: `Workflow Failed: ${ctx.workflow.name}`,
    message:
      down && ctx.now.getTime() - down.getTime() >= 60_000 ? `${reason} Down since ${down.toISOString()}.` : reason,
    error: ctx.execution?.error ?? ctx.state.lastError,
  };
}

export function recoveryMessage(ctx: MessageContext, downtimeMs: number | null): Alert {
  const down = downtimeMs === null ? 'Back up.' : `Back up after being down for ${formatDuration(downtimeMs)}.`;
  // Fewer than the quorum still fail: the workflow is up, and says from where it still fails.
  const still =
    ctx.state.partialSince !== null
      ? ` Still failing from ${locationList(ctx.state.failingLocations)} (below the quorum).`
      : '';
  return {
    ...base(ctx),
    kind: 'recovery',
    title: `Workflow Recovered: ${ctx.workflow.name}`,
    status: 'recovered',
    downtimeMs,
    message: down + still + throttledNote(ctx.throttled),
  };
}

export function reminderMessage(ctx: MessageContext): Alert {
  const since = ctx.state.downSince;
  const forHow = since
    ? ` for ${formatDuration(ctx.now.getTime() - since.getTime())} (since ${since.toISOString()})`
    : '';
  return {
    ...base(ctx),
    kind: 'reminder',
    title: `Still Failing: ${ctx.workflow.name}`,
    status: 'down',
    error: ctx.state.lastError,
    downtimeMs: since ? ctx.now.getTime() - since.getTime() : null,
    message: `Down${forHow}, ${ctx.state.consecutiveFailures} failed run(s) in a row.${throttledNote(ctx.throttled)}`,
  };
}

export function flakyMessage(ctx: MessageContext, stats: FlakeStats, rules: Rules['flaky']): Alert {
  return {
    ...base(ctx),
    kind: 'flaky',
    title: `Workflow Flaky: ${ctx.workflow.name}`,
    status: 'flaky',
    message:
      `${stats.flaky} of the last ${stats.runs} runs passed only on retry (${formatPercent((stats.rate ?? 0) * 100)}, ` +
      `threshold ${formatPercent(rules.threshold * 100)}). Not an outage: no failure alert is sent for these.`,
  };
}

export function flappingMessage(ctx: MessageContext, changes: number, rules: Rules['flapping']): Alert {
  return {
    ...base(ctx),
    kind: 'flapping',
    title: `Workflow Flapping: ${ctx.workflow.name}`,
    status: 'flapping',
    message:
      `${changes} changes between up and down within ${rules.windowMinutes} min. Quiet until it holds one state ` +
      `for ${rules.stableMinutes} min.`,
  };
}

/** Leaving FLAPPING: one message saying where it settled. */
export function stableMessage(ctx: MessageContext, rules: Rules['flapping']): Alert {
  const up = ctx.state.state !== 'down';
  const alert = up
    ? recoveryMessage(ctx, null)
    : failureMessage(ctx, `Stopped flapping and has been failing for ${rules.stableMinutes} min.`);
  return up
    ? {
        ...alert,
        title: `Workflow Stable: ${ctx.workflow.name}`,
        message: `Stopped flapping and has been passing for ${rules.stableMinutes} min.`,
      }
    : alert;
}

export function successMessage(ctx: MessageContext): Alert {
  return { ...base(ctx), kind: 'success', title: `Workflow Passed: ${ctx.workflow.name}`, status: 'passed' };
}

/** "Failing from <locations>": fewer than the quorum of locations fail; shown and noted once, no page. */
export function partialMessage(ctx: MessageContext, where: LocationVerdict | null): Alert {
  const failing = ctx.state.failingLocations;
  const quorum = where ? ` (quorum ${where.quorum} of ${where.active.length})` : '';
  return {
    ...base(ctx),
    kind: 'partial',
    priority: 'low',
    title: `Failing from ${locationList(failing)}: ${ctx.workflow.name}`,
    status: 'partial',
    message:
      `Failing from ${locationList(failing)}, passing from ${locationList(ctx.state.passingLocations)}: ` +
      `fewer locations than the quorum${quorum}, so not an outage. A DOWN alert follows if the quorum fails.`,
  };
}
