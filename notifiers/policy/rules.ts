// The alert policy's knobs, with every default in one visible object. Rules can be overridden
// per priority and per workflow tag; later layers win: defaults < priority < tags (sorted).
import { z } from 'zod';
import { priorities, type Priority } from '../../core/workflow.ts';
import { channelTypes, type ChannelType } from '../../core/alerts.ts';
import type { MaintenanceWindow } from './maintenance.ts';
import { quorumSchema, type QuorumRule } from './quorum.ts';

export type Rules = {
  /** UP -> DOWN after this many consecutive failed runs, or `windowFailures` within `windowMinutes`. */
  down: { consecutiveFailures: number; windowFailures: number; windowMinutes: number };
  /** DOWN -> UP after this many consecutive passing runs (a pass on retry counts as a pass). */
  up: { consecutivePasses: number };
  /** 0 turns reminders off. */
  reminderMinutes: number;
  /** Share of runs that passed only on retry, over the last `windowRuns` runs (at least `minRuns`). */
  flaky: { threshold: number; clearBelow: number; windowRuns: number; minRuns: number };
  /** More than `maxChanges` UP/DOWN changes within `windowMinutes` is FLAPPING, until stable for `stableMinutes`. */
  flapping: { maxChanges: number; windowMinutes: number; stableMinutes: number };
  /** A notice for every passing run (NOTIFY_ON_SUCCESS turns it on for critical workflows). */
  notifyOnSuccess: boolean;
  /** DOWN when at least this many of the workflow's active locations fail (quorum.ts); fewer: "failing from". */
  quorum: QuorumRule;
};

export type RulesOverride = {
  down?: Partial<Rules['down']>;
  up?: Partial<Rules['up']>;
  reminderMinutes?: number;
  flaky?: Partial<Rules['flaky']>;
  flapping?: Partial<Rules['flapping']>;
  notifyOnSuccess?: boolean;
  quorum?: QuorumRule;
};

export type StormRules = {
  /** How long a DOWN alert waits for others of the same run or minute; 0 sends at once (no folding). */
  holdSeconds: number;
  /** A channel that would get at least this many DOWN alerts (or reminders) at once gets one digest. */
  minWorkflows: number;
  /** "Target unreachable" needs at least this many workflows failing with network errors. */
  unreachableMinWorkflows: number;
};

export type Routes = Record<Priority, readonly ChannelType[]>;
export type ThrottleLimits = { maxPerHour: number; maxPerDay: number };

export type Policy = {
  rules: Rules;
  byPriority: Partial<Record<Priority, RulesOverride>>;
  /** Keys are tags with or without the leading @. */
  byTag: Record<string, RulesOverride>;
  storm: StormRules;
  routes: Routes;
  maintenance: readonly MaintenanceWindow[];
  throttle: ThrottleLimits;
};

/** The runbook's routing, a documented example of ALERT_ROUTES (not the default). */
export const exampleRoutes: Routes = {
  critical: ['slack', 'pagerduty'],
  high: ['slack'],
  medium: ['discord'],
  low: ['email'],
};
export const exampleRoutesText = 'critical=slack+pagerduty,high=slack,medium=discord,low=email';

export const defaultPolicy: Policy = {
  rules: {
    down: { consecutiveFailures: 2, windowFailures: 3, windowMinutes: 15 },
    up: { consecutivePasses: 2 },
    reminderMinutes: 60,
    flaky: { threshold: 0.2, clearBelow: 0.1, windowRuns: 20, minRuns: 10 },
    flapping: { maxChanges: 3, windowMinutes: 60, stableMinutes: 30 },
    notifyOnSuccess: false,
    quorum: 'majority',
  },
  byPriority: {
    // A critical journey pages on the first failed run and clears on the first pass.
    critical: { down: { consecutiveFailures: 1 }, up: { consecutivePasses: 1 } },
  },
  byTag: {},
  storm: { holdSeconds: 30, minWorkflows: 3, unreachableMinWorkflows: 2 },
  // Every configured channel hears every alert; ALERT_ROUTES narrows it (see exampleRoutes).
  routes: { critical: [...channelTypes], high: [...channelTypes], medium: [...channelTypes], low: [...channelTypes] },
  maintenance: [],
  throttle: { maxPerHour: 10, maxPerDay: 100 },
};

