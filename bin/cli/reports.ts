import { parseCommand } from './args.ts';
import { exists, repoPath, runNodeScript } from './node-script.ts';

const help = `
usage: workflow-monitor reports [options of reports/cli.ts]

Hourly and daily reports: delegates to reports/cli.ts (its own --help lists the options).
`;

export default async function reports(args: string[]): Promise<number> {
  const script = repoPath('reports', 'cli.ts');
  if (!(await exists(script))) {
    if (parseCommand(args, {}, help) === null) return 0;
    process.stderr.write('workflow-monitor reports: reports/cli.ts is not installed in this version\n');
    return 1;
  }
  // reports/cli.ts answers --help itself.
  return runNodeScript(script, args);
}
