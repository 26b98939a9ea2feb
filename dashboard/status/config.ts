// The public status page's environment (STATUS_PAGE_*), read the way every process reads its
// variables (config/parse-env.ts): one line per problem naming the variable, exit 2 by the caller.
import { z } from 'zod';
import { boolVar, optionalString, parseEnv, urlVar } from '../../config/parse-env.ts';

export type StatusGroup = { name: string; workflows: string[] };
export type StatusPageConfig = {
  title: string;
  description: string | null;
  logoUrl: string | null;
  /** Null: one group per priority. */
  groups: StatusGroup[] | null;
  /** The status routes answer without DASHBOARD_TOKEN. */
  public: boolean;
};

const groupName = /^[^=;+]+$/;
const workflowId = /^[a-z0-9][a-z0-9-]*$/;

/** `Shopping=order-placement+product-listing;Accounts=user-login` into groups, or the first problem. */
export function parseGroups(text: string): { ok: true; groups: StatusGroup[] } | { ok: false; problem: string } {
  const groups: StatusGroup[] = [];
  for (const part of text
    .split(';')
    .map((p) => p.trim())
    .filter((p) => p !== '')) {
    const eq = part.indexOf('=');
    const name = eq < 0 ? '' : part.slice(0, eq).trim();
    const ids =
      eq < 0
        ? []
        : part
            .slice(eq + 1)
            .split('+')
            .map((w) => w.trim());
    if (!name || !groupName.test(name)) return { ok: false, problem: `"${part}" must be Name=workflow-id+workflow-id` };
    const bad = ids.find((w) => !workflowId.test(w));
    if (ids.length === 0 || bad !== undefined)
      return {
        ok: false,
        problem: `group "${name}" needs workflow ids (lower case, digits, dashes) joined by +, got "${bad ?? ''}"`,
      };
    if (groups.some((g) => g.name === name)) return { ok: false, problem: `group "${name}" is named twice` };
    groups.push({ name, workflows: ids });
  }
  if (groups.length === 0) return { ok: false, problem: 'names no group; leave it unset for one group per priority' };
  return { ok: true, groups };
}

const schema = z.object({
  STATUS_PAGE_TITLE: optionalString,
  STATUS_PAGE_DESCRIPTION: optionalString,
  STATUS_PAGE_LOGO_URL: urlVar,
  STATUS_PAGE_GROUPS: optionalString.transform((v, ctx) => {
    if (v === undefined) return null;
    const parsed = parseGroups(v);
    if (parsed.ok) return parsed.groups;
    ctx.addIssue({ code: 'custom', message: parsed.problem });
    return z.NEVER;
  }),
  STATUS_PAGE_PUBLIC: boolVar(false),
});

/** Throws a ConfigError (one line per variable) on bad values. */
export function parseStatusPageConfig(env: NodeJS.ProcessEnv): StatusPageConfig {
  const c = parseEnv(schema, env);
  return {
    title: c.STATUS_PAGE_TITLE ?? 'Service status',
    description: c.STATUS_PAGE_DESCRIPTION ?? null,
    logoUrl: c.STATUS_PAGE_LOGO_URL ?? null,
    groups: c.STATUS_PAGE_GROUPS,
    public: c.STATUS_PAGE_PUBLIC,
  };
}
