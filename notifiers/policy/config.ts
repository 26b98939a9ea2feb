// The alert policy from its variables (parsed by config/alert-policy.ts): the JSON ones checked
// against the policy's grammar, routes parsed, laid over the default rules. Every problem is
// reported at once, one line per variable, never by exiting: the caller decides (entry points
// exit 2 through config/parse-env.ts). Precedence: defaultPolicy < ALERT_POLICY (JSON) < the
// dedicated variables, when set.
import type { z } from 'zod';
import { loadPolicyVars, variableProblem } from '../../config/alert-policy.ts';
import { ConfigError } from '../../config/parse-env.ts';
import { maintenanceWindowsSchema } from './maintenance.ts';
import { parseRoutes } from './routing.ts';
import { defaultPolicy, mergePolicy, policyOverrideSchema, stackOverrides, type Policy } from './rules.ts';

/** The variables read here, for .env.example and the README. */
export { policyVariables } from '../../config/alert-policy.ts';

export type PolicyConfigResult = { ok: true; policy: Policy } | { ok: false; problems: string[] };

/** A JSON variable's value checked against the policy's grammar for it. */
function shaped<S extends z.ZodType>(
  name: string,
  schema: S,
  value: unknown,
  problems: string[],
): z.output<S> | undefined {
  if (value === undefined) return undefined;
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  problems.push(variableProblem(name, result.error));
  return undefined;
}

export function loadPolicyConfig(env: NodeJS.ProcessEnv, base: Policy = defaultPolicy): PolicyConfigResult {
  const { vars: parsed, problems } = loadPolicyVars(env);
  const windows = shaped('MAINTENANCE_WINDOWS', maintenanceWindowsSchema, parsed.MAINTENANCE_WINDOWS, problems);
  const override = shaped('ALERT_POLICY', policyOverrideSchema, parsed.ALERT_POLICY, problems);
  let policy = override ? mergePolicy(base, override) : base;
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
    maintenance: windows ?? policy.maintenance,
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
