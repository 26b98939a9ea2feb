// The policy bound to one configuration: the pure decisions transaction.ts takes under its
// locks (classify, evaluate, fold, throttle) and how a held alert is stored and revived.
import type { AlertEngine } from '../../core/alerts.ts';
import type { Alert } from '../alert.ts';
import { channelTypes, type ChannelType } from '../../core/alerts.ts';
import { plainText } from '../format.ts';
import { truncate } from '../limits.ts';
import { classifyAttempt } from './classify.ts';
import { inMaintenance } from './maintenance.ts';
import { allRuleSets, type Policy } from './rules.ts';
import { foldStorm } from './storm.ts';
import { throttleRule } from './throttle.ts';
import { evaluate } from './transitions.ts';

export type PolicyEngine = AlertEngine<Alert, ChannelType>;

const asDate = (v: unknown): Date => new Date(v as string);

/** Held alerts wait in jsonb; their dates come back as strings. */
export function reviveAlert(value: unknown): Alert {
  const a = value as Alert;
  return {
    ...a,
    at: asDate(a.at),
    ...(a.items ? { items: a.items.map((i) => ({ ...i, at: i.at ? asDate(i.at) : null })) } : {}),
    ...(a.report
      ? { report: { ...a.report, periodStart: asDate(a.report.periodStart), periodEnd: asDate(a.report.periodEnd) } }
      : {}),
  };
}

export function createPolicyEngine(policy: Policy): PolicyEngine {
  const sets = allRuleSets(policy);
  const historyRuns = Math.max(
    50,
    ...sets.flatMap((r) => [
      r.flaky.windowRuns,
      r.down.consecutiveFailures,
      r.down.windowFailures * 4,
      r.up.consecutivePasses,
    ]),
  );
  return {
    channels: channelTypes,
    classify: classifyAttempt,
    evaluate: (state, event, history, now) => evaluate(state, event, history, policy, now),
    inMaintenance: (state, now) => inMaintenance(policy.maintenance, { id: state.workflowId, tags: state.tags }, now),
    fold: (batch, context, now) => foldStorm(batch, policy.storm, context, now),
    throttle: throttleRule(policy.throttle),
    summarize: (alert) => ({
      kind: alert.kind,
      priority: alert.priority,
      workflowId: alert.workflow?.id ?? null,
      runId: alert.runId ?? null,
      title: alert.title,
      message: truncate(plainText(alert), 8000),
    }),
    toJson: (alert) => JSON.parse(JSON.stringify(alert)) as unknown,
    fromJson: reviveAlert,
    holdMs: policy.storm.holdSeconds * 1000,
    historyRuns: Math.min(historyRuns, 1000),
  };
}
