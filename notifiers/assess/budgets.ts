// Time budgets a workflow declares in its spec (`workflow({ budgets })` in fixtures/workflow.ts,
// carried as the `budgets` test annotation). A passing attempt that overruns one is DEGRADED:
// it worked, but slower than its owner said it may be. Pure: the reporter hands the annotation
// and the attempt in; assess-execution.ts records the verdict.
import { annotationTypes, budgetsSchema, type Budgets } from '../../core/workflow.ts';

export type BudgetParse = { ok: true; budgets: Budgets | null } | { ok: false; problem: string };

/** Budgets from a test's annotations; `budgets: null` when none are declared. */
export function budgetsFromAnnotations(
  annotations: readonly { type: string; description?: string | undefined }[],
): BudgetParse {
  const found = annotations.find((a) => a.type === annotationTypes.budgets);
  if (!found?.description) return { ok: true, budgets: null };
  let json: unknown;
  try {
    json = JSON.parse(found.description);
  } catch {
    return { ok: false, problem: 'the budgets annotation is not JSON' };
  }
  const parsed = budgetsSchema.safeParse(json);
  if (!parsed.success) {
    return {
      ok: false,
      problem: `invalid budgets annotation: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'budgets'} ${i.message}`).join('; ')}`,
    };
  }
  const b = parsed.data;
  return { ok: true, budgets: b.totalMs === undefined && (!b.steps || Object.keys(b.steps).length === 0) ? null : b };
}

export type BudgetOverrun = {
  scope: 'total' | 'step';
  /** The step title; null for the whole run. */
  title: string | null;
  budgetMs: number;
  actualMs: number;
};

export type BudgetCheck = {
  /** False when the attempt did not pass (a failure is not "degraded") or nothing is budgeted. */
  applies: boolean;
  overruns: BudgetOverrun[];
};

export type BudgetedAttempt = {
  status: string;
  durationMs: number;
  steps: readonly { title: string; durationMs: number }[];
};

/**
 * Compares a passing attempt with its budgets. A step budget covers every step with that title
 * (a step repeated in a loop spends its time together); a budgeted step that did not run is
 * not an overrun. Exceeding means strictly more than the budget.
 */
export function checkBudgets(budgets: Budgets | null, attempt: BudgetedAttempt): BudgetCheck {
  if (!budgets || attempt.status !== 'passed') return { applies: false, overruns: [] };
  const overruns: BudgetOverrun[] = [];
  if (budgets.totalMs !== undefined && attempt.durationMs > budgets.totalMs) {
    overruns.push({ scope: 'total', title: null, budgetMs: budgets.totalMs, actualMs: attempt.durationMs });
  }
  const spent = new Map<string, number>();
  for (const s of attempt.steps) spent.set(s.title, (spent.get(s.title) ?? 0) + s.durationMs);
  for (const [title, budgetMs] of Object.entries(budgets.steps ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
    const actualMs = spent.get(title);
    if (actualMs !== undefined && actualMs > budgetMs) overruns.push({ scope: 'step', title, budgetMs, actualMs });
  }
  return { applies: true, overruns };
}

/** "whole run 5.2 s > 4 s budget; step "Sign in" 2.6 s > 2 s" */
export function describeOverruns(overruns: readonly BudgetOverrun[]): string {
  return overruns
    .map((o) => `${o.scope === 'total' ? 'whole run' : `step "${o.title}"`} ${o.actualMs} ms > ${o.budgetMs} ms budget`)
    .join('; ');
}
