// Building blocks for the alert channels' and delivery's environment schemas (alert-channels.ts,
// alert-delivery.ts). Messages name what is wrong but never echo the value: a mistyped webhook URL
// is still a secret.
import { z } from 'zod';

export { boolVar, intVar, optionalString } from './parse-env.ts';

function isHttpUrl(value: string): boolean {
  try {
    const u = new URL(value);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}

/** An optional http(s) URL; empty counts as unset. */
export function urlVar(example: string) {
  return z.preprocess(
    (v) => (typeof v === 'string' ? (v.trim() === '' ? undefined : v.trim()) : v),
    z
      .string()
      .refine(isHttpUrl, { error: `must be an http(s) URL like ${example}` })
      .optional(),
  );
}

/** true/false when set, undefined when not: for defaults that depend on other variables. */
export const optionalBoolVar = z.preprocess(
  (v) => (v === undefined || v === '' ? undefined : String(v).toLowerCase()),
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'must be true or false' })
    .transform((v) => v === 'true' || v === '1' || v === 'yes')
    .optional(),
);

/** "a@x.org, b@y.org" → ["a@x.org", "b@y.org"]. */
export const addressListVar = z.preprocess(
  (v) =>
    typeof v === 'string' && v.trim() !== ''
      ? v
          .split(/[,;]/)
          .map((s) => s.trim())
          .filter(Boolean)
      : undefined,
  z
    .array(
      z
        .string()
        .regex(/^[^\s@]+@[^\s@]+$|^.+<[^\s@]+@[^\s@]+>$/, { error: 'must be e-mail addresses separated by commas' }),
    )
    .optional(),
);

/**
 * For cross-variable checks: run them even when a single variable already failed, so that
 * every problem is reported at once.
 */
export const always = { when: () => true };

/** A problem on one variable, reported by a channel schema's cross-field checks. */
export function problem(ctx: z.RefinementCtx, variable: string, message: string): void {
  ctx.addIssue({ code: 'custom', path: [variable], message });
}

/** A channel's own variables belong with its key variable: each one set while `key` is not is a problem. */
export function onlyWith<E extends Record<string, unknown>>(
  ctx: z.RefinementCtx,
  env: E,
  key: keyof E & string,
  variables: readonly (keyof E & string)[],
): void {
  if (env[key]) return;
  for (const name of variables) if (env[name]) problem(ctx, name, `is set but ${key} is not`);
}
