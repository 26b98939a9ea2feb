import { exactTagGrep } from '../../core/workflow.ts';
import { parseCommand } from './args.ts';
import { runLoadingSuite } from './playwright-run.ts';

const help = `
usage: workflow-monitor critical [-- <playwright options>]

Runs every workflow tagged @critical now (exact tag: @critical-path is not included), recorded.
Anything after -- goes to playwright test (a --reporter there is added to the monitor reporter).
`;

export default async function critical(args: string[]): Promise<number> {
  const sep = args.indexOf('--');
  const parsed = parseCommand(sep === -1 ? args : args.slice(0, sep), {}, help);
  if (parsed === null) return 0;
  if (parsed === 'error') return 1;
  return runLoadingSuite('critical', [
    '--grep',
    exactTagGrep(['critical']),
    ...(sep === -1 ? [] : args.slice(sep + 1)),
  ]);
}
