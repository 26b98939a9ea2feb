// Every process reads process.env in one place and reports every problem at once, one line
// each, naming the variable; bad configuration exits with code 2 before anything starts.
import { z } from 'zod';

export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(problems.join('\n'));
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

export function formatIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    const name = issue.path.join('.') || '(environment)';
    return `${name}: ${issue.message}`;
  });
}

/** Parses `env` with `schema`, throwing a ConfigError with one line per problem. */
export function parseEnv<S extends z.ZodType>(schema: S, env: NodeJS.ProcessEnv): z.output<S> {
  const result = schema.safeParse(env);
  if (!result.success) throw new ConfigError(formatIssues(result.error));
  return result.data;
}

/** Prints a ConfigError the way every entry point does, and exits 2; rethrows anything else. */
export function exitOnConfigError(error: unknown, label = 'workflow-monitor'): never {
  if (error instanceof ConfigError) {
    for (const line of error.problems) process.stderr.write(`${label}: configuration error: ${line}\n`);
    process.exit(2);
  }
  throw error;
}

/** Empty strings count as unset, as in most .env files. */
export const optionalString = z.preprocess((v) => (v === '' ? undefined : v), z.string().optional());

export function intVar(defaultValue: number, { min = 0, max = Number.MAX_SAFE_INTEGER } = {}) {
  return z.preprocess(
    (v) => (v === undefined || v === '' ? defaultValue : v),
    z.coerce
      .number({ error: 'must be a whole number' })
      .int({ error: 'must be a whole number' })
      .min(min, { error: `must be at least ${min}` })
      .max(max, { error: `must be at most ${max}` }),
  );
}

/** A whole number in [min, max] when set; unset, empty or blank is undefined (for defaults kept elsewhere). */
export function optionalIntVar(min: number, max: number) {
  return z.preprocess(
    (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
    z.coerce
      .number({ error: 'must be a whole number' })
      .int({ error: 'must be a whole number' })
      .min(min, { error: `must be at least ${min}` })
      .max(max, { error: `must be at most ${max}` })
      .optional(),
  );
}

export function boolVar(defaultValue: boolean) {
  return z.preprocess(
    (v) => (v === undefined || v === '' ? String(defaultValue) : String(v).toLowerCase()),
    z
      .enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'must be true or false' })
      .transform((v) => v === 'true' || v === '1' || v === 'yes'),
  );
}

export const urlVar = z.preprocess(
  (v) => (v === '' ? undefined : v),
  z
    .string()
    .refine(
      (v) => {
        try {
          const u = new URL(v);
          return u.protocol === 'http:' || u.protocol === 'https:';
        } catch {
          return false;
        }
      },
      { error: 'must be an http(s) URL, e.g. http://localhost:3000' },
    )
    .optional(),
);
