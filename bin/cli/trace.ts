import { loadRetentionConfig } from '../../config/retention.ts';
import { resolveArtifactPath } from '../../db/artifacts.ts';
import { getExecutionTrace } from '../../db/scheduler-execution-trace.ts';
import { playwrightCli } from '../../scheduler/playwright-cli.ts';
import { parseCommand } from './args.ts';
import { withCliDatabase } from './database.ts';
import { exists, runNodeScript } from './node-script.ts';
import { processEnv } from '../../config/env.ts';

const help = `
usage: workflow-monitor trace <execution-id> [--host 127.0.0.1] [--port N]

Opens the trace of a recorded execution (failed or flaky ones keep theirs) in Playwright's trace
viewer. Without a display (no DISPLAY/WAYLAND_DISPLAY), or with --port, the viewer runs as a
server: open the printed URL in a browser (default 127.0.0.1:9322).
`;

export default async function trace(args: string[]): Promise<number> {
  const parsed = parseCommand(args, { host: { type: 'string' }, port: { type: 'string' } }, help);
  if (parsed === null) return 0;
  if (parsed === 'error') return 1;
  const id = Number(parsed.positionals[0]);
  if (!Number.isInteger(id) || id < 1) {
    process.stderr.write(`give an execution id (a whole number)\n${help}`);
    return 1;
  }
  const execution = await withCliDatabase((pool) => getExecutionTrace(pool, id));
  if (!execution) {
    process.stderr.write(`workflow-monitor trace: no execution ${id}\n`);
    return 1;
  }
  if (!execution.tracePath) {
    process.stderr.write(
      `workflow-monitor trace: execution ${id} (${execution.workflowId}, ${execution.status}) kept no trace: traces are kept for failed and flaky attempts\n`,
    );
    return 1;
  }
  const file = resolveArtifactPath(loadRetentionConfig(processEnv()).artifactsDir, execution.tracePath);
  if (!(await exists(file))) {
    process.stderr.write(`workflow-monitor trace: ${file} is gone (ARTIFACT_RETENTION_DAYS)\n`);
    return 1;
  }
  const env = processEnv();
  const headless = !env.DISPLAY && !env.WAYLAND_DISPLAY;
  const server =
    headless || parsed.values.port !== undefined || parsed.values.host !== undefined
      ? ['--host', parsed.values.host ?? '127.0.0.1', '--port', parsed.values.port ?? '9322']
      : [];
  return runNodeScript(playwrightCli(), ['show-trace', ...server, file]);
}
