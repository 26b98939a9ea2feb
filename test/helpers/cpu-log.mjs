// Preloaded into every Node process of a run by `node test/run.ts --cpu-log <file>` (through
// NODE_OPTIONS, so Playwright's runner and workers, daemons, CLIs and npm get it too): at exit, one
// JSON line with the process's command line and the CPU-seconds it used, for test/helpers/cpu-table.ts.
// A process killed by a signal it does not handle writes nothing.
import { appendFileSync } from 'node:fs';
import { isMainThread } from 'node:worker_threads';

const file = process.env.TEST_CPU_LOG;
if (file && isMainThread) {
  // The test file a process belongs to: a test file's own process names itself, and its children
  // (Playwright, daemons, CLIs) inherit the name through the environment.
  const script = process.argv[1] ?? '';
  if (!process.env.TEST_CPU_FILE && script.endsWith('.test.ts'))
    process.env.TEST_CPU_FILE = script.replace(`${process.cwd()}/`, '');
  process.on('exit', () => {
    const { user, system } = process.cpuUsage();
    const line = {
      argv: process.argv.slice(1).join(' ').slice(0, 300),
      cpu: (user + system) / 1e6,
      file: process.env.TEST_CPU_FILE,
    };
    try {
      appendFileSync(file, `${JSON.stringify(line)}\n`);
    } catch {
      /* the log is a measurement: never a reason to fail */
    }
  });
}
