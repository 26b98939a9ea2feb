import { parseCommand } from './args.ts';
import { exists, repoPath, runNodeScript } from './node-script.ts';

const help = `
usage: workflow-monitor reports [options of bin/reports.ts]

Hourly and daily reports: delegates to bin/reports.ts (its own --help lists the options).
`;

export default async function reports(args: string[]): Promise<number> {
  const script = repoPath('bin', 'reports.ts');
  if (!(await exists(script))) {
    if (parseCommand(args, {}, help) === null) return 0;
    process.stderr.write('workflow-monitor reports: bin/reports.ts is not installed in this version\n');
    return 1;
  }
  // bin/reports.ts answers --help itself.
  return runNodeScript(script, args);
}
