import { parseCommand } from './args.ts';
import { repoPath, runNodeScript } from './node-script.ts';

const help = `
usage: workflow-monitor db migrate

Applies the database migrations (starting the embedded PostgreSQL when DATABASE_URL is unset).
`;

export default async function db(args: string[]): Promise<number> {
  const parsed = parseCommand(args, {}, help);
  if (parsed === null) return 0;
  if (parsed === 'error') return 1;
  if (parsed.positionals[0] !== 'migrate' || parsed.positionals.length !== 1) {
    process.stderr.write(help.trimStart());
    return 1;
  }
  return runNodeScript(repoPath('bin', 'db-migrate.ts'), []);
}
