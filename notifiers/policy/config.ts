// The alert policy's environment. Every problem is reported at once, one line per variable,
// never by exiting: the caller decides (entry points exit 2 through config/parse-env.ts).
// Precedence: defaultPolicy < ALERT_POLICY (JSON) < the dedicated variables, when set.
import { z } from 'zod';
import { ConfigError } from '../../config/parse-env.ts';
import { maintenanceWindowsSchema } from './maintenance.ts';
import { parseRoutes } from './routing.ts';
import { defaultPolicy, mergePolicy, policyOverrideSchema, stackOverrides, type Policy } from './rules.ts';

/** The variables read here, for .env.example and the README. */
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

export type PolicyConfigResult = { ok: true; policy: Policy } | { ok: false; problems: string[] };

const unset = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

const optionalInt = (min: number, max: number) =>
  z.preprocess(
    unset,
    z.coerce
      .number({ error: 'must be a whole number' })
      .int({ error: 'must be a whole number' })
      .min(min, { error: `must be at least ${min}` })
      .max(max, { error: `must be at most ${max}` })
      .optional(),
  );

const optionalBool = z.preprocess(
  (v) => (unset(v) === undefined ? undefined : String(v).trim().toLowerCase()),
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'must be true or false' })
    .transform((v) => ['true', '1', 'yes'].includes(v))
    .optional(),
);

/** JSON text in a variable; unset or empty is undefined. */
const jsonText = <S extends z.ZodType>(schema: S) =>
  z.preprocess((v, ctx) => {
    if (unset(v) === undefined) return undefined;
    try {
      return JSON.parse(String(v)) as unknown;
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: `is not valid JSON (${(error as Error).message})` });
      return z.NEVER;
    }
  }, schema.optional());

const schemas = {
  ALERT_REMINDER_MINUTES: optionalInt(0, 7 * 24 * 60),
  NOTIFY_ON_SUCCESS: optionalBool,
  ALERT_ROUTES: z.preprocess(unset, z.string().optional()),
  ALERT_MAX_PER_HOUR: optionalInt(1, 100_000),
  ALERT_MAX_PER_DAY: optionalInt(1, 1_000_000),
  MAINTENANCE_WINDOWS: jsonText(maintenanceWindowsSchema),
  ALERT_POLICY: jsonText(policyOverrideSchema),
} satisfies Record<Variable, z.ZodType>;

type Parsed = { [K in Variable]?: z.output<(typeof schemas)[K]> };

function oneLine(name: string, error: z.ZodError): string {
  return `${name}: ${error.issues.map((i) => (i.path.length > 0 ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; ')}`;
}

export function loadPolicyConfig(env: NodeJS.ProcessEnv, base: Policy = defaultPolicy): PolicyConfigResult {
  const problems: string[] = [];
  const parsed: Parsed = {};
  for (const name of policyVariables) {
    const result = schemas[name].safeParse(env[name]);
    if (result.success) (parsed as Record<string, unknown>)[name] = result.data;
    else problems.push(oneLine(name, result.error));
  }
  let policy = parsed.ALERT_POLICY ? mergePolicy(base, parsed.ALERT_POLICY) : base;
  if (parsed.ALERT_ROUTES !== undefined) {
    const routes = parseRoutes(parsed.ALERT_ROUTES);
    if (routes.ok) policy = { ...policy, routes: { ...policy.routes, ...routes.routes } };
    else problems.push(`ALERT_ROUTES: ${routes.problems.join('; ')}`);
  }
  if (parsed.ALERT_REMINDER_MINUTES !== undefined)
    policy = { ...policy, rules: { ...policy.rules, reminderMinutes: parsed.ALERT_REMINDER_MINUTES } };
  if (parsed.NOTIFY_ON_SUCCESS !== undefined) {
    // The runbook's success notices are for critical workflows only.
    const critical = stackOverrides(policy.byPriority.critical, { notifyOnSuccess: parsed.NOTIFY_ON_SUCCESS });
    policy = { ...policy, byPriority: { ...policy.byPriority, critical } };
  }
  policy = {
    ...policy,
    throttle: {
      maxPerHour: parsed.ALERT_MAX_PER_HOUR ?? policy.throttle.maxPerHour,
      maxPerDay: parsed.ALERT_MAX_PER_DAY ?? policy.throttle.maxPerDay,
    },
    maintenance: parsed.MAINTENANCE_WINDOWS ?? policy.maintenance,
  };
  if (policy.throttle.maxPerDay < policy.throttle.maxPerHour && parsed.ALERT_MAX_PER_DAY !== undefined) {
    problems.push(`ALERT_MAX_PER_DAY: must be at least ALERT_MAX_PER_HOUR (${policy.throttle.maxPerHour})`);
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, policy };
}

/** For entry points that follow config/parse-env.ts: throws a ConfigError (-> exitOnConfigError). */
export function parsePolicyConfig(env: NodeJS.ProcessEnv): Policy {
  const result = loadPolicyConfig(env);
  if (!result.ok) throw new ConfigError(result.problems);
  return result.policy;
}
