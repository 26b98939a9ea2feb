// The workflow contract every folder shares: what a spec declares with `workflow()`
// (fixtures/workflow.ts), how it travels (exact tags and annotations), and how the reporter,
// the daemon and the assessment read it back.
import { z } from 'zod';
import { cronProblem } from './cron.ts';
import { locationPattern, locationRule } from './locations.ts';

export const priorities = ['critical', 'high', 'medium', 'low'] as const;
export type Priority = (typeof priorities)[number];

export const isPriority = (value: string): value is Priority => (priorities as readonly string[]).includes(value);

/** Workflow ids and extra tags: kebab-case. */
export const slugPattern = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** Annotation types the reporter, the daemon and the dashboard read back. */
export const annotationTypes = {
  workflow: 'workflow',
  priority: 'priority',
  schedule: 'schedule',
  type: 'workflow-type',
  budgets: 'budgets',
  /** The locations it runs from, comma-separated (absent: every active location). */
  locations: 'locations',
} as const;

/** JSON attachments the fixtures hand the reporter (`testInfo.attach`). */
export const attachmentNames = {
  metrics: 'workflow-metrics',
  health: 'health-payload',
  evidence: 'workflow-evidence',
  evidenceEvent: 'workflow-evidence-event',
} as const;

/** Time budgets: an execution that passes but exceeds one is recorded as degraded. */
export const budgetsSchema = z
  .object({
    totalMs: z.number().int().positive().optional(),
    steps: z.record(z.string().min(1), z.number().int().positive()).optional(),
  })
  .strict();
export type Budgets = z.infer<typeof budgetsSchema>;

export const workflowDetailsSchema = z
  .object({
    id: z
      .string()
      .regex(slugPattern, { error: 'must be kebab-case, e.g. "user-login"' })
      .refine((id) => !isPriority(id), { error: 'must not be a priority name' }),
    priority: z.enum(priorities, { error: `must be one of ${priorities.join(', ')}` }),
    schedule: z.string().superRefine((value, ctx) => {
      const problem = cronProblem(value);
      if (problem) ctx.addIssue({ code: 'custom', message: `"${value}" is not a valid cron expression (${problem})` });
    }),
    /** A coarse category for reports, like the runbook's workflow types. */
    type: z
      .string()
      .regex(/^[A-Z_]+$/, { error: 'must be UPPER_SNAKE_CASE, e.g. "AUTHENTICATION"' })
      .default('GENERAL'),
    /** Extra tags (without "@") for grouping, routing and maintenance windows. */
    tags: z.array(z.string().regex(slugPattern, { error: 'tags must be kebab-case' })).default([]),
    budgets: budgetsSchema.optional(),
    /** Where it runs from (issue 16); absent: every active location. */
    locations: z
      .array(z.string().regex(locationPattern, { error: `locations must be location names: ${locationRule}` }))
      .min(1, { error: 'must name at least one location (leave it out to run from every location)' })
      .optional(),
  })
  .strict();

export type WorkflowInput = z.input<typeof workflowDetailsSchema>;
export type WorkflowDetails = z.output<typeof workflowDetailsSchema>;

/** One-line error so that a bad spec fails the load with a message, not a wall of stack. */
export class WorkflowDefinitionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WorkflowDefinitionError';
    this.stack = `${this.name}: ${message}`;
  }
}

export function parseWorkflow(input: unknown): WorkflowDetails {
  const result = workflowDetailsSchema.safeParse(input);
  if (result.success) return result.data;
  const id = typeof (input as { id?: unknown })?.id === 'string' ? `"${(input as { id: string }).id}"` : '(no id)';
  const problems = result.error.issues.map((i) => `${i.path.join('.') || 'details'} ${i.message}`);
  throw new WorkflowDefinitionError(`workflow(${id}) is invalid: ${problems.join('; ')}`);
}

/**
 * A --grep pattern that matches these tags exactly: `@critical` never matches `@critical-path`
 * (Playwright's own `--grep @critical` would).
 */
export function exactTagGrep(tags: readonly string[]): string {
  const escaped = tags.map((t) => (t.startsWith('@') ? t : `@${t}`).replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return `(?:${escaped.join('|')})(?![-\\w])`;
}
