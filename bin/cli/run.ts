import { exactTagGrep } from '../../fixtures/workflow.ts';
import { parseCommand } from './args.ts';
import { runPlaywrightTest } from './playwright-run.ts';

const help = `
usage: workflow-monitor run <workflow-id...> [-- <playwright options>]
       workflow-monitor run --grep <pattern>

Runs the given workflows now, recorded like scheduled runs (MONITOR_TRIGGER=manual).
Ids are matched exactly (@user-login never matches @user-login-sso); --grep is passed to
Playwright as is. Anything after -- goes to playwright test (e.g. -- --headed --retries 0).
`;

export default async function run(args: string[]): Promise<number> {
  const sep = args.indexOf('--');
  const own = sep === -1 ? args : args.slice(0, sep);
  const extra = sep === -1 ? [] : args.slice(sep + 1);
  const parsed = parseCommand(own, { grep: { type: 'string' } }, help);
  if (parsed === null) return 0;
  if (parsed === 'error') return 1;
  const ids = parsed.positionals;
  if (!parsed.values.grep && ids.length === 0) {
    process.stderr.write(`give workflow ids or --grep\n${help}`);
    return 1;
  }
  const grep = parsed.values.grep ?? exactTagGrep(ids);
  return runPlaywrightTest(['--grep', grep, ...extra]);
}
