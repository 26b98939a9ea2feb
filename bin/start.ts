// `npm start`: the daemon on the embedded defaults (embedded PostgreSQL, the demo app unless
// BASE_URL is set) that runs every workflow once right away, then each on its schedule.
// `npm run monitor:once` runs the suite a single time instead.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { daemonNodeArgs } from '../scheduler/node-args.ts';
import { watchParent } from '../scheduler/parent-watch.ts';
import { ensureBrowser } from './ensure-browser.ts';
import { childEnv, processEnv } from '../config/env.ts';
import { startRunOnStart } from '../config/process-switches.ts';

ensureBrowser();
const cli = fileURLToPath(new URL('./workflow-monitor.ts', import.meta.url));
const child = spawn(process.execPath, [...daemonNodeArgs, cli, 'daemon', ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: childEnv({ MONITOR_RUN_ON_START: startRunOnStart(processEnv()) }),
});
// Ctrl-C reaches the child through the terminal's process group; a supervisor's SIGTERM is passed on.
process.on('SIGINT', () => undefined);
process.on('SIGTERM', () => child.kill('SIGTERM'));
// npm does not pass SIGTERM on: when npm is gone, we go, and the daemon (whose parent we are)
// sees its own parent gone and stops at once, interrupting the run in flight.
watchParent((why) => {
  process.stderr.write(`npm start: ${why}; stopping the daemon\n`);
  process.exit(0);
});
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
