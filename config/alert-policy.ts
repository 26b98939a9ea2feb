// The alert policy's variables, each parsed on its own so that every problem is one line naming
// it. The two JSON variables are checked here for JSON only: their shape is the policy's own
// grammar (notifiers/policy/maintenance.ts, rules.ts), which notifiers/policy/config.ts applies,
// with the default rules and the precedence (defaults < ALERT_POLICY < the dedicated variables).
import { z } from 'zod';
import { optionalIntVar } from './parse-env.ts';

export const policyVariables = [
  'ALERT_REMINDER_MINUTES',
  'NOTIFY_ON_SUCCESS',
  'ALERT_ROUTES',
  'ALERT_MAX_PER_HOUR',
  'ALERT_MAX_PER_DAY',
  'MAINTENANCE_WINDOWS',
  'ALERT_POLICY',
] as const;
type Variable = (typeof policyVariables)[number];

const unset = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

const optionalBool = z.preprocess(
  (v) => (unset(v) === undefined ? undefined : String(v).trim().toLowerCase()),
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'must be true or false' })
    .transform((v) => ['true', '1', 'yes'].includes(v))
    .optional(),
);

/** JSON text in a variable; unset or empty is undefined. */
const jsonText = z.preprocess((v, ctx) => {
  if (unset(v) === undefined) return undefined;
  try {
    return JSON.parse(String(v)) as unknown;
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: `is not valid JSON (${(error as Error).message})` });
    return z.NEVER;
  }
}, z.unknown());

const schemas = {
  ALERT_REMINDER_MINUTES: optionalIntVar(0, 7 * 24 * 60),
  NOTIFY_ON_SUCCESS: optionalBool,
  ALERT_ROUTES: z.preprocess(unset, z.string().optional()),
  ALERT_MAX_PER_HOUR: optionalIntVar(1, 100_000),
  ALERT_MAX_PER_DAY: optionalIntVar(1, 1_000_000),
  /** JSON, its shape checked by the policy (maintenanceWindowsSchema). */
  MAINTENANCE_WINDOWS: jsonText,
  /** JSON, its shape checked by the policy (policyOverrideSchema). */
  ALERT_POLICY: jsonText,
} satisfies Record<Variable, z.ZodType>;

export type PolicyVars = { [K in Variable]?: z.output<(typeof schemas)[K]> };

/** `NAME: message` or `NAME: path: message; ...`: one line for a variable's every issue. */
export function variableProblem(name: string, error: z.ZodError): string {
  return `${name}: ${error.issues.map((i) => (i.path.length > 0 ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; ')}`;
}

/** The variables that parsed, and one line per one that did not. */
export function loadPolicyVars(env: NodeJS.ProcessEnv): { vars: PolicyVars; problems: string[] } {
  const problems: string[] = [];
  const vars: PolicyVars = {};
  for (const name of policyVariables) {
    const result = schemas[name].safeParse(env[name]);
    if (result.success) (vars as Record<string, unknown>)[name] = result.data;
    else problems.push(variableProblem(name, result.error));
  }
  return { vars, problems };
}
