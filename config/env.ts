// The process's environment, read here and nowhere else in product code (an ESLint rule keeps it
// so): entry points take it once with `processEnv()` and hand it down; a child process gets its
// environment from `childEnv()`, this process's plus the overrides the caller names.

export type Env = NodeJS.ProcessEnv;

/** This process's environment (after `.env` is loaded, see dotenv.ts). */
export function processEnv(): Env {
  return process.env;
}

/**
 * The environment for a child process: `base` (this process's by default) with `overrides` on
 * top; an override set to undefined takes the variable away (Node leaves undefined values out).
 */
export function childEnv(overrides: Env = {}, base: Env = process.env): Env {
  return { ...base, ...overrides };
}
