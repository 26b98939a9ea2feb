// Where the `playwright` command lives: the project's own @playwright/test, run by this Node.
import { createRequire } from 'node:module';
import path from 'node:path';

export const repoRoot = path.resolve(import.meta.dirname, '..');

export function playwrightCli(): string {
  return createRequire(import.meta.url).resolve('@playwright/test/cli');
}