const count = (min: number) => z.number().int().min(min);
const share = z.number().min(0).max(1);

export const rulesOverrideSchema = z.strictObject({
  down: z
    .strictObject({ consecutiveFailures: count(1), windowFailures: count(1), windowMinutes: count(1) })
    .partial()
    .optional(),
  up: z
    .strictObject({ consecutivePasses: count(1) })
    .partial()
    .optional(),
  reminderMinutes: count(0).optional(),
  flaky: z
    .strictObject({ threshold: share, clearBelow: share, windowRuns: count(1), minRuns: count(1) })
    .partial()
    .optional(),
  flapping: z
    .strictObject({ maxChanges: count(1), windowMinutes: count(1), stableMinutes: count(1) })
    .partial()
    .optional(),
  notifyOnSuccess: z.boolean().optional(),
  quorum: quorumSchema.optional(),
});

export const channelListSchema = z.array(z.enum(channelTypes));

/** What ALERT_POLICY may hold: any part of the policy except maintenance and throttling. */
export const policyOverrideSchema = z.strictObject({
  rules: rulesOverrideSchema.optional(),
  byPriority: z.partialRecord(z.enum(priorities), rulesOverrideSchema).optional(),
  byTag: z.record(z.string().min(1), rulesOverrideSchema).optional(),
  storm: z
    .strictObject({ holdSeconds: count(0), minWorkflows: count(2), unreachableMinWorkflows: count(1) })
    .partial()
    .optional(),
  routes: z.partialRecord(z.enum(priorities), channelListSchema).optional(),
});
export type PolicyOverride = z.infer<typeof policyOverrideSchema>;

export function mergeRules(base: Rules, o: RulesOverride | undefined): Rules {
  if (!o) return base;
  return {
    down: { ...base.down, ...o.down },
    up: { ...base.up, ...o.up },
    reminderMinutes: o.reminderMinutes ?? base.reminderMinutes,
    flaky: { ...base.flaky, ...o.flaky },
    flapping: { ...base.flapping, ...o.flapping },
    notifyOnSuccess: o.notifyOnSuccess ?? base.notifyOnSuccess,
    quorum: o.quorum ?? base.quorum,
  };
}

/** Stacks two overrides so that `top` wins field by field. */
export function stackOverrides(bottom: RulesOverride | undefined, top: RulesOverride | undefined): RulesOverride {
  return {
    ...bottom,
    ...top,
    down: { ...bottom?.down, ...top?.down },
    up: { ...bottom?.up, ...top?.up },
    flaky: { ...bottom?.flaky, ...top?.flaky },
    flapping: { ...bottom?.flapping, ...top?.flapping },
  };
}

export function mergePolicy(base: Policy, o: PolicyOverride): Policy {
  const byPriority = { ...base.byPriority };
  for (const p of priorities) if (o.byPriority?.[p]) byPriority[p] = stackOverrides(byPriority[p], o.byPriority[p]);
  const byTag = { ...base.byTag };
  for (const [tag, rules] of Object.entries(o.byTag ?? {}))
    byTag[normalizeTag(tag)] = stackOverrides(byTag[normalizeTag(tag)], rules);
  return {
    ...base,
    rules: mergeRules(base.rules, o.rules),
    byPriority,
    byTag,
    storm: { ...base.storm, ...o.storm },
    routes: { ...base.routes, ...o.routes },
  };
}

export function normalizeTag(tag: string): string {
  return tag.startsWith('@') ? tag : `@${tag}`;
}

/** The rules that apply to one workflow. */
export function resolveRules(policy: Policy, priority: Priority, tags: readonly string[]): Rules {
  let rules = mergeRules(policy.rules, policy.byPriority[priority]);
  const byTag = new Map(Object.entries(policy.byTag).map(([tag, o]) => [normalizeTag(tag), o]));
  for (const tag of [...new Set(tags.map(normalizeTag))].sort()) rules = mergeRules(rules, byTag.get(tag));
  return rules;
}

/** Every rule set any workflow may get: bounds for how much history the database reads. */
export function allRuleSets(policy: Policy): Rules[] {
  const sets = [policy.rules];
  for (const p of priorities) sets.push(resolveRules(policy, p, []));
  for (const tag of Object.keys(policy.byTag)) for (const p of priorities) sets.push(resolveRules(policy, p, [tag]));
  return sets;
}
