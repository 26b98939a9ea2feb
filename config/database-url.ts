// DATABASE_URL: checked for syntax with every other variable before anything starts, shown
// only with its password redacted, and a failure to reach it said in words: which URL, and
// whether it was unparseable, an unknown host, refused, a failed login or a missing database.
import { z } from 'zod';
import { parseEnv } from './parse-env.ts';

const protocols = new Set(['postgres:', 'postgresql:']);

/** `postgres://user:***@host:5432/db`: the password never shows; anything unparseable is not echoed. */
export function redactDatabaseUrl(value: string): string {
  try {
    const u = new URL(value);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(not a URL)';
  }
}

/** Why `value` is not a usable PostgreSQL URL, or null when it is one. */
export function databaseUrlProblem(value: string): string | null {
  const example = 'e.g. postgres://user:password@host:5432/database';
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    return `is not a URL (${example})`;
  }
  if (!protocols.has(u.protocol))
    return `must start with postgres:// or postgresql:// (got ${u.protocol}//; ${example})`;
  // A Unix socket is spelled postgres:///db?host=/var/run/postgresql.
  if (!u.hostname && !u.searchParams.get('host')) return `names no host (${example})`;
  if (u.pathname.length > 1 && u.pathname.slice(1).includes('/'))
    return `has more than a database name in its path (${redactDatabaseUrl(value)})`;
  return null;
}

/** DATABASE_URL in a zod environment schema: empty is unset; a bad value is one problem line. */
export const databaseUrlVar = z.preprocess(
  (v) => (v === '' ? undefined : v),
  z
    .string()
    .superRefine((v, ctx) => {
      const problem = databaseUrlProblem(v);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    })
    .optional(),
);

/** MONITOR_STATE_DIR: where the embedded server, artifacts and the outbox live; empty is unset. */
export const stateDirVar = z.preprocess((v) => (v === '' ? undefined : v), z.string().default('.monitor'));

/** The variables every process that opens the database reads, one schema for all of them. */
export const databaseVars = { DATABASE_URL: databaseUrlVar, MONITOR_STATE_DIR: stateDirVar };

/** DATABASE_URL alone (undefined: the embedded server); throws a ConfigError on a malformed one. */
export const loadDatabaseUrl = (env: NodeJS.ProcessEnv): string | undefined =>
  parseEnv(z.object({ DATABASE_URL: databaseUrlVar }), env).DATABASE_URL;

type Cause = {
  code?: unknown;
  message?: unknown;
  cause?: unknown;
  hostname?: unknown;
  address?: unknown;
  port?: unknown;
};

function chain(error: unknown): Cause[] {
  const out: Cause[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 6 && current && typeof current === 'object'; depth++) {
    out.push(current as Cause);
    current = (current as Cause).cause;
  }
  return out;
}

const firstLine = (text: string) => text.split('\n')[0]!.trim();

/** What went wrong reaching a PostgreSQL server, in words (no stack, no password). */
export function connectionFailure(error: unknown): string {
  const causes = chain(error);
  const code = causes.map((c) => c.code).find((c): c is string => typeof c === 'string') ?? '';
  const message = firstLine(String(causes.find((c) => typeof c.message === 'string' && c.message)?.message ?? error));
  switch (code) {
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_NONAME':
    case 'EAI_FAIL':
      return `host unknown (${message})`;
    case 'ECONNREFUSED':
      return `connection refused, is PostgreSQL running there? (${message})`;
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `host unreachable (${message})`;
    case 'ETIMEDOUT':
      return `no answer in time (${message})`;
    case 'ECONNRESET':
      return `the server closed the connection (${message})`;
    case '28P01':
    case '28000':
      return `authentication failed (${message})`;
    case '3D000':
      return `database missing (${message})`;
    case '42501':
      return `permission denied (${message})`;
    default:
      if (/timeout|timed out/i.test(message)) return `no answer in time (${message})`;
      if (/invalid url/i.test(message)) return 'unparseable URL';
      return message;
  }
}

/**
 * One line naming where the failure was: `DATABASE_URL (postgres://u:***@h/db): host unknown (...)`
 * when `url` is the configured DATABASE_URL, else the redacted URL alone.
 */
export function describeDatabaseFailure(error: unknown, url: string, env: NodeJS.ProcessEnv = process.env): string {
  const where =
    env.DATABASE_URL && env.DATABASE_URL === url
      ? `DATABASE_URL (${redactDatabaseUrl(url)})`
      : `the database ${redactDatabaseUrl(url)}`;
  return `${where}: ${connectionFailure(error)}`;
}

/** A failure to reach or prepare the database, its message already in words. */
export class DatabaseUnavailableError extends Error {
  /** Retrying will not help (a login or a database name is wrong). */
  readonly permanent: boolean;
  constructor(error: unknown, url: string, env: NodeJS.ProcessEnv = process.env) {
    super(describeDatabaseFailure(error, url, env), { cause: error });
    this.name = 'DatabaseUnavailableError';
    const code = chain(error)
      .map((c) => c.code)
      .find((c) => typeof c === 'string');
    this.permanent = code === '28P01' || code === '28000' || code === '3D000';
  }
}
