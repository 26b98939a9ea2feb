import { exactTagGrep } from '../../core/workflow.ts';
import { listSuite } from '../../scheduler/discover.ts';
import { parseCommand } from './args.ts';
import { loadingFileFilters, runPlaywrightTest } from './playwright-run.ts';
import { processEnv } from '../../config/env.ts';

const help = `
usage: workflow-monitor run <workflow-id...> [-- <playwright options>]
       workflow-monitor run --grep <pattern>

Runs the given workflows now, recorded like scheduled runs (MONITOR_TRIGGER=manual).
Ids are matched exactly (@user-login never matches @user-login-sso); an id that names no
workflow is an error (exit 2, the ids that exist listed, nothing run or recorded). --grep is
passed to Playwright as is. Anything after -- goes to playwright test (e.g. -- --headed
--retries 0; a --reporter there is added to the monitor reporter, it does not replace it).
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
  const suite = await listSuite({ env: processEnv() });
  const files = loadingFileFilters(suite, 'run');
  if (!parsed.values.grep) {
    const known = suite.workflows.map((w) => w.id);
    const unknown = ids.filter((id) => !known.includes(id));
    if (unknown.length) {
      for (const id of unknown) {
        process.stderr.write(
          `workflow-monitor run: no workflow "${id}"; the workflows are: ${known.join(', ') || 'none'}` +
            `${suite.broken.length ? ` (and the ones in ${suite.broken.map((b) => b.file).join(', ')}, which do not load)` : ''}\n`,
        );
      }
      for (const p of suite.problems) process.stderr.write(`workflow-monitor run: ${p}\n`);
      return 2;
    }
  }
  const grep = parsed.values.grep ?? exactTagGrep(ids);
  // A spec file that does not load would make Playwright run nothing: only the files that load.
  return runPlaywrightTest(['--grep', grep, ...extra, ...files]);
}
