import { copyFile } from 'node:fs/promises';
import { ensureBrowser } from '../ensure-browser.ts';
import { parseCommand } from './args.ts';
import { databaseUrl } from './database.ts';
import { exists, repoPath } from './node-script.ts';

const help = `
usage: workflow-monitor setup

Gets a machine ready: finds (or installs) a Chromium, creates .env from .env.example when there is
none, starts the embedded PostgreSQL (unless DATABASE_URL is set) and applies the migrations.
Safe to run again.
`;

export default async function setup(args: string[]): Promise<number> {
  const parsed = parseCommand(args, {}, help);
  if (parsed === null) return 0;
  if (parsed === 'error') return 1;
  process.stdout.write(`browser: ${ensureBrowser()}\n`);
  const env = repoPath('.env');
  if (await exists(env)) process.stdout.write('.env: present, left as is\n');
  else {
    await copyFile(repoPath('.env.example'), env);
    process.stdout.write('.env: created from .env.example; fill in your webhooks and BASE_URL\n');
  }
  try {
    const url = await databaseUrl();
    process.stdout.write(`database: ready and migrated (${new URL(url).host})\n`);
  } catch (error) {
    process.stderr.write(`database: ${(error as Error).message}\n`);
    return 1;
  }
  process.stdout.write('\nnext: npm run test:notifications, then npm run monitor:daemon (or monitor:daemon:pm2)\n');
  return 0;
}
