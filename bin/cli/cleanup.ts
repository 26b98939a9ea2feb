import { parseCommand } from './args.ts';
import { repoPath, runNodeScript } from './node-script.ts';

const help = `
usage: workflow-monitor cleanup [--days N] [--json]

Applies the retention tiers now (the daemon does it daily): raw rows older than N days
(default RETENTION_DAYS, 30), aggregates AGGREGATE_RETENTION_DAYS, artifacts ARTIFACT_RETENTION_DAYS. Prints what was removed (--json: as JSON).
`;

export default async function cleanup(args: string[]): Promise<number> {
  const parsed = parseCommand(args, { days: { type: 'string' }, json: { type: 'boolean' } }, help);
  if (parsed === null) return 0;
  if (parsed === 'error') return 1;
  return runNodeScript(repoPath('bin', 'db-cleanup.ts'), [
    ...(parsed.values.days ? ['--days', parsed.values.days] : []),
    ...(parsed.values.json ? ['--json'] : []),
  ]);
}
