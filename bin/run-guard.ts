// The process every scheduled run is started under (`node bin/run-guard.ts <cli> test ...`).
// It leads the run's process group and outlives a daemon killed with SIGKILL: when its parent
// disappears it stops the run the way Playwright wants (SIGINT, so the webServer is shut down
// and the reporter records the interruption), then kills whatever is left of the tree.
import { spawn } from 'node:child_process';
import { descendants, signalTree } from '../scheduler/process-tree.ts';
import { processEnv } from '../config/env.ts';

const [cli, ...args] = process.argv.slice(2);
if (!cli) {
  process.stderr.write('run-guard: usage: run-guard.ts <playwright cli> <args...>\n');
  process.exit(2);
}
const graceMs = Number(processEnv().MONITOR_KILL_GRACE_MS ?? 15_000);
const parent = process.ppid;
const child = spawn(process.execPath, [cli, ...args], { stdio: 'inherit' });
let stopping = false;

// SIGINT reaches the whole group (Playwright included); the guard itself waits for the run.
process.on('SIGINT', () => undefined);
process.on('SIGTERM', () => stop('SIGTERM'));

function stop(reason: string): void {
  if (stopping) return;
  stopping = true;
  process.stderr.write(`run-guard: ${reason}; stopping the run (SIGINT, then SIGKILL after ${graceMs} ms)\n`);
  const tree = descendants(process.pid);
  signalTree(process.pid, 'SIGINT', tree);
  setTimeout(() => {
    signalTree(process.pid, 'SIGKILL', [...tree, ...descendants(process.pid)]);
    process.exit(137);
  }, graceMs).unref();
}

const watch = setInterval(() => {
  if (process.ppid !== parent) stop('the daemon is gone');
}, 500);

child.on('exit', (code, sig) => {
  clearInterval(watch);
  // Whatever Playwright left behind (a browser or webServer it could not stop) goes with it.
  const left = descendants(process.pid);
  if (left.length) signalTree(process.pid, 'SIGKILL', left, true);
  process.exit(code ?? (sig ? 128 + (sig === 'SIGKILL' ? 9 : sig === 'SIGINT' ? 2 : 15) : 1));
});
